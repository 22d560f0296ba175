import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/useNow';
import { useDuration } from '../i18n/use-duration';
import { useJobs } from '../stores/use-stores';

/** What the services are doing when it is not simply "ok", e.g. "Document Intelligence throttled — resuming in 3 s". */
export function ServiceNotices() {
  const { t, i18n } = useTranslation();
  const duration = useDuration();
  const services = useJobs((state) => state.services);
  const troubled = Object.values(services).filter((service) => service.state !== 'ok');
  const counting = troubled.some((service) => service.resumeAt !== null);
  const now = useNow(counting);
  if (troubled.length === 0) return null;
  const label = (service: string): string => {
    const key = `ingest.services.names.${service}`;
    return i18n.exists(key) ? t(key as 'ingest.services.names.vision') : service;
  };
  return (
    <ul className="service-notices" aria-live="polite" data-testid="service-notices">
      {troubled.map((service) => {
        const waitInMs = service.resumeAt === null ? null : service.resumeAt - now;
        return (
          <li key={service.service} className={`service-${service.state}`} data-service={service.service}>
            <strong>{label(service.service)}</strong> {t(`ingest.services.state.${service.state}`)}
            {waitInMs !== null &&
              (waitInMs > 0
                ? t('ingest.services.resumingIn', { time: duration(waitInMs) })
                : t('ingest.services.resumingNow'))}
            {/* With a countdown on screen the engine's message (a snapshot of the same wait) adds nothing. */}
            {service.message && waitInMs === null && <span className="muted"> · {service.message}</span>}
          </li>
        );
      })}
    </ul>
  );
}
