import type { EngineEvent, FileSnapshot, FileUpdate, JobSnapshot } from '../../contract';

export interface EventCoalescerOptions {
  /** How often pending file changes are flushed as one event per job. */
  flushIntervalInMs?: number;
  /** Flush early once this many distinct files are pending, so one event stays small. */
  maxBatch?: number;
}

interface PendingJob {
  added: FileSnapshot[];
  updated: Map<string, FileUpdate>;
  progress: (() => JobSnapshot) | null;
}

/**
 * Turns the engine's per-file changes into a few events per second: repeated changes to one file
 * collapse into its latest state, and additions and updates are sent in batches. Job lifecycle
 * events (`job.started`, `job.finished`) flush what is pending first, so order is preserved.
 */
export class EventCoalescer {
  private readonly pending = new Map<string, PendingJob>();
  private timer: NodeJS.Timeout | null = null;
  private readonly flushIntervalInMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly emit: (event: EngineEvent) => void,
    options: EventCoalescerOptions = {},
  ) {
    this.flushIntervalInMs = options.flushIntervalInMs ?? 200;
    this.maxBatch = options.maxBatch ?? 2000;
  }

  private job(jobId: string): PendingJob {
    let job = this.pending.get(jobId);
    if (!job) {
      job = { added: [], updated: new Map(), progress: null };
      this.pending.set(jobId, job);
    }
    return job;
  }

  fileAdded(jobId: string, file: FileSnapshot, progress: () => JobSnapshot): void {
    const job = this.job(jobId);
    job.added.push(file);
    job.progress = progress;
    this.schedule(job.added.length + job.updated.size);
  }

  fileUpdated(jobId: string, update: FileUpdate, progress: () => JobSnapshot): void {
    const job = this.job(jobId);
    job.updated.set(update.fileId, update);
    job.progress = progress;
    this.schedule(job.added.length + job.updated.size);
  }

  /** Lifecycle and other events go out at once, after everything pending. */
  immediate(event: EngineEvent): void {
    this.flush();
    this.emit(event);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const jobs = [...this.pending.entries()];
    this.pending.clear();
    for (const [jobId, job] of jobs) {
      if (job.added.length > 0) this.emit({ type: 'files.added', jobId, files: job.added });
      if (job.updated.size > 0) this.emit({ type: 'files.updated', jobId, files: [...job.updated.values()] });
      if (job.progress) this.emit({ type: 'job.progress', job: job.progress() });
    }
  }

  private schedule(pendingCount: number): void {
    if (pendingCount >= this.maxBatch) {
      this.flush();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushIntervalInMs);
      this.timer.unref?.();
    }
  }

  close(): void {
    this.flush();
  }
}
