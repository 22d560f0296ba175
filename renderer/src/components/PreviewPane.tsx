import { useTranslation } from 'react-i18next';
import type { Preview } from '../../../electron/contract/model';
import { useEscapeKey } from '../hooks/useEscapeKey';
import { usePreview, useUi } from '../stores/use-stores';
import { ErrorNotice } from './ErrorNotice';
import { HighlightedText } from './HighlightedSnippet';

/** The page image with the hit's rectangles laid over it (positions are fractions of the image). */
function PageImage({ preview }: { preview: Preview }) {
  const { t } = useTranslation();
  const image = preview.image;
  if (!image) return null;
  const pageText = preview.page !== null ? t('preview.page', { page: preview.page }) : t('preview.image');
  return (
    <figure className="preview-page" data-testid="preview-page">
      <div className="preview-page-frame" style={{ aspectRatio: `${image.width} / ${image.height}` }}>
        <img
          src={image.dataUrl}
          width={image.width}
          height={image.height}
          alt={t('preview.alt', { what: pageText, name: preview.sourceName })}
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
        {preview.pageCount !== null && t('preview.ofPages', { count: preview.pageCount })}
        {preview.rects.length > 0 && t('preview.highlights', { count: preview.rects.length })}
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
  const { t } = useTranslation();
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
      <aside className="preview-pane preview-empty" id="preview-pane" aria-label={t('preview.label')}>
        <p className="empty-state">{t('preview.empty')}</p>
      </aside>
    );
  }
  return (
    <aside
      className="preview-pane"
      id="preview-pane"
      aria-label={t('preview.labelOf', { name: target.sourceName })}
      aria-busy={loading}
      data-testid="preview-pane"
    >
      <header className="preview-header">
        <h3 className="preview-title" title={target.sourcePath}>
          {target.sourceName}
        </h3>
        {canOpenFiles && (
          <button type="button" className="button" data-testid="open-file" onClick={() => void openFile()}>
            {t('preview.openFile')}
          </button>
        )}
        <button type="button" className="button-quiet" aria-label={t('preview.close')} onClick={close}>
          ✕
        </button>
      </header>
      {openError && <ErrorNotice error={openError} />}
      {loading && <p className="muted">{t('preview.loading')}</p>}
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
