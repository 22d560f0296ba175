import type { SearchResult } from '../../../electron/contract/model';
import { HighlightedSnippet } from './HighlightedSnippet';

/** Folder part of a path (absolute on disk, or relative for browser uploads). */
const folderOf = (path: string): string => path.replace(/[\\/][^\\/]*$/, '');

export function SearchResultItem({ result }: { result: SearchResult }) {
  const folder = folderOf(result.sourcePath);
  return (
    <li
      className="search-result"
      data-testid="search-result"
      data-path={result.sourcePath}
      data-page={result.page ?? ''}
    >
      <div className="search-result-head">
        <span className="search-result-name" title={result.sourcePath}>
          {result.sourceName}
        </span>
        {result.page !== null && <span className="badge">page {result.page}</span>}
        <span className="search-result-score" title="Relevance score">
          {result.score.toFixed(3)}
        </span>
      </div>
      {folder !== result.sourcePath && <p className="search-result-folder">{folder}</p>}
      <HighlightedSnippet snippet={result.snippet} highlights={result.highlights} />
    </li>
  );
}
