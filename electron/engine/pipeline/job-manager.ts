import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FileSnapshot, IngestSource, JobSnapshot, JobSummary } from '../../contract';
import { QuarryError } from '../../contract';
import type { Backend } from '../backend';
import type { EngineLog, LogFields } from '../logging/types';
import type { EventCoalescer } from './event-coalescer';
import type { ExtractionCache } from './extraction-cache';
import { IngestJob } from './ingest-job';
import { rootsOf } from './job-sources';
import { JobRecorder } from './journal/job-recorder';
import { type RecoveredJob, readJournal } from './journal/journal-reader';
import { JournalWriter } from './journal/journal-writer';

export interface JobManagerOptions {
  backend: () => Promise<Backend>;
  events: EventCoalescer;
  uploadsDir: string;
  extractionCache: ExtractionCache;
  /** Where job journals live; one `<jobId>.journal` per job. */
  jobsDir: string;
  concurrency: () => number;
  /** Service log: each job's start and its summary (counts only, no paths or text). */
  log?: EngineLog;
}

const JOURNAL_SUFFIX = '.journal';

/**
 * Starts, pauses, resumes, cancels and retries ingest jobs; keeps their journals so a crashed or
 * closed run picks up where it stopped, and remembers finished jobs as history.
 */
export class JobManager {
  private readonly jobs = new Map<string, IngestJob>();
  /** Finished jobs of earlier sessions (figures only). */
  private readonly finished = new Map<string, JobSnapshot>();
  private readonly roots = new Map<string, string[]>();
  /** Jobs a crash or close interrupted, not yet resumed. */
  private readonly interrupted = new Map<string, RecoveredJob>();

  constructor(private readonly options: JobManagerOptions) {}

