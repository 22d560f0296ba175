import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDropIngest } from '../hooks/useDropIngest';
import { useJobs } from '../stores/use-stores';

const hasFiles = (event: DragEvent): boolean => Array.from(event.dataTransfer.types).includes('Files');

/** Where files and folders are dropped; buttons open the system's file or folder picker. */
export function DropZone() {
  const { t } = useTranslation();
  const { ingestDrop, ingestFiles } = useDropIngest();
  const submitting = useJobs((state) => state.submitting);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Not a React prop; the DOM property makes the picker choose folders.
    if (folderInput.current) folderInput.current.webkitdirectory = true;
  }, []);

  const onDragOver = (event: DragEvent<HTMLElement>): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  const onDrop = (event: DragEvent<HTMLElement>): void => {
    event.preventDefault();
    setDragging(false);
    ingestDrop(event.dataTransfer);
  };

  const onPicked = (input: HTMLInputElement | null): void => {
    if (!input?.files || input.files.length === 0) return;
    ingestFiles(Array.from(input.files));
    input.value = ''; // picking the same files again must fire `change` again
  };

  return (
    <section
      className={`drop-zone ${dragging ? 'drop-zone-active' : ''}`}
      data-testid="drop-zone"
      aria-label={t('ingest.dropZone.label')}
      aria-busy={submitting}
      onDragEnter={onDragOver}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p className="drop-zone-title">{t(submitting ? 'ingest.dropZone.sending' : 'ingest.dropZone.title')}</p>
      <p className="drop-zone-hint">{t('ingest.dropZone.hint')}</p>
      <div className="drop-zone-actions">
        <button type="button" className="button" onClick={() => fileInput.current?.click()}>
          {t('ingest.dropZone.chooseFiles')}
        </button>
        <button type="button" className="button" onClick={() => folderInput.current?.click()}>
          {t('ingest.dropZone.chooseFolder')}
        </button>
      </div>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        aria-label={t('ingest.dropZone.chooseFilesLabel')}
        onChange={() => onPicked(fileInput.current)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        aria-label={t('ingest.dropZone.chooseFolderLabel')}
        onChange={() => onPicked(folderInput.current)}
      />
    </section>
  );
}
