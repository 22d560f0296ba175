import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuarryApi, Snapshot } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type { BackendKind, PublicSettings } from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';

export interface SettingsState {
  /** From the snapshot: known as soon as the app is ready. */
  backend: BackendKind | null;
  semantic: Snapshot['semantic'] | null;
  /** The full public settings, loaded on demand (the settings panel). */
  settings: PublicSettings | null;
  loading: boolean;
  error: QuarryErrorInfo | null;

  applySnapshot(snapshot: Snapshot): void;
  load(): Promise<void>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(api: Pick<QuarryApi, 'getSettings'>): SettingsStore {
  return createStore<SettingsState>()((set) => ({
    backend: null,
    semantic: null,
    settings: null,
    loading: false,
    error: null,

    applySnapshot(snapshot) {
      set({ backend: snapshot.backend, semantic: snapshot.semantic });
    },

    async load() {
      set({ loading: true, error: null });
      try {
        const settings = await api.getSettings({});
        set({ settings, backend: settings.backend, loading: false });
      } catch (error) {
        set({ error: errorInfoOf(error), loading: false });
      }
    },
  }));
}
