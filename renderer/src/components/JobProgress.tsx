import { formatDuration, formatRate } from '../lib/format';
import { finishedCount } from '../stores/file-counts';
import { runRate } from '../stores/run-rate';
import { useJobs } from '../stores/use-stores';
import { ProgressBar } from './ProgressBar';
import { ServiceNotices } from './ServiceNotices';

/** The overall bar: counts, throughput, ETA and what the services are doing. */
export function JobProgress() {
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
      aria-label="Overall progress"
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
          <strong>
            {finished} of {counts.total}
          </strong>{' '}
          files finished · <span className="count-done">{counts.done} done</span> ·{' '}
          <span className="count-skipped">{counts.skipped} skipped</span> ·{' '}
          <span className="count-failed">{counts.failed} failed</span>
        </p>
        <p className="job-progress-rate">
          {filesPerSecond !== null && formatRate(filesPerSecond)}
          {etaInMs !== null && !paused && ` · about ${formatDuration(etaInMs)} left`}
        </p>
        {paused && <span className="badge badge-warn">Paused</span>}
      </div>
      <ProgressBar fraction={counts.total > 0 ? finished / counts.total : 0} label="Files finished" />
      <ServiceNotices />
    </section>
  );
}
