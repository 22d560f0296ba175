import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent, QuarryApi, Snapshot } from '../../../electron/contract/api';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import type { FileSnapshot, JobSnapshot, JobSummary } from '../../../electron/contract/model';
import { errorInfoOf } from '../api/call-error';
import type { DroppedItem } from '../lib/dropped-items';
import { batchSources, toIngestSources } from '../lib/ingest-sources';
import { countTransition, emptyCounts, type StatusCounts } from './file-counts';
import { isOlderFileState, isOlderJobState } from './file-merge';
import { nextRun, type RunProgress } from './run-rate';

export type ServiceState = Extract<EngineEvent, { type: 'service.state' }>['state'];
export type FileFilter = 'all' | 'active' | 'failed' | 'done';
export type JobControl = 'pause' | 'resume' | 'cancel' | 'retry';

export interface JobsState {
  /**
   * Every file by id. The map is owned by the store and updated in place so an event costs
   * O(changed files); each changed file gets a new object, so per-row selectors (`files.get(id)`)
   * see exactly their own changes. Whole-list readers select `revision`, which bumps on every change.
   */
  files: ReadonlyMap<string, FileSnapshot>;
  /** File ids in arrival order; a new array only when files are added. */
  order: readonly string[];
  revision: number;
  jobs: Readonly<Record<string, JobSnapshot>>;
  summaries: Readonly<Record<string, JobSummary>>;
  services: Readonly<Record<string, ServiceState>>;
  counts: StatusCounts;
  run: RunProgress | null;
  filter: FileFilter;
  /** A drop being read and sent to the engine. */
  submitting: boolean;
  /** The last failed command (start, pause, resume, cancel, retry); cleared by the next command or `dismissError`. */
  commandError: QuarryErrorInfo | null;
  /** Jobs with a control request in flight (their buttons wait for the answer). */
  pendingJobs: Readonly<Record<string, JobControl>>;

  applySnapshot(snapshot: Snapshot): void;
  /** `replay`: events that arrived before the snapshot and may already be reflected in it. */
  applyEvents(events: readonly EngineEvent[], options?: { replay?: boolean }): void;
  setFilter(filter: FileFilter): void;
  ingest(items: readonly DroppedItem[]): Promise<void>;
  cancelRunningJobs(): Promise<void>;
  /** One job's controls: in-flight files finish their current step on pause; retry re-queues its failed files. */
  controlJob(jobId: string, control: JobControl): Promise<void>;
  dismissError(): void;
}

export type JobsStore = StoreApi<JobsState>;

export interface JobsStoreOptions {
  now?: () => number;
}

const NOTHING_TO_INGEST: QuarryErrorInfo = {
  code: 'invalid_input',
  message:
    'Nothing to ingest: the drop held no files. Drop files or folders, or choose them with the buttons.',
  retryable: false,
};

export function createJobsStore(
  api: Pick<QuarryApi, 'startIngest' | 'cancelJob' | 'pauseJob' | 'resumeJob' | 'retryFailed'>,
  options: JobsStoreOptions = {},
): JobsStore {
  const now = options.now ?? Date.now;
  const files = new Map<string, FileSnapshot>();

  return createStore<JobsState>()((set, get) => ({
    files,
    order: [],
    revision: 0,
    jobs: {},
    summaries: {},
    services: {},
    counts: emptyCounts(),
    run: null,
    filter: 'all',
    submitting: false,
    commandError: null,
    pendingJobs: {},

    applySnapshot(snapshot) {
      files.clear();
      const counts = emptyCounts();
      for (const file of snapshot.files) {
        files.set(file.fileId, file);
        countTransition(counts, null, file.status);
      }
      const jobs = Object.fromEntries(snapshot.jobs.map((job) => [job.jobId, job]));
      set((state) => ({
        order: snapshot.files.map((file) => file.fileId),
        revision: state.revision + 1,
        jobs,
        counts,
        run: nextRun(null, counts, now()),
      }));
    },

    applyEvents(events, { replay = false } = {}) {
      const state = get();
      const counts = { ...state.counts };
      const added: string[] = [];
      let filesChanged = false;
      let jobs = state.jobs;
      let summaries = state.summaries;
      let services = state.services;

      const putFile = (file: FileSnapshot): void => {
        const current = files.get(file.fileId);
        if (current && replay && isOlderFileState(file, current)) return;
        if (!current) added.push(file.fileId);
        countTransition(counts, current?.status ?? null, file.status);
        files.set(file.fileId, file);
        filesChanged = true;
      };
      const putJob = (job: JobSnapshot): void => {
        const current = jobs[job.jobId];
        if (current && replay && isOlderJobState(job, current)) return;
        jobs = { ...jobs, [job.jobId]: job };
      };

      for (const event of events) {
        switch (event.type) {
          case 'files.added':
            for (const file of event.files) putFile(file);
            break;
          case 'files.updated':
            for (const update of event.files) {
              const current = files.get(update.fileId);
              // An update for a file we never saw added carries no name to show: skip it.
              if (current) putFile({ ...current, ...update });
            }
            break;
          case 'job.started':
          case 'job.progress':
            putJob(event.job);
            break;
          case 'job.finished':
            putJob(event.job);
            summaries = { ...summaries, [event.job.jobId]: event.summary };
            break;
          case 'service.state':
            services = { ...services, [event.state.service]: event.state };
            break;
        }
      }

      set({
        jobs,
        summaries,
        services,
        ...(filesChanged
          ? { revision: state.revision + 1, counts, run: nextRun(state.run, counts, now()) }
          : {}),
        ...(added.length > 0 ? { order: state.order.concat(added) } : {}),
      });
    },

    setFilter(filter) {
      set({ filter });
    },

    async ingest(items) {
      if (items.length === 0) {
        set({ commandError: NOTHING_TO_INGEST });
        return;
      }
      set({ submitting: true, commandError: null });
      try {
        const sources = await toIngestSources(items);
        for (const batch of batchSources(sources)) await api.startIngest({ sources: batch });
      } catch (error) {
        set({ commandError: errorInfoOf(error) });
      } finally {
        set({ submitting: false });
      }
    },

    async cancelRunningJobs() {
      set({ commandError: null });
      const running = Object.values(get().jobs).filter(
        (job) => job.status === 'running' || job.status === 'paused',
      );
      const results = await Promise.allSettled(running.map((job) => api.cancelJob({ jobId: job.jobId })));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) set({ commandError: errorInfoOf(failure.reason) });
    },

    async controlJob(jobId, control) {
      set((state) => ({ commandError: null, pendingJobs: { ...state.pendingJobs, [jobId]: control } }));
      try {
        if (control === 'pause') await api.pauseJob({ jobId });
        else if (control === 'resume') await api.resumeJob({ jobId });
        else if (control === 'cancel') await api.cancelJob({ jobId });
        else await api.retryFailed({ jobId });
      } catch (error) {
        set({ commandError: errorInfoOf(error) });
      } finally {
        set((state) => {
          const { [jobId]: _done, ...rest } = state.pendingJobs;
          return { pendingJobs: rest };
        });
      }
    },

    dismissError() {
      set({ commandError: null });
    },
  }));
}
