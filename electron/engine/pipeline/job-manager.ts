import { randomUUID } from 'node:crypto';
import type { FileSnapshot, IngestSource, JobSnapshot, JobSummary } from '../../contract';
import { QuarryError } from '../../contract';
import type { Backend } from '../backend';
import type { EventCoalescer } from './event-coalescer';
import type { ExtractionCache } from './extraction-cache';
import { IngestJob } from './ingest-job';

/** Starts, pauses, resumes, cancels, retries and remembers this session's ingest jobs. */
export class JobManager {
  private readonly jobs = new Map<string, IngestJob>();

  constructor(
    private readonly options: {
      backend: () => Promise<Backend>;
      events: EventCoalescer;
      uploadsDir: string;
      extractionCache: ExtractionCache;
      concurrency: () => number;
    },
  ) {}

  async start(sources: IngestSource[]): Promise<{ jobId: string; done: Promise<JobSummary> }> {
    const backend = await this.options.backend();
    const jobId = randomUUID();
    const job = new IngestJob({
      jobId,
      sources,
      backend,
      events: this.options.events,
      uploadsDir: this.options.uploadsDir,
      extractionCache: this.options.extractionCache,
      concurrency: backend.fileConcurrency ?? this.options.concurrency(),
    });
    this.jobs.set(jobId, job);
    this.options.events.immediate({ type: 'job.started', job: job.state.snapshot() });
    const done = job.run();
    // A failure here is a bug in the pipeline, not a bad file; it is reported, not swallowed.
    done.catch((error: unknown) => {
      job.state.finish('failed');
      this.options.events.immediate({
        type: 'job.finished',
        job: job.state.snapshot(),
        summary: {
          type: 'summary',
          files: 0,
          indexed: 0,
          skipped: 0,
          failed: 0,
          chunks: 0,
          elapsedMs: 0,
          failures: [{ path: '', code: 'service', message: String(error) }],
        },
      });
    });
    return { jobId, done };
  }

  private job(jobId: string): IngestJob {
    const job = this.jobs.get(jobId);
    if (!job) throw new QuarryError('invalid_input', `No job with id ${jobId}`, { reason: 'unknown_job' });
    return job;
  }

  cancel(jobId: string): boolean {
    return this.jobs.get(jobId)?.cancel() ?? false;
  }

  pause(jobId: string): boolean {
    return this.job(jobId).pause();
  }

  resume(jobId: string): boolean {
    return this.job(jobId).resume();
  }

  /** Queues a job's failed files again; `done` resolves when that retry ends. */
  retryFailed(jobId: string): { retried: number; done: Promise<JobSummary> } {
    const job = this.job(jobId);
    const retried = job.retryFailed();
    return { retried, done: job.done };
  }

  snapshot(): { jobs: JobSnapshot[]; files: FileSnapshot[] } {
    const jobs: JobSnapshot[] = [];
    const files: FileSnapshot[] = [];
    for (const job of this.jobs.values()) {
      jobs.push(job.state.snapshot());
      for (const file of job.state.files.values()) files.push(file);
    }
    return { jobs, files };
  }

  /** Cancels running jobs and waits for them to settle. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.cancel();
    await Promise.allSettled([...this.jobs.values()].map((job) => job.done));
  }
}
