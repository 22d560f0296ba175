import type { EngineEvent, QuarryApi, Snapshot } from '../../../electron/contract/api';
import { type AskStore, type AskStoreOptions, createAskStore } from './ask-store';
import { createJobsStore, type JobsStore, type JobsStoreOptions } from './jobs-store';
import { createPreviewStore, type PreviewStore, type PreviewStoreOptions } from './preview-store';
import { createSearchStore, type SearchStore, type SearchStoreOptions } from './search-store';
import { createSettingsStore, type SettingsStore } from './settings-store';
import { createUiStore, type UiStore } from './ui-store';

/** The app's stores, one per domain, plus the two entry points the event bridge feeds. */
export interface AppStores {
  jobs: JobsStore;
  search: SearchStore;
  preview: PreviewStore;
  ask: AskStore;
  settings: SettingsStore;
  ui: UiStore;
  applySnapshot(snapshot: Snapshot): void;
  applyEvents(events: readonly EngineEvent[], options?: { replay?: boolean }): void;
}

export interface AppStoresOptions {
  jobs?: JobsStoreOptions;
  search?: SearchStoreOptions;
  preview?: PreviewStoreOptions;
  ask?: AskStoreOptions;
  /** Electron only: opens an indexed file in the system's app (the client's `openPath`). */
  openPath?: ((sourcePath: string) => Promise<void>) | null;
}

export function createAppStores(api: QuarryApi, options: AppStoresOptions = {}): AppStores {
  const jobs = createJobsStore(api, options.jobs);
  const search = createSearchStore(api, options.search);
  const preview = createPreviewStore(api, options.openPath ?? null, options.preview);
  const ask = createAskStore(api, options.ask);
  const settings = createSettingsStore(api);
  const ui = createUiStore();
  return {
    jobs,
    search,
    preview,
    ask,
    settings,
    ui,
    applySnapshot(snapshot) {
      jobs.getState().applySnapshot(snapshot);
      settings.getState().applySnapshot(snapshot);
    },
    applyEvents(events, applyOptions) {
      jobs.getState().applyEvents(events, applyOptions);
      ask.getState().applyEvents(events);
    },
  };
}
