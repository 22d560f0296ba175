import { createStore, type StoreApi } from 'zustand/vanilla';

export type View = 'ingest' | 'search' | 'settings';

/** The search view either lists passages or answers a question from them (Ask). */
export type SearchPanel = 'search' | 'ask';

export interface UiState {
  view: View;
  searchPanel: SearchPanel;
  setView(view: View): void;
  setSearchPanel(panel: SearchPanel): void;
}

export type UiStore = StoreApi<UiState>;

/** Which view the window shows; the views stay mounted, so switching keeps their scroll and state. */
export function createUiStore(): UiStore {
  return createStore<UiState>()((set) => ({
    view: 'ingest',
    searchPanel: 'search',
    setView(view) {
      set({ view });
    },
    setSearchPanel(searchPanel) {
      set({ searchPanel });
    },
  }));
}
