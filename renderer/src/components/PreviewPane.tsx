import type { Preview } from '../../../electron/contract/model';
import { useEscapeKey } from '../hooks/useEscapeKey';
import { usePreview, useUi } from '../stores/use-stores';
import { ErrorNotice } from './ErrorNotice';
import { HighlightedText } from './HighlightedSnippet';

/** The page image with the hit's rectangles laid over it (positions are fractions of the image). */
function PageImage({ preview }: { preview: Preview }) {
  const image = preview.image;
  if (!image) return null;
  const pageText = preview.page !== null ? `Page ${preview.page}` : 'Image';
  return (
    <figure className="preview-page" data-testid="preview-page">
      <div className="preview-page-frame" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
        <img
          src={image.dataUrl}
          width={image.width}
          height={image.height}
          alt={`${pageText} of ${preview.sourceName}`}
          data-testid="preview-image"
        />
        {preview.rects.map((rect) => (
          <div
            key={`${rect.x}:${rect.y}:${rect.width}`}
            className="preview-highlight"
            data-testid="preview-highlight"
            style={{
              left: `${rect.x * 100}%`,
              top: `${rect.y * 100}%`,
              width: `${rect.width * 100}%`,
              height: `${rect.height * 100}%`,
            }}
          />
        ))}
      </div>
      <figcaption className="muted">
        {pageText}
        {preview.pageCount !== null && ` of ${preview.pageCount}`}
        {preview.rects.length > 0 &&
          ` · ${preview.rects.length} highlight${preview.rects.length === 1 ? '' : 's'}`}
      </figcaption>
    </figure>
  );
}

function Passages({ preview }: { preview: Preview }) {
  return (
    <div className="preview-passages" data-testid="preview-passages">
      {preview.passages.map((passage) => (
        <p
          key={passage.chunkIndex}
          className={passage.isHit ? 'passage passage-hit' : 'passage'}
          data-testid={passage.isHit ? 'preview-hit-passage' : 'preview-passage'}
        >
          <HighlightedText text={passage.text} highlights={passage.highlights} />
        </p>
      ))}
    </div>
  );
}

/** The selected hit in context: page image with highlights (PDFs, images) and the passage around it. */
export function PreviewPane() {
  const target = usePreview((state) => state.target);
  const preview = usePreview((state) => state.preview);
  const loading = usePreview((state) => state.loading);
  const error = usePreview((state) => state.error);
  const openError = usePreview((state) => state.openError);
  const canOpenFiles = usePreview((state) => state.canOpenFiles);
  const close = usePreview((state) => state.close);
  const openFile = usePreview((state) => state.openFile);
  const view = useUi((state) => state.view);
  useEscapeKey(target !== null && view === 'search', close);

  if (!target) {
    return (
      <aside className="preview-pane preview-empty" id="preview-pane" aria-label="Preview">
        <p className="empty-state">Choose a result (or press Enter on it) to see it in context here.</p>
      </aside>
    );
  }
  return (
    <aside
      className="preview-pane"
      id="preview-pane"
      aria-label={`Preview of ${target.sourceName}`}
      aria-busy={loading}
      data-testid="preview-pane"
    >
      <header className="preview-header">
        <h3 className="preview-title" title={target.sourcePath}>
          {target.sourceName}
        </h3>
        {canOpenFiles && (
          <button type="button" className="button" data-testid="open-file" onClick={() => void openFile()}>
            Open file
          </button>
        )}
        <button type="button" className="button-quiet" aria-label="Close preview" onClick={close}>
          ✕
        </button>
      </header>
      {openError && <ErrorNotice error={openError} />}
      {loading && <p className="muted">Loading the preview…</p>}
      {error && <ErrorNotice error={error} />}
      {preview?.notice && <p className="notice notice-info">{preview.notice}</p>}
      {preview && (
        <div className="preview-body">
          <PageImage preview={preview} />
          <Passages preview={preview} />
        </div>
      )}
    </aside>
  );
}
