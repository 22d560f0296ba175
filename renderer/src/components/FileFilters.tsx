import type { FileFilter } from '../stores/jobs-store';
import { useJobs } from '../stores/use-stores';

const FILTERS: ReadonlyArray<{ value: FileFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Running' },
  { value: 'failed', label: 'Failed' },
  { value: 'done', label: 'Done' },
];

/** Which files the list shows; the counts come from the store's running totals. */
export function FileFilters() {
  const filter = useJobs((state) => state.filter);
  const setFilter = useJobs((state) => state.setFilter);
  const counts = useJobs((state) => state.counts);
  const countOf: Record<FileFilter, number> = {
    all: counts.total,
    active: counts.queued + counts.running,
    failed: counts.failed,
    done: counts.done + counts.skipped,
  };

  return (
    <fieldset className="segmented" aria-label="Show files">
      {FILTERS.map(({ value, label }) => (
        <label key={value} className={filter === value ? 'segment segment-selected' : 'segment'}>
          <input
            type="radio"
            name="file-filter"
            value={value}
            checked={filter === value}
            onChange={() => setFilter(value)}
          />
          {label} <span className="segment-count">{countOf[value]}</span>
        </label>
      ))}
    </fieldset>
  );
}
