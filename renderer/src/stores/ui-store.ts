import { createStore, type StoreApi } from 'zustand/vanilla';

export type View = 'ingest' | 'search' | 'settings';

export interface UiState {
  view: View;
  setView(view: View): void;
}

export type UiStore = StoreApi<UiState>;

/** Which view the window shows; the views stay mounted, so switching keeps their scroll and state. */
export function createUiStore(): UiStore {
  return createStore<UiState>()((set) => ({
    view: 'ingest',
    setView(view) {
      set({ view });
    },
  }));
}
