import { useTranslation } from 'react-i18next';
import { activeFilterCount, FILE_TYPE_KEYS, type FileTypeKey, NO_FILTERS } from '../lib/search-filters';
import { useSearch } from '../stores/use-stores';

/** Narrow results by file type, folder and modification date. */
export function SearchFiltersBar() {
  const { t } = useTranslation();
  const filters = useSearch((state) => state.filters);
  const setFilters = useSearch((state) => state.setFilters);
  const active = activeFilterCount(filters);

  const toggleType = (type: FileTypeKey, on: boolean): void =>
    setFilters({ types: on ? [...filters.types, type] : filters.types.filter((t) => t !== type) });

  return (
    <details className="search-filters" data-testid="search-filters">
      <summary>
        {t('search.filters.title')}
        {active > 0 && <span className="badge">{active}</span>}
      </summary>
      <div className="search-filters-body">
        <fieldset className="filter-types">
          <legend>{t('search.filters.fileType')}</legend>
          {FILE_TYPE_KEYS.map((type) => (
            <label key={type} className="checkbox">
              <input
                type="checkbox"
                data-testid={`filter-type-${type}`}
                checked={filters.types.includes(type)}
                onChange={(event) => toggleType(type, event.target.checked)}
              />
              {t(`search.filters.types.${type}`)}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('search.filters.folder')}</span>
          <input
            type="text"
            data-testid="filter-folder"
            placeholder={t('search.filters.folderPlaceholder')}
            value={filters.folder}
            onChange={(event) => setFilters({ folder: event.target.value })}
          />
        </label>
        <div className="filter-dates">
          <label className="field">
            <span>{t('search.filters.modifiedFrom')}</span>
            <input
              type="date"
              data-testid="filter-modified-from"
              value={filters.modifiedFrom}
              onChange={(event) => setFilters({ modifiedFrom: event.target.value })}
            />
          </label>
          <label className="field">
            <span>{t('search.filters.modifiedTo')}</span>
            <input
              type="date"
              data-testid="filter-modified-to"
              value={filters.modifiedTo}
              onChange={(event) => setFilters({ modifiedTo: event.target.value })}
            />
          </label>
        </div>
        {active > 0 && (
          <button type="button" className="button-quiet" onClick={() => setFilters(NO_FILTERS)}>
            {t('search.filters.clear')}
          </button>
        )}
      </div>
    </details>
  );
}
