import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchPanel } from '../stores/ui-store';
import { useSearch, useUi } from '../stores/use-stores';
import { AskPanel } from './AskPanel';
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

const PANELS: readonly SearchPanel[] = ['search', 'ask'];

/** Search lists passages; Ask answers from them. Both keep their state while the other shows. */
function PanelSwitch() {
  const { t } = useTranslation();
  const panel = useUi((state) => state.searchPanel);
  const setPanel = useUi((state) => state.setSearchPanel);
  return (
    <fieldset className="segmented" aria-label={t('ask.panels.label')}>
      {PANELS.map((value) => (
        <label
          key={value}
          className={panel === value ? 'segment segment-selected' : 'segment'}
          data-testid={`${value}-panel-tab`}
        >
          <input
            type="radio"
            name="search-panel"
            value={value}
            checked={panel === value}
            onChange={() => setPanel(value)}
          />
          {t(`ask.panels.${value}`)}
        </label>
      ))}
    </fieldset>
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
  const panel = useUi((state) => state.searchPanel);
  return (
    <section
      className="view search-view"
      id="view-search"
      aria-labelledby="tab-search"
      role="tabpanel"
      hidden={hidden}
    >
      <div className="search-column">
        <PanelSwitch />
        <div className="search-panel" hidden={panel !== 'search'}>
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
        <div className="search-panel" hidden={panel !== 'ask'}>
          <AskPanel />
        </div>
      </div>
      <PreviewPane />
    </section>
  );
}
