import type { RefObject } from 'react';
import type { SearchMode } from '../../../electron/contract/model';
import { MAX_QUERY_LENGTH } from '../stores/search-store';
import { useSearch, useSettings } from '../stores/use-stores';

const MODES: ReadonlyArray<{ value: SearchMode; label: string }> = [
  { value: 'hybrid', label: 'Hybrid' },
  { value: 'vector', label: 'Vector' },
  { value: 'keyword', label: 'Keyword' },
];

// Azure AI Search adds a semantic ranker; the local backend has none.
const AZURE_MODES = [...MODES, { value: 'semantic' as const, label: 'Semantic' }];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const query = useSearch((state) => state.query);
  const mode = useSearch((state) => state.mode);
  const setQuery = useSearch((state) => state.setQuery);
  const setMode = useSearch((state) => state.setMode);
  const searchNow = useSearch((state) => state.searchNow);
  const backend = useSettings((state) => state.backend);
  const modes = backend === 'azure' ? AZURE_MODES : MODES;

  return (
    <search>
      <form
        className="search-box"
        onSubmit={(event) => {
          event.preventDefault();
          void searchNow();
        }}
      >
        <label className="visually-hidden" htmlFor="search-input">
          Search your files
        </label>
        <input
          id="search-input"
          ref={inputRef}
          type="search"
          data-testid="search-input"
          placeholder={`Search everything you ingested (${isMac ? '⌘' : 'Ctrl+'}K)`}
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_QUERY_LENGTH}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="visually-hidden" htmlFor="search-mode">
          Search mode
        </label>
        <select
          id="search-mode"
          value={mode}
          onChange={(event) => {
            const picked = modes.find((option) => option.value === event.target.value);
            if (picked) setMode(picked.value);
          }}
        >
          {modes.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </form>
    </search>
  );
}
