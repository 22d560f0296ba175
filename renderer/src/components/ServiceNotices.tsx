import { formatDuration } from '../lib/format';
import { useJobs } from '../stores/use-stores';

/** What the services are doing when it is not simply "ok", e.g. "throttled — resuming in 3 s". */
export function ServiceNotices() {
  const services = useJobs((state) => state.services);
  const troubled = Object.values(services).filter((service) => service.state !== 'ok');
  if (troubled.length === 0) return null;
  return (
    <ul className="service-notices" aria-live="polite">
      {troubled.map((service) => (
        <li key={service.service} className={`service-${service.state}`}>
          <strong>{service.service}</strong> {service.state}
          {service.resumeAt !== null && ` — resuming in ${formatDuration(service.resumeAt - Date.now())}`}
          {service.message && `: ${service.message}`}
        </li>
      ))}
    </ul>
  );
}
