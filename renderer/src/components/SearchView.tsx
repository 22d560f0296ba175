import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearch } from '../stores/use-stores';
import { ErrorNotice } from './ErrorNotice';
import { PreviewPane } from './PreviewPane';
import { SearchBox } from './SearchBox';
import { SearchFiltersBar } from './SearchFiltersBar';
import { SearchResultItem } from './SearchResultItem';

function SearchStatus() {
  const { t } = useTranslation();
  const loading = useSearch((state) => state.loading);
  const notice = useSearch((state) => state.notice);
  const error = useSearch((state) => state.error);
  const query = useSearch((state) => state.query.trim());
  const resultsQuery = useSearch((state) => state.resultsQuery);
  const count = useSearch((state) => state.results.length);

  if (error) return <ErrorNotice error={error} />;
  return (
    <div className="search-status" aria-live="polite">
      {notice && <p className="notice notice-info">{notice}</p>}
      {loading && <p className="muted">{t('search.searching')}</p>}
      {!loading && !query && <p className="empty-state">{t('search.emptyQuery')}</p>}
      {!loading && query && resultsQuery === query && count === 0 && (
        <p className="empty-state">{t('search.noMatches', { query })}</p>
      )}
    </div>
  );
}

export function SearchView({
  inputRef,
  hidden,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  hidden: boolean;
}) {
  const { t } = useTranslation();
  const results = useSearch((state) => state.results);
  return (
    <section
      className="view search-view"
      id="view-search"
      aria-labelledby="tab-search"
      role="tabpanel"
      hidden={hidden}
    >
      <div className="search-column">
        <SearchBox inputRef={inputRef} />
        <SearchFiltersBar />
        <SearchStatus />
        {results.length > 0 && (
          <ol className="search-results" aria-label={t('search.results')}>
            {results.map((result) => (
              <SearchResultItem key={result.id} result={result} />
            ))}
          </ol>
        )}
      </div>
      <PreviewPane />
    </section>
  );
}
