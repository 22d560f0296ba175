import { useTranslation } from 'react-i18next';
import { useDuration } from '../i18n/use-duration';
import { formatRate } from '../lib/format';
import { finishedCount } from '../stores/file-counts';
import { runRate } from '../stores/run-rate';
import { useJobs } from '../stores/use-stores';
import { ProgressBar } from './ProgressBar';
import { ServiceNotices } from './ServiceNotices';

/** The overall bar: counts, throughput, ETA and what the services are doing. */
export function JobProgress() {
  const { t } = useTranslation();
  const duration = useDuration();
  const counts = useJobs((state) => state.counts);
  const run = useJobs((state) => state.run);
  const paused = useJobs((state) => Object.values(state.jobs).some((job) => job.status === 'paused'));
  if (counts.total === 0) return null;

  const finished = finishedCount(counts);
  // Renders happen on every progress event, so "now" here is fresh enough for rate and ETA.
  const { filesPerSecond, etaInMs } = runRate(run, counts, Date.now());

  return (
    <section
      className="job-progress"
      data-testid="job-progress"
      aria-label={t('ingest.progress.label')}
      data-total={counts.total}
      data-done={counts.done}
      data-skipped={counts.skipped}
      data-failed={counts.failed}
      data-active={counts.queued + counts.running}
      data-queued={counts.queued}
      data-running={counts.running}
    >
      <div className="job-progress-line">
        <p className="job-progress-counts" aria-live="polite">
          <strong>{t('ingest.progress.finished', { finished, total: counts.total })}</strong>{' '}
          {t('ingest.progress.filesFinished')} ·{' '}
          <span className="count-done">{t('ingest.progress.done', { count: counts.done })}</span> ·{' '}
          <span className="count-skipped">{t('ingest.progress.skipped', { count: counts.skipped })}</span> ·{' '}
          <span className="count-failed">{t('ingest.progress.failed', { count: counts.failed })}</span>
        </p>
        <p className="job-progress-rate">
          {filesPerSecond !== null && t('units.filesPerSecond', { rate: formatRate(filesPerSecond) })}
          {etaInMs !== null && !paused && ` · ${t('ingest.progress.eta', { time: duration(etaInMs) })}`}
        </p>
        {paused && <span className="badge badge-warn">{t('ingest.progress.paused')}</span>}
      </div>
      <ProgressBar
        fraction={counts.total > 0 ? finished / counts.total : 0}
        label={t('ingest.progress.barLabel')}
      />
      <ServiceNotices />
    </section>
  );
}
