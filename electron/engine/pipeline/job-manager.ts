import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { FileSnapshot, IngestSource, JobSnapshot, JobSummary } from '../../contract';
import type { Backend } from '../backend';
import type { EventCoalescer } from './event-coalescer';
import { IngestJob } from './ingest-job';

interface RunningJob {
  job: IngestJob;
  controller: AbortController;
  done: Promise<JobSummary>;
}

/** Starts, cancels and remembers this session's ingest jobs. */
export class JobManager {
  private readonly jobs = new Map<string, RunningJob>();

  constructor(
    private readonly options: {
      backend: () => Promise<Backend>;
      events: EventCoalescer;
      uploadsDir: string;
      concurrency: () => number;
    },
  ) {}

  async start(sources: IngestSource[]): Promise<{ jobId: string; done: Promise<JobSummary> }> {
    const backend = await this.options.backend();
    const jobId = randomUUID();
    const controller = new AbortController();
    // Every queued file and in-flight call listens on the job's signal: hundreds is expected, not a leak.
    setMaxListeners(0, controller.signal);
    const job = new IngestJob({
      jobId,
      sources,
      backend,
      events: this.options.events,
      uploadsDir: this.options.uploadsDir,
      concurrency: this.options.concurrency(),
      abortSignal: controller.signal,
    });
    this.options.events.immediate({ type: 'job.started', job: job.state.snapshot() });
    const done = job.run();
    this.jobs.set(jobId, { job, controller, done });
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

  cancel(jobId: string): boolean {
    const running = this.jobs.get(jobId);
    if (!running || !running.job.state.isRunning) return false;
    running.controller.abort();
    return true;
  }

  snapshot(): { jobs: JobSnapshot[]; files: FileSnapshot[] } {
    const jobs: JobSnapshot[] = [];
    const files: FileSnapshot[] = [];
    for (const { job } of this.jobs.values()) {
      jobs.push(job.state.snapshot());
      for (const file of job.state.files.values()) files.push(file);
    }
    return { jobs, files };
  }

  /** Cancels running jobs and waits for them to settle. */
  async close(): Promise<void> {
    for (const running of this.jobs.values()) running.controller.abort();
    await Promise.allSettled([...this.jobs.values()].map((running) => running.done));
  }
}
