import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useJobs, useVisibleFileIds } from '../stores/use-stores';
import { FileRow } from './FileRow';

/** Must match `.file-row` height in styles.css. */
const ROW_HEIGHT_IN_PX = 40;

/**
 * Lists up to this size are rendered in full (cheap, and every row stays findable in the DOM, e.g.
 * by page search and tests); longer ones keep only the rows in view plus a margin.
 */
const FULLY_RENDERED_ROWS = 500;
const OVERSCAN_ROWS = 12;

const COLUMNS = ['name', 'folder', 'size', 'stage', 'progress', 'status'] as const;

/** Every file of every job, virtualised so that 10,000 rows scroll as smoothly as 10. */
export function FileList() {
  const { t } = useTranslation();
  const ids = useVisibleFileIds();
  const total = useJobs((state) => state.order.length);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_IN_PX,
    getItemKey: (index) => ids[index] ?? index,
    overscan: ids.length <= FULLY_RENDERED_ROWS ? ids.length : OVERSCAN_ROWS,
  });

  if (total === 0) {
    return <p className="empty-state">{t('ingest.list.empty')}</p>;
  }

  return (
    <div className="file-table">
      <div className="file-row file-row-header" aria-hidden="true">
        {COLUMNS.map((column) => (
          <span key={column}>{t(`ingest.list.columns.${column}`)}</span>
        ))}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll area must be reachable to scroll by keyboard */}
      <div className="file-scroll" ref={scrollRef} tabIndex={0}>
        {ids.length === 0 && <p className="empty-state">{t('ingest.list.noMatch')}</p>}
        <ul
          className="file-scroll-inner"
          aria-label={t('ingest.list.label')}
          style={{ height: `${virtualizer.getTotalSize()}px` }}
        >
          {virtualizer.getVirtualItems().map((item) => (
            <FileRow
              key={item.key}
              fileId={ids[item.index] ?? ''}
              position={item.index + 1}
              setSize={ids.length}
              offsetInPx={item.start}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}
