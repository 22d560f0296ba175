import { useTranslation } from 'react-i18next';
import type { SearchResult } from '../../../electron/contract/model';
import { useAppStores, usePreview, useSearch } from '../stores/use-stores';
import { HighlightedSnippet } from './HighlightedSnippet';

/** Folder part of a path (absolute on disk, or relative for browser uploads). */
const folderOf = (path: string): string => path.replace(/[\\/][^\\/]*$/, '');

/** One hit: a button, so Enter or a click opens it in the preview pane. */
export function SearchResultItem({ result }: { result: SearchResult }) {
  const { t } = useTranslation();
  const { preview } = useAppStores();
  const selected = usePreview((state) => state.target?.resultId === result.id);
  const query = useSearch((state) => state.resultsQuery);
  const folder = folderOf(result.sourcePath);
  return (
    <li
      className={`search-result ${selected ? 'search-result-selected' : ''}`}
      data-testid="search-result"
      data-path={result.sourcePath}
      data-page={result.page ?? ''}
      data-mime-type={result.mimeType}
    >
      <button
        type="button"
        className="search-result-button"
        aria-pressed={selected}
        aria-controls="preview-pane"
        onClick={() => void preview.getState().open(result, query)}
      >
        <span className="search-result-head">
          <span className="search-result-name" title={result.sourcePath}>
            {result.sourceName}
          </span>
          {result.page !== null && <span className="badge">{t('search.page', { page: result.page })}</span>}
          <span className="search-result-score" title={t('search.score')}>
            {result.score.toFixed(3)}
          </span>
        </span>
        {folder !== result.sourcePath && <span className="search-result-folder">{folder}</span>}
        <HighlightedSnippet snippet={result.snippet} highlights={result.highlights} />
      </button>
    </li>
  );
}
