import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuarryApi } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type { SearchMode, SearchResult } from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';
import { type FilterDraft, NO_FILTERS, toSearchFilters } from '../lib/search-filters';

export interface SearchState {
  query: string;
  /** The mode the person asked for. */
  mode: SearchMode;
  filters: FilterDraft;
  /** The mode the engine actually used for `results` (it may fall back, e.g. to keyword). */
  usedMode: SearchMode | null;
  results: readonly SearchResult[];
  /** The query `results` answer (the box may already hold a newer one). */
  resultsQuery: string;
  loading: boolean;
  /** What the engine wants the person to know, e.g. that semantic search is unavailable. */
  notice: string | null;
  error: QuarryErrorInfo | null;

  /** As-you-type: searches after a short pause; an empty query clears the results. */
  setQuery(query: string): void;
  setMode(mode: SearchMode): void;
  /** Narrows the results (type, folder, modified dates); searches again after the same short pause as typing. */
  setFilters(change: Partial<FilterDraft>): void;
  /** Searches now (Enter), skipping the pause. */
  searchNow(): Promise<void>;
}

export type SearchStore = StoreApi<SearchState>;

export interface SearchStoreOptions {
  debounceInMs?: number;
  top?: number;
}

export const MAX_QUERY_LENGTH = 2000;

export function createSearchStore(
  api: Pick<QuarryApi, 'search'>,
  options: SearchStoreOptions = {},
): SearchStore {
  const debounceInMs = options.debounceInMs ?? 150;
  const top = options.top ?? 20;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Every request gets a number; a response is applied only if no newer request was made since.
  let latestRequest = 0;

  const cancelPending = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  return createStore<SearchState>()((set, get) => {
    async function run(): Promise<void> {
      cancelPending();
      const query = get().query.trim();
      const request = ++latestRequest;
      if (!query) {
        set({ results: [], resultsQuery: '', usedMode: null, notice: null, error: null, loading: false });
        return;
      }
      set({ loading: true });
      try {
        const filters = toSearchFilters(get().filters);
        const output = await api.search({ query, mode: get().mode, top, ...(filters ? { filters } : {}) });
        if (request !== latestRequest) return;
        set({
          results: output.results,
          resultsQuery: query,
          usedMode: output.mode,
          notice: output.notice,
          error: null,
          loading: false,
        });
      } catch (error) {
        if (request !== latestRequest) return;
        set({
          results: [],
          resultsQuery: query,
          usedMode: null,
          notice: null,
          error: errorInfoOf(error),
          loading: false,
        });
      }
    }

    return {
      query: '',
      mode: 'hybrid',
      filters: NO_FILTERS,
      usedMode: null,
      results: [],
      resultsQuery: '',
      loading: false,
      notice: null,
      error: null,

      setQuery(query) {
        set({ query: query.slice(0, MAX_QUERY_LENGTH) });
        cancelPending();
        latestRequest += 1; // an answer to the previous text is stale now
        if (!query.trim()) {
          void run();
          return;
        }
        timer = setTimeout(() => void run(), debounceInMs);
      },

      setMode(mode) {
        set({ mode });
        if (get().query.trim()) void run();
      },

      setFilters(change) {
        set((state) => ({ filters: { ...state.filters, ...change } }));
        if (!get().query.trim()) return;
        // Debounced like typing: the folder box changes on every keystroke.
        cancelPending();
        latestRequest += 1;
        timer = setTimeout(() => void run(), debounceInMs);
      },

      searchNow: run,
    };
  });
}
