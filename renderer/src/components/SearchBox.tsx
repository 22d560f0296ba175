import type { RefObject } from 'react';
import type { SearchMode } from '../../../electron/contract/model';
import { MAX_QUERY_LENGTH } from '../stores/search-store';
import { useSearch, useSettings } from '../stores/use-stores';

const MODES: ReadonlyArray<{ value: SearchMode; label: string }> = [
  { value: 'hybrid', label: 'Hybrid' },
  { value: 'vector', label: 'Vector' },
  { value: 'keyword', label: 'Keyword' },
  { value: 'semantic', label: 'Semantic' },
];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Why semantic ranking is off, or null when it can be used (Azure AI Search with it available). */
function useSemanticUnavailableReason(): string | null {
  const backend = useSettings((state) => state.backend);
  const semantic = useSettings((state) => state.semantic);
  if (backend === 'azure' && semantic?.available) return null;
  if (backend !== 'azure') return 'Semantic ranking needs the Azure AI Search backend (Settings).';
  return semantic?.reason ?? 'Semantic ranking is not available.';
}

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const query = useSearch((state) => state.query);
  const mode = useSearch((state) => state.mode);
  const setQuery = useSearch((state) => state.setQuery);
  const setMode = useSearch((state) => state.setMode);
  const searchNow = useSearch((state) => state.searchNow);
  const semanticOff = useSemanticUnavailableReason();

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
          data-testid="search-mode"
          value={mode}
          onChange={(event) => {
            const picked = MODES.find((option) => option.value === event.target.value);
            if (picked) setMode(picked.value);
          }}
        >
          {MODES.map((option) => {
            const disabled = option.value === 'semantic' && semanticOff !== null;
            return (
              <option
                key={option.value}
                value={option.value}
                disabled={disabled}
                title={disabled ? (semanticOff ?? undefined) : undefined}
              >
                {disabled ? `${option.label} (unavailable)` : option.label}
              </option>
            );
          })}
        </select>
      </form>
    </search>
  );
}
