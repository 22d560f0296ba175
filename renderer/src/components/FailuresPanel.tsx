import { useTranslation } from 'react-i18next';
import type { FileSnapshot } from '../../../electron/contract/model';
import type { JobFailures } from '../stores/jobs-selectors';
import { useFailures, useJobs } from '../stores/use-stores';

/** Beyond this many, the panel points to the list's Failed filter instead of growing without end. */
const MAX_LISTED = 100;

function Failure({ file }: { file: FileSnapshot }) {
  const { t } = useTranslation();
  return (
    <li
      className="failure"
      data-testid="failure-item"
      data-name={file.name}
      data-path={file.path}
      data-error-code={file.error?.code}
    >
      <div className="failure-head">
        <span className="failure-name" title={file.path}>
          {file.name}
        </span>
        {file.error && <code className="error-code">{file.error.code}</code>}
      </div>
      <p className="failure-message">{file.error?.message ?? t('ingest.failures.noReason')}</p>
      {file.error && <p className="notice-hint">{t(`errors.hint.${file.error.code}`)}</p>}
    </li>
  );
}

function JobFailureGroup({ group }: { group: JobFailures }) {
  const { t } = useTranslation();
  const control = useJobs((state) => state.controlJob);
  const pending = useJobs((state) => state.pendingJobs[group.jobId]);
  const listed = group.files.slice(0, MAX_LISTED);
  const title = t('ingest.failures.count', { count: group.files.length });
  return (
    <section className="failure-group" data-job-id={group.jobId} aria-label={title}>
      <div className="failure-group-head">
        <span>{title}</span>
        <button
          type="button"
          className="button"
          data-testid="retry-failed"
          disabled={pending !== undefined}
          onClick={() => void control(group.jobId, 'retry')}
        >
          {t('ingest.failures.retry')}
        </button>
      </div>
      <ul className="failure-list">
        {listed.map((file) => (
          <Failure key={file.fileId} file={file} />
        ))}
      </ul>
      {group.files.length > MAX_LISTED && (
        <p className="muted">{t('ingest.failures.more', { count: group.files.length - MAX_LISTED })}</p>
      )}
    </section>
  );
}

/** Every failed file with its code and full reason, and a retry per job. */
export function FailuresPanel() {
  const { t } = useTranslation();
  const groups = useFailures();
  if (groups.length === 0) return null;
  return (
    <details className="failures-panel" data-testid="failures-panel" open>
      <summary>{t('ingest.failures.title')}</summary>
      {groups.map((group) => (
        <JobFailureGroup key={group.jobId} group={group} />
      ))}
    </details>
  );
}
