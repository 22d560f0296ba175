import type { FileSnapshot, JobSnapshot } from '../../../electron/contract/model';
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
  Object.values(state.jobs).some((job) => job.status === 'running' || job.status === 'paused');

/** Jobs that can still be paused, resumed or cancelled, oldest first. */
export function activeJobs(jobs: JobsState['jobs']): JobSnapshot[] {
  return Object.values(jobs)
    .filter((job) => job.status === 'running' || job.status === 'paused')
    .sort((a, b) => a.startedAt - b.startedAt);
}

export interface JobFailures {
  jobId: string;
  files: FileSnapshot[];
}

/** Failed files grouped by job, in arrival order. O(files): call it memoised on `revision`. */
export function failuresByJob(state: Pick<JobsState, 'files' | 'order'>): JobFailures[] {
  const groups = new Map<string, FileSnapshot[]>();
  for (const id of state.order) {
    const file = state.files.get(id);
    if (file?.status !== 'failed') continue;
    const group = groups.get(file.jobId);
    if (group) group.push(file);
    else groups.set(file.jobId, [file]);
  }
  return [...groups].map(([jobId, files]) => ({ jobId, files }));
}
