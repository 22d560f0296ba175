import { createStore, type StoreApi } from 'zustand/vanilla';
import type { QuarryApi, Snapshot } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type {
  AzureServiceKey,
  BackendKind,
  ConnectionTestResult,
  PublicSettings,
} from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';
import {
  draftFromSettings,
  type FieldErrors,
  patchFromDraft,
  type SettingsDraft,
} from '../lib/settings-form';

export type ConnectionTestState =
  | { status: 'running' }
  | { status: 'done'; result: ConnectionTestResult }
  | { status: 'failed'; error: QuarryErrorInfo };

export interface SettingsState {
  /**
   * The backend the engine is running, from the snapshot (known as soon as the app is ready). The
   * saved choice is `settings.backend`; the engine opens its backend once, so a new choice applies
   * after a restart.
   */
  backend: BackendKind | null;
  semantic: Snapshot['semantic'] | null;
  /** The saved settings as the engine reports them (keys only as set / not set). */
  settings: PublicSettings | null;
  /** The form's fields, as typed; null until the settings are loaded. */
  draft: SettingsDraft | null;
  /**
   * Keys typed since the last save. Write-only: sent once with the next save, then forgotten; they
   * never come back from the engine. `formGeneration` changes after each save so the key inputs
   * (uncontrolled, so the key never lands in a DOM attribute) are recreated empty.
   */
  keyDrafts: Partial<Record<AzureServiceKey, string>>;
  formGeneration: number;
  dirty: boolean;
  fieldErrors: FieldErrors;
  loading: boolean;
  saving: boolean;
  /** Loading or saving failed. */
  error: QuarryErrorInfo | null;
  savedAt: number | null;
  tests: Partial<Record<AzureServiceKey, ConnectionTestState>>;

  applySnapshot(snapshot: Snapshot): void;
  load(): Promise<void>;
  updateDraft(change: (draft: SettingsDraft) => SettingsDraft): void;
  setKeyDraft(service: AzureServiceKey, key: string): void;
  /** Saves the draft; resolves true when it was saved (false when invalid or refused). */
  save(): Promise<boolean>;
  clearKey(service: AzureServiceKey): Promise<void>;
  /** Saves pending changes first, so the test uses what the form shows. */
  testConnection(service: AzureServiceKey): Promise<void>;
}

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(
  api: Pick<QuarryApi, 'getSettings' | 'updateSettings' | 'testConnection'>,
  options: { now?: () => number } = {},
): SettingsStore {
  const now = options.now ?? Date.now;
  return createStore<SettingsState>()((set, get) => {
    const applySaved = (settings: PublicSettings): void =>
      set((state) => ({
        settings,
        draft: draftFromSettings(settings),
        keyDrafts: {},
        formGeneration: state.formGeneration + 1,
        dirty: false,
        fieldErrors: {},
      }));

    return {
      backend: null,
      semantic: null,
      settings: null,
      draft: null,
      keyDrafts: {},
      formGeneration: 0,
      dirty: false,
      fieldErrors: {},
      loading: false,
      saving: false,
      error: null,
      savedAt: null,
      tests: {},

      applySnapshot(snapshot) {
        set({ backend: snapshot.backend, semantic: snapshot.semantic });
      },

      async load() {
        set({ loading: true, error: null });
        try {
          applySaved(await api.getSettings({}));
          set({ loading: false });
        } catch (error) {
          set({ error: errorInfoOf(error), loading: false });
        }
      },

      updateDraft(change) {
        const draft = get().draft;
        if (draft) set({ draft: change(draft), dirty: true });
      },

      setKeyDraft(service, key) {
        set((state) => ({ keyDrafts: { ...state.keyDrafts, [service]: key }, dirty: true }));
      },

      async save() {
        const { draft, keyDrafts } = get();
        if (!draft) return false;
        const { patch, errors } = patchFromDraft(draft, keyDrafts);
        if (Object.keys(errors).length > 0) {
          set({ fieldErrors: errors });
          return false;
        }
        set({ saving: true, error: null, fieldErrors: {} });
        try {
          applySaved(await api.updateSettings(patch));
          set({ saving: false, savedAt: now() });
          return true;
        } catch (error) {
          set({ saving: false, error: errorInfoOf(error) });
          return false;
        }
      },

      async clearKey(service) {
        set({ saving: true, error: null });
        try {
          const settings = await api.updateSettings({ azure: { keys: { [service]: '' } } });
          // Keep whatever else is being edited; only the key status changes.
          set((state) => ({
            settings,
            keyDrafts: { ...state.keyDrafts, [service]: undefined },
            formGeneration: state.formGeneration + 1,
            saving: false,
            tests: { ...state.tests, [service]: undefined },
          }));
        } catch (error) {
          set({ saving: false, error: errorInfoOf(error) });
        }
      },

      async testConnection(service) {
        // Running at once (the previous outcome no longer applies), even while pending changes save.
        set((state) => ({ tests: { ...state.tests, [service]: { status: 'running' } } }));
        if (get().dirty && !(await get().save())) {
          set((state) => ({ tests: { ...state.tests, [service]: undefined } }));
          return;
        }
        let next: ConnectionTestState;
        try {
          next = { status: 'done', result: await api.testConnection({ service }) };
        } catch (error) {
          next = { status: 'failed', error: errorInfoOf(error) };
        }
        set((state) => ({ tests: { ...state.tests, [service]: next } }));
      },
    };
  });
}
