import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import type { FileSnapshot } from '../../../electron/contract/model';
import type { AppStores } from './app-stores';
import type { AskState } from './ask-store';
import { failuresByJob, type JobFailures, visibleFileIds } from './jobs-selectors';
import type { JobsState } from './jobs-store';
import type { PreviewState } from './preview-store';
import type { SearchState } from './search-store';
import type { SettingsState } from './settings-store';
import type { UiState } from './ui-store';

export const StoresContext = createContext<AppStores | null>(null);

export function useAppStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useAppStores must be used inside <StoresContext.Provider>');
  return stores;
}

export function useJobs<T>(selector: (state: JobsState) => T): T {
  return useStore(useAppStores().jobs, selector);
}

export function useSearch<T>(selector: (state: SearchState) => T): T {
  return useStore(useAppStores().search, selector);
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useAppStores().settings, selector);
}

export function usePreview<T>(selector: (state: PreviewState) => T): T {
  return useStore(useAppStores().preview, selector);
}

export function useAsk<T>(selector: (state: AskState) => T): T {
  return useStore(useAppStores().ask, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useAppStores().ui, selector);
}

/** Failed files by job, recomputed only when some file changed. */
export function useFailures(): JobFailures[] {
  const files = useJobs((state) => state.files);
  const order = useJobs((state) => state.order);
  const failed = useJobs((state) => state.counts.failed);
  const revision = useJobs((state) => (state.counts.failed > 0 ? state.revision : 0));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `revision` stands for changes inside `files`
  return useMemo(() => (failed > 0 ? failuresByJob({ files, order }) : []), [files, order, failed, revision]);
}

/** One file's state: a row re-renders only when its own file changes. */
export function useFile(fileId: string): FileSnapshot | undefined {
  return useJobs((state) => state.files.get(fileId));
}

/** The ids the list shows, recomputed only when files, their order or the filter change. */
export function useVisibleFileIds(): readonly string[] {
  const files = useJobs((state) => state.files);
  const order = useJobs((state) => state.order);
  const filter = useJobs((state) => state.filter);
  // With a filter, statuses matter, so any file change (a new revision) may change the list.
  const revision = useJobs((state) => (state.filter === 'all' ? 0 : state.revision));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `revision` stands for changes inside `files`
  return useMemo(() => visibleFileIds({ files, order, filter }), [files, order, filter, revision]);
}
