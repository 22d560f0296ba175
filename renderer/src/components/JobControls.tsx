import { useTranslation } from 'react-i18next';
import type { JobSnapshot } from '../../../electron/contract/model';
import { activeJobs } from '../stores/jobs-selectors';
import { useJobs } from '../stores/use-stores';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function JobControl({ job }: { job: JobSnapshot }) {
  const { t } = useTranslation();
  const control = useJobs((state) => state.controlJob);
  const pending = useJobs((state) => state.pendingJobs[job.jobId]);
  const paused = job.status === 'paused';
  const finished = job.counts.indexed + job.counts.skipped + job.counts.failed;
  return (
    <li
      className="job-control"
      data-testid="job-controls"
      data-job-id={job.jobId}
      data-job-status={job.status}
    >
      <span className="job-control-text">
        {t('ingest.jobs.summary', {
          time: timeFormat.format(job.startedAt),
          finished,
          total: job.counts.files,
        })}{' '}
        · <strong>{t(paused ? 'ingest.jobs.paused' : 'ingest.jobs.running')}</strong>
        {paused && job.counts.running > 0 && ` ${t('ingest.jobs.finishing', { count: job.counts.running })}`}
      </span>
      <button
        type="button"
        className="button"
        data-testid={paused ? 'resume-job' : 'pause-job'}
        disabled={pending !== undefined}
        onClick={() => void control(job.jobId, paused ? 'resume' : 'pause')}
      >
        {t(paused ? 'ingest.jobs.resume' : 'ingest.jobs.pause')}
      </button>
      <button
        type="button"
        className="button button-danger"
        data-testid="cancel-job"
        disabled={pending !== undefined}
        onClick={() => void control(job.jobId, 'cancel')}
      >
        {t('ingest.jobs.cancel')}
      </button>
    </li>
  );
}

/** Pause, resume and cancel for each job still at work. */
export function JobControls() {
  const { t } = useTranslation();
  const jobs = useJobs((state) => state.jobs);
  const active = activeJobs(jobs);
  if (active.length === 0) return null;
  return (
    <ul className="job-controls" aria-label={t('ingest.jobs.label')}>
      {active.map((job) => (
        <JobControl key={job.jobId} job={job} />
      ))}
    </ul>
  );
}
