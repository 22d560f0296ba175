import type { FileSnapshot } from '../../../electron/contract/model';
import type { FileFilter, JobsState } from './jobs-store';

const FILTERS: Record<Exclude<FileFilter, 'all'>, (file: FileSnapshot) => boolean> = {
  active: (file) => file.status === 'queued' || file.status === 'running',
  failed: (file) => file.status === 'failed',
  done: (file) => file.status === 'done' || file.status === 'skipped',
};

/** The ids the list shows for the current filter, in arrival order. O(files) when filtered: call it memoised. */
export function visibleFileIds(state: Pick<JobsState, 'files' | 'order' | 'filter'>): readonly string[] {
  if (state.filter === 'all') return state.order;
  const keep = FILTERS[state.filter];
  return state.order.filter((id) => {
    const file = state.files.get(id);
    return file !== undefined && keep(file);
  });
}

export const hasRunningJob = (state: Pick<JobsState, 'jobs'>): boolean =>
  Object.values(state.jobs).some((job) => job.status === 'running');
