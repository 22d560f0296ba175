import { useNow } from '../hooks/useNow';
import { formatDuration } from '../lib/format';
import { serviceLabel, serviceStateText } from '../lib/service-labels';
import { useJobs } from '../stores/use-stores';

/** What the services are doing when it is not simply "ok", e.g. "Document Intelligence throttled — resuming in 3 s". */
export function ServiceNotices() {
  const services = useJobs((state) => state.services);
  const troubled = Object.values(services).filter((service) => service.state !== 'ok');
  const counting = troubled.some((service) => service.resumeAt !== null);
  const now = useNow(counting);
  if (troubled.length === 0) return null;
  return (
    <ul className="service-notices" aria-live="polite" data-testid="service-notices">
      {troubled.map((service) => {
        const waitInMs = service.resumeAt === null ? null : service.resumeAt - now;
        return (
          <li key={service.service} className={`service-${service.state}`} data-service={service.service}>
            <strong>{serviceLabel(service.service)}</strong> {serviceStateText(service.state)}
            {waitInMs !== null &&
              (waitInMs > 0 ? ` — resuming in ${formatDuration(waitInMs)}` : ' — resuming now')}
            {service.message && <span className="muted"> · {service.message}</span>}
          </li>
        );
      })}
    </ul>
  );
}
