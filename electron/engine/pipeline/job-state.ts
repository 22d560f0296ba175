import type {
  FileSnapshot,
  FileUpdate,
  JobCounts,
  JobSnapshot,
  JobStatus,
  QuarryErrorInfo,
} from '../../contract';

export type FileChange = Partial<
  Pick<FileSnapshot, 'stage' | 'status' | 'progress' | 'chunks' | 'error' | 'mimeType'>
>;

const emptyCounts = (): JobCounts => ({
  files: 0,
  queued: 0,
  running: 0,
  indexed: 0,
  skipped: 0,
  failed: 0,
  chunks: 0,
});

/** Where a status contributes to the job's counts ('done' files are the indexed ones). */
const COUNT_KEY = {
  queued: 'queued',
  running: 'running',
  done: 'indexed',
  skipped: 'skipped',
  failed: 'failed',
} as const;

/**
 * The in-memory state of one ingest job: every file's latest snapshot and the job's counts,
 * kept incrementally so an update costs O(1) whatever the number of files.
 */
export class JobState {
  readonly files = new Map<string, FileSnapshot>();
  private readonly counts = emptyCounts();
  private jobStatus: JobStatus = 'running';
  private finishedAt: number | null = null;

  constructor(
    readonly jobId: string,
    readonly startedAt: number = Date.now(),
  ) {}

  addFile(file: FileSnapshot): void {
    this.files.set(file.fileId, file);
    this.counts.files += 1;
    this.counts[COUNT_KEY[file.status]] += 1;
    this.counts.chunks += file.chunks;
  }

  /** Applies a change and returns the file's new state as an update event entry. */
  updateFile(fileId: string, change: FileChange): FileUpdate {
    const current = this.files.get(fileId);
    if (!current) throw new Error(`Unknown file ${fileId} in job ${this.jobId}`);
    const next: FileSnapshot = { ...current, ...change };
    if (next.status !== current.status) {
      this.counts[COUNT_KEY[current.status]] -= 1;
      this.counts[COUNT_KEY[next.status]] += 1;
    }
    this.counts.chunks += next.chunks - current.chunks;
    this.files.set(fileId, next);
    return toUpdate(next);
  }

  fail(fileId: string, error: QuarryErrorInfo): FileUpdate {
    return this.updateFile(fileId, { status: 'failed', error, progress: null });
  }

  finish(status: 'done' | 'cancelled' | 'failed', at: number = Date.now()): void {
    this.jobStatus = status;
    this.finishedAt = at;
  }

  setStatus(status: 'running' | 'paused'): void {
    this.jobStatus = status;
  }

  /** A finished job runs again (retrying its failed files). */
  reopen(): void {
    this.jobStatus = 'running';
    this.finishedAt = null;
  }

  get status(): JobStatus {
    return this.jobStatus;
  }

  /** Running or paused: not finished. */
  get isActive(): boolean {
    return this.jobStatus === 'running' || this.jobStatus === 'paused';
  }

  snapshot(): JobSnapshot {
    return {
      jobId: this.jobId,
      status: this.jobStatus,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      counts: { ...this.counts },
    };
  }
}

export function toUpdate(file: FileSnapshot): FileUpdate {
  return {
    fileId: file.fileId,
    stage: file.stage,
    status: file.status,
    progress: file.progress,
    chunks: file.chunks,
    error: file.error,
  };
}
