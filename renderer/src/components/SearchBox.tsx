import type { RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchMode } from '../../../electron/contract/model';
import { MAX_QUERY_LENGTH } from '../stores/search-store';
import { useSearch, useSettings } from '../stores/use-stores';

const MODES: readonly SearchMode[] = ['hybrid', 'vector', 'keyword', 'semantic'];

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Why semantic ranking is off, or null when it can be used (Azure AI Search with it available). */
function useSemanticUnavailableReason(): string | null {
  const { t } = useTranslation();
  const backend = useSettings((state) => state.backend);
  const semantic = useSettings((state) => state.semantic);
  if (backend === 'azure' && semantic?.available) return null;
  if (backend !== 'azure') return t('search.semanticNeedsAzure');
  return semantic?.reason ?? t('search.semanticUnavailable');
}

export function SearchBox({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
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
          {t('search.inputLabel')}
        </label>
        <input
          id="search-input"
          ref={inputRef}
          type="search"
          data-testid="search-input"
          placeholder={t('search.placeholder', { shortcut: isMac ? '⌘K' : 'Ctrl+K' })}
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_QUERY_LENGTH}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="visually-hidden" htmlFor="search-mode">
          {t('search.modeLabel')}
        </label>
        <select
          id="search-mode"
          data-testid="search-mode"
          value={mode}
          onChange={(event) => {
            const picked = MODES.find((option) => option === event.target.value);
            if (picked) setMode(picked);
          }}
        >
          {MODES.map((option) => {
            const disabled = option === 'semantic' && semanticOff !== null;
            const label = t(`search.modes.${option}`);
            return (
              <option
                key={option}
                value={option}
                disabled={disabled}
                title={disabled ? (semanticOff ?? undefined) : undefined}
              >
                {disabled ? t('search.unavailable', { mode: label }) : label}
              </option>
            );
          })}
        </select>
      </form>
    </search>
  );
}
