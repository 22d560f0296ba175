import type { EngineEvent, QuarryApi, Snapshot } from '../../../electron/contract/api';
import { createJobsStore, type JobsStore, type JobsStoreOptions } from './jobs-store';
import { createSearchStore, type SearchStore, type SearchStoreOptions } from './search-store';
import { createSettingsStore, type SettingsStore } from './settings-store';

/** The app's stores, one per domain, plus the two entry points the event bridge feeds. */
export interface AppStores {
  jobs: JobsStore;
  search: SearchStore;
  settings: SettingsStore;
  applySnapshot(snapshot: Snapshot): void;
  applyEvents(events: readonly EngineEvent[], options?: { replay?: boolean }): void;
}

export function createAppStores(
  api: QuarryApi,
  options: { jobs?: JobsStoreOptions; search?: SearchStoreOptions } = {},
): AppStores {
  const jobs = createJobsStore(api, options.jobs);
  const search = createSearchStore(api, options.search);
  const settings = createSettingsStore(api);
  return {
    jobs,
    search,
    settings,
    applySnapshot(snapshot) {
      jobs.getState().applySnapshot(snapshot);
      settings.getState().applySnapshot(snapshot);
    },
    applyEvents(events, applyOptions) {
      jobs.getState().applyEvents(events, applyOptions);
    },
  };
}
