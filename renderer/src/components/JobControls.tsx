import type { JobSnapshot } from '../../../electron/contract/model';
import { activeJobs } from '../stores/jobs-selectors';
import { useJobs } from '../stores/use-stores';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function JobControl({ job }: { job: JobSnapshot }) {
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
        Job from {timeFormat.format(job.startedAt)} · {finished} of {job.counts.files} ·{' '}
        <strong>{paused ? 'Paused' : 'Running'}</strong>
        {paused && job.counts.running > 0 && ` (finishing ${job.counts.running} in progress)`}
      </span>
      {paused ? (
        <button
          type="button"
          className="button"
          data-testid="resume-job"
          disabled={pending !== undefined}
          onClick={() => void control(job.jobId, 'resume')}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="pause-job"
          disabled={pending !== undefined}
          onClick={() => void control(job.jobId, 'pause')}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="button button-danger"
        data-testid="cancel-job"
        disabled={pending !== undefined}
        onClick={() => void control(job.jobId, 'cancel')}
      >
        Cancel
      </button>
    </li>
  );
}

/** Pause, resume and cancel for each job still at work. */
export function JobControls() {
  const jobs = useJobs((state) => state.jobs);
  const active = activeJobs(jobs);
  if (active.length === 0) return null;
  return (
    <ul className="job-controls" aria-label="Running jobs">
      {active.map((job) => (
        <JobControl key={job.jobId} job={job} />
      ))}
    </ul>
  );
}
