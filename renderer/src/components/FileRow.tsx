import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, stageLabelKey } from '../lib/format';
import { useFile } from '../stores/use-stores';
import { ProgressBar } from './ProgressBar';

interface FileRowProps {
  fileId: string;
  /** 1-based position and list size, for screen readers (only rows in view are in the DOM). */
  position: number;
  setSize: number;
  offsetInPx: number;
}

/** One file in the list; subscribes to its own file only, so rows re-render individually. */
export const FileRow = memo(function FileRow({ fileId, position, setSize, offsetInPx }: FileRowProps) {
  const { t } = useTranslation();
  const file = useFile(fileId);
  if (!file) return null;
  const finished = file.status === 'done' || file.status === 'skipped';
  const fraction = finished ? 1 : file.status === 'running' ? file.progress : 0;
  const statusText = file.error ? file.error.message : t(`ingest.status.${file.status}`);

  return (
    <li
      className={`file-row status-${file.status}`}
      aria-posinset={position}
      aria-setsize={setSize}
      data-testid="file-row"
      data-name={file.name}
      data-status={file.status}
      data-error-code={file.error?.code}
      style={{ transform: `translateY(${offsetInPx}px)` }}
    >
      <span className="cell-name" title={file.path}>
        {file.name}
      </span>
      <span className="cell-folder" title={file.folder}>
        {file.folder}
      </span>
      <span className="cell-size">{formatBytes(file.size)}</span>
      <span className="cell-stage">{t(`ingest.stage.${stageLabelKey(file.stage, file.status)}`)}</span>
      <span className="cell-progress">
        <ProgressBar fraction={fraction} label={t('ingest.list.progressOf', { name: file.name })} />
      </span>
      <span className="cell-status" title={statusText}>
        <span className="status-dot" aria-hidden="true" />
        {file.error && <code className="error-code">{file.error.code}</code>}
        <span className="status-text">{statusText}</span>
      </span>
    </li>
  );
});