  /** Reads every journal: finished jobs become history, unfinished ones wait to be resumed. */
  async load(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.options.jobsDir);
    } catch {
      return;
    }
    for (const name of names.filter((n) => n.endsWith(JOURNAL_SUFFIX))) {
      const recovered = await readJournal(path.join(this.options.jobsDir, name)).catch(() => null);
      if (!recovered) continue;
      if (recovered.status === 'running' || recovered.status === 'paused') {
        this.interrupted.set(recovered.jobId, recovered);
      } else {
        this.finished.set(recovered.jobId, historySnapshot(recovered));
        this.roots.set(recovered.jobId, recovered.roots);
      }
    }
  }

  /** Interrupted jobs (a crash or close stopped them), oldest first. */
  interruptedJobs(): RecoveredJob[] {
    return [...this.interrupted.values()].sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The interrupted job a rerun of the same command should continue, if any. */
  findInterrupted(sources: IngestSource[]): RecoveredJob | null {
    if (sources.some((source) => source.kind === 'upload')) return null;
    const wanted = sameRoots(rootsOf(sources));
    return this.interruptedJobs().find((job) => sameRoots(job.roots) === wanted) ?? null;
  }

  async start(sources: IngestSource[]): Promise<{ jobId: string; done: Promise<JobSummary> }> {
    return this.launch({ jobId: randomUUID(), sources });
  }

  /** Continues an interrupted job from its journal. */
  async resumeInterrupted(jobId: string): Promise<{ jobId: string; done: Promise<JobSummary> }> {
    const recovered = this.interrupted.get(jobId);
    if (!recovered)
      throw new QuarryError('invalid_input', `No interrupted job with id ${jobId}`, {
        reason: 'unknown_job',
      });
    this.interrupted.delete(jobId);
    return this.launch({ jobId, sources: [], recovered });
  }

  private async launch(spec: {
    jobId: string;
    sources: IngestSource[];
    recovered?: RecoveredJob;
  }): Promise<{ jobId: string; done: Promise<JobSummary> }> {
    const backend = await this.options.backend();
    const { jobId } = spec;
    const recorder = new JobRecorder(
      new JournalWriter(path.join(this.options.jobsDir, `${jobId}${JOURNAL_SUFFIX}`)),
    );
    const job = new IngestJob({
      jobId,
      sources: spec.sources,
      backend,
      events: this.options.events,
      uploadsDir: this.options.uploadsDir,
      extractionCache: this.options.extractionCache,
      concurrency: backend.fileConcurrency ?? this.options.concurrency(),
      recorder,
      ...(spec.recovered ? { recovered: spec.recovered } : {}),
    });
    this.jobs.set(jobId, job);
    this.options.events.immediate({ type: 'job.started', job: job.state.snapshot() });
    this.options.log?.write('info', 'job.start', {
      jobId,
      backend: backend.kind,
      sources: spec.sources.length,
      resumed: spec.recovered !== undefined,
    });
    const done = job.run();
    done.then(
      (summary) => this.options.log?.write('info', 'job.finish', { jobId, ...summaryCounts(summary) }),
      () => this.options.log?.write('error', 'job.finish', { jobId, outcome: 'crashed' }),
    );
    // A failure here is a bug in the pipeline, not a bad file; it is reported, not swallowed.
    done.catch((error: unknown) => {
      job.state.finish('failed');
      const summary: JobSummary = {
        ...emptySummary(),
        failures: [{ path: '', code: 'service', message: String(error) }],
      };
      void recorder.jobStatus('failed', summary);
      this.options.events.immediate({ type: 'job.finished', job: job.state.snapshot(), summary });
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
  async retryFailed(jobId: string): Promise<{ retried: number; done: Promise<JobSummary> }> {
    const live = this.jobs.get(jobId);
    if (live) {
      const retried = live.retryFailed();
      return { retried, done: live.done };
    }
    return this.retryFinished(jobId);
  }

  /** A job of an earlier session: rebuilt from its journal with its failed files queued again. */
  private async retryFinished(jobId: string): Promise<{ retried: number; done: Promise<JobSummary> }> {
    if (!this.finished.has(jobId))
      throw new QuarryError('invalid_input', `No job with id ${jobId}`, { reason: 'unknown_job' });
    const recovered = await readJournal(path.join(this.options.jobsDir, `${jobId}${JOURNAL_SUFFIX}`));
    if (!recovered)
      throw new QuarryError('invalid_input', `The journal of job ${jobId} cannot be read`, {
        reason: 'unknown_job',
      });
    let retried = 0;
    for (const file of recovered.files) {
      if (file.status !== 'failed' || file.discoveryError) continue;
      file.status = 'queued';
      file.error = null;
      file.requeued = true;
      retried += 1;
    }
    if (retried === 0) return { retried, done: Promise.resolve(emptySummary()) };
    this.finished.delete(jobId);
    const launched = await this.launch({
      jobId,
      sources: [],
      recovered: { ...recovered, status: 'running', discoveryComplete: true },
    });
    return { retried, done: launched.done };
  }

  snapshot(): { jobs: JobSnapshot[]; files: FileSnapshot[] } {
    const jobs: JobSnapshot[] = [...this.finished.values()];
    const files: FileSnapshot[] = [];
    for (const job of this.jobs.values()) {
      jobs.push(job.state.snapshot());
      for (const file of job.state.files.values()) files.push(file);
    }
    return { jobs, files };
  }

  /** Every job the data folder knows, newest first: `interrupted` ones resume on the next run. */
  history(): { job: JobSnapshot; roots: string[]; interrupted: boolean }[] {
    const entries = [
      ...[...this.finished.values()].map((job) => ({
        job,
        roots: this.roots.get(job.jobId) ?? [],
        interrupted: false,
      })),
      ...[...this.interrupted.values()].map((recovered) => ({
        job: { ...historySnapshot(recovered), status: recovered.status },
        roots: recovered.roots,
        interrupted: true,
      })),
      ...[...this.jobs.values()].map((job) => ({
        job: job.state.snapshot(),
        roots: job.roots,
        interrupted: false,
      })),
    ];
    return entries.sort((a, b) => b.job.startedAt - a.job.startedAt);
  }

  /** Stops running jobs without cancelling them: their journals let the next start resume them. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.stop();
    await Promise.allSettled([...this.jobs.values()].map((job) => job.done));
  }
}

/** A summary as counts: how many files ended each way and how many failed with each code. */
function summaryCounts(summary: JobSummary): LogFields {
  const failureCodes = new Map<string, number>();
  for (const failure of summary.failures) {
    failureCodes.set(failure.code, (failureCodes.get(failure.code) ?? 0) + 1);
  }
  return {
    files: summary.files,
    indexed: summary.indexed,
    skipped: summary.skipped,
    failed: summary.failed,
    chunks: summary.chunks,
    elapsedMs: summary.elapsedMs,
    failureCodes: [...failureCodes].map(([code, count]) => `${code}:${count}`),
  };
}

function emptySummary(): JobSummary {
  return {
    type: 'summary',
    files: 0,
    indexed: 0,
    skipped: 0,
    failed: 0,
    chunks: 0,
    elapsedMs: 0,
    failures: [],
  };
}

function sameRoots(roots: string[]): string {
  return JSON.stringify([...roots].sort());
}

function historySnapshot(job: RecoveredJob): JobSnapshot {
  const summary = job.summary;
  return {
    jobId: job.jobId,
    status: job.status,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    counts: {
      files: summary?.files ?? job.files.length,
      queued: 0,
      running: 0,
      indexed: summary?.indexed ?? 0,
      skipped: summary?.skipped ?? 0,
      failed: summary?.failed ?? 0,
      chunks: summary?.chunks ?? 0,
    },
  };
}
