import { useTranslation } from 'react-i18next';
import type { FileFilter } from '../stores/jobs-store';
import { useJobs } from '../stores/use-stores';

const FILTERS: readonly FileFilter[] = ['all', 'active', 'failed', 'done'];

/** Which files the list shows; the counts come from the store's running totals. */
export function FileFilters() {
  const { t } = useTranslation();
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
    <fieldset className="segmented" aria-label={t('ingest.filters.label')}>
      {FILTERS.map((value) => (
        <label key={value} className={filter === value ? 'segment segment-selected' : 'segment'}>
          <input
            type="radio"
            name="file-filter"
            value={value}
            checked={filter === value}
            onChange={() => setFilter(value)}
          />
          {t(`ingest.filters.${value}`)} <span className="segment-count">{countOf[value]}</span>
        </label>
      ))}
    </fieldset>
  );
}
