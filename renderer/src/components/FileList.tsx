import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useJobs, useVisibleFileIds } from '../stores/use-stores';
import { FileRow } from './FileRow';

/** Must match `.file-row` height in styles.css. */
const ROW_HEIGHT_IN_PX = 40;

const COLUMNS = ['Name', 'Folder', 'Size', 'Stage', 'Progress', 'Status'];

/** Every file of every job, virtualised: only the rows in view (and a few around) are in the DOM. */
export function FileList() {
  const ids = useVisibleFileIds();
  const total = useJobs((state) => state.order.length);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_IN_PX,
    getItemKey: (index) => ids[index] ?? index,
    overscan: 12,
  });

  if (total === 0) {
    return (
      <p className="empty-state">
        No files yet. Drop files or folders above, or choose them with the buttons — each one shows up here
        with its progress.
      </p>
    );
  }

  return (
    <div className="file-table">
      <div className="file-row file-row-header" aria-hidden="true">
        {COLUMNS.map((column) => (
          <span key={column}>{column}</span>
        ))}
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll area must be reachable to scroll by keyboard */}
      <div className="file-scroll" ref={scrollRef} tabIndex={0}>
        {ids.length === 0 && <p className="empty-state">No files match this filter.</p>}
        <ul
          className="file-scroll-inner"
          aria-label="Files"
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
