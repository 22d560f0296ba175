import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import {
  type FileSnapshot,
  type IngestSource,
  type JobSummary,
  QuarryError,
  type QuarryErrorInfo,
  toErrorInfo,
} from '../../contract';
import type { Backend } from '../backend';
import type { EventCoalescer } from './event-coalescer';
import type { ExtractionCache } from './extraction-cache';
import { processFile } from './file-processor';
import { type FoundFile, findJobFiles, rootsOf, walkRoots } from './job-sources';
import type { FileChange } from './job-state';
import { JobState } from './job-state';
import type { JobRecorder } from './journal/job-recorder';
import type { RecoveredJob } from './journal/journal-reader';

export interface IngestJobOptions {
  jobId: string;
  sources: IngestSource[];
  backend: Backend;
  events: EventCoalescer;
  uploadsDir: string;
  extractionCache: ExtractionCache;
  /** Files processed at once (each one's stages run in order; stages overlap across files). */
  concurrency: number;
  recorder: JobRecorder;
  /** Set when this job resumes an interrupted one from its journal. */
  recovered?: RecoveredJob;
}

/** A file that changes on disk this many times while being read fails instead of looping. */
const MAX_CHANGE_REQUEUES = 3;

const CANCELLED: QuarryErrorInfo = { code: 'cancelled', message: 'Cancelled', retryable: true };

interface FileWork {
  n: number;
  found: FoundFile;
  /** From the journal: the hash of unchanged bytes need not be computed again. */
  knownHash: string | null;
  requeues: number;
}

/**
 * One ingest job: discovers its files, then moves each through hash -> extract -> chunk ->
 * (embed) -> index with bounded concurrency, reporting every change through the coalescer and
 * recording it in the job's journal. One bad file fails alone; the rest still finish.
 */
export class IngestJob {
  readonly state: JobState;
  private readonly queue: PQueue;
  private nextFileNumber = 0;
  private controller = newJobController();
  private readonly work = new Map<string, FileWork>();
  private readonly knownPaths = new Set<string>();
  /** Files whose index write started but did not finish: removed again if the job is cancelled. */
  private readonly indexing = new Set<string>();
  private draining: Promise<JobSummary> | null = null;
  /** Set when the app closes mid-job: the journal keeps the job resumable (not cancelled). */
  private stopping = false;

  constructor(private readonly options: IngestJobOptions) {
    this.state = new JobState(options.jobId, options.recovered?.startedAt ?? Date.now());
    this.queue = new PQueue({ concurrency: options.concurrency });
    // A job paused before the app closed stays paused until the person resumes it.
    if (options.recovered?.status === 'paused') {
      this.queue.pause();
      this.state.setStatus('paused');
    }
  }

  get jobId(): string {
    return this.options.jobId;
  }

  /** The folders and files this job walks (what a rerun of the same command would give). */
  get roots(): string[] {
    return this.options.recovered?.roots ?? rootsOf(this.options.sources);
  }

  /** Discovers (or restores) and processes every file; resolves with the summary when the job ends. */
  run(): Promise<JobSummary> {
    this.draining = (this.options.recovered ? this.restore(this.options.recovered) : this.discover()).then(
      () => this.drain(),
    );
    return this.draining;
  }

  /** Resolves when the job's current run (first run or a retry) ends. */
  get done(): Promise<JobSummary> {
    return this.draining ?? this.run();
  }

  cancel(): boolean {
    if (!this.state.isActive) return false;
    this.controller.abort();
    // A paused queue would never reach idle: let queued files run into the aborted signal.
    this.queue.start();
    this.state.setStatus('running');
    return true;
  }

  /**
   * The app is closing: abort in-flight work without recording anything final, so the journal
   * still says "running" and the next start resumes the job where it stopped.
   */
  stop(): void {
    if (!this.state.isActive) return;
    this.stopping = true;
    this.controller.abort();
    this.queue.start();
  }

  /** In-flight files finish their current call; nothing new starts until resume. */
  pause(): boolean {
    if (this.state.status !== 'running') return false;
    this.queue.pause();
    this.state.setStatus('paused');
    void this.options.recorder.jobStatus('paused');
    this.options.events.immediate({ type: 'job.progress', job: this.state.snapshot() });
    return true;
  }

  resume(): boolean {
    if (this.state.status !== 'paused') return false;
    this.state.setStatus('running');
    void this.options.recorder.jobStatus('running');
    this.queue.start();
    this.options.events.immediate({ type: 'job.progress', job: this.state.snapshot() });
    return true;
  }

  /** Runs the job's failed (and cancelled) files again; returns how many were queued. */
  retryFailed(): number {
    const failed = [...this.state.files.values()].filter(
      (file) => file.status === 'failed' && this.work.get(file.fileId)?.found.error === undefined,
    );
    if (failed.length === 0) return 0;
    const wasFinished = !this.state.isActive;
    if (wasFinished) {
      this.controller = newJobController();
      this.state.reopen();
      void this.options.recorder.jobStatus('running');
      this.options.events.immediate({ type: 'job.started', job: this.state.snapshot() });
    }
    for (const file of failed) {
      const work = this.work.get(file.fileId);
      if (!work) continue;
      work.requeues = 0;
      this.update(file.fileId, { status: 'queued', stage: 'discovered', error: null, chunks: 0 });
      void this.options.recorder.status(work.n, 'queued');
      this.enqueue(file.fileId);
    }
    if (wasFinished) this.draining = this.drain();
    return failed.length;
  }

  private async discover(): Promise<void> {
    const { recorder, sources, uploadsDir, jobId } = this.options;
    await recorder.job(jobId, this.roots, this.state.startedAt);
    await this.addFound(findJobFiles({ sources, uploadsDir, jobId, abortSignal: this.controller.signal }));
  }

  /** Rebuilds a crashed job from its journal: finished files stay finished, the rest run again. */
  private async restore(recovered: RecoveredJob): Promise<void> {
    for (const file of recovered.files) {
      const found: FoundFile = {
        diskPath: file.diskPath,
        sourcePath: file.sourcePath,
        size: file.size,
        mtimeMs: file.mtimeMs,
        mimeType: file.mimeType,
        ...(file.discoveryError ? { error: QuarryError.fromInfo(file.discoveryError) } : {}),
      };
      this.nextFileNumber = Math.max(this.nextFileNumber, file.n + 1);
      const terminal = file.status !== 'queued';
      const snapshot = this.addSnapshot(file.n, found, {
        stage: terminal ? file.stage : 'discovered',
        status: file.status,
        chunks: file.status === 'done' ? file.chunks : 0,
        error: file.error,
      });
      // A hash is reused only while the file's size and mtime are unchanged (processFile checks).
      this.work.set(snapshot.fileId, { n: file.n, found, knownHash: file.contentHash, requeues: 0 });
      if (file.requeued) await this.options.recorder.status(file.n, 'queued');
      if (!terminal) this.enqueue(snapshot.fileId);
    }
    if (recovered.status === 'running') await this.options.recorder.jobStatus('running');
    if (!recovered.discoveryComplete) await this.addFound(walkRoots(recovered.roots, this.controller.signal));
  }

  private async addFound(entries: AsyncIterable<FoundFile>): Promise<void> {
    const abortSignal = this.controller.signal;
    try {
      for await (const found of entries) {
        if (abortSignal.aborted) break;
        if (this.knownPaths.has(found.sourcePath)) continue;
        const n = this.nextFileNumber++;
        await this.options.recorder.file(n, found);
        const file = this.addSnapshot(n, found, {
          stage: 'discovered',
          status: found.error ? 'failed' : 'queued',
          chunks: 0,
          error: found.error?.toInfo() ?? null,
        });
        this.work.set(file.fileId, { n, found, knownHash: null, requeues: 0 });
        if (!found.error) this.enqueue(file.fileId);
        // Back-pressure: do not discover far ahead of what is being processed.
        await this.queue.onSizeLessThan(this.options.concurrency * 64);
      }
      if (!abortSignal.aborted) await this.options.recorder.discovered();
    } catch (error) {
      if (!abortSignal.aborted) throw error;
    }
  }

  private enqueue(fileId: string): void {
    const abortSignal = this.controller.signal;
    void this.queue
      .add(() => this.process(fileId, abortSignal), { signal: abortSignal })
      .catch(() => {
        // Aborted before it started: marked cancelled when the job drains.
      });
  }

  private async drain(): Promise<JobSummary> {
    await this.queue.onIdle();
    const { recorder } = this.options;
    if (this.stopping) {
      // Closing, not cancelling: nothing final goes to the journal.
      this.state.finish('cancelled');
      await recorder.release();
      return this.summary();
    }
    const aborted = this.controller.signal.aborted;
    if (aborted) await this.cancelRemaining();
    const status = aborted ? 'cancelled' : 'done';
    this.state.finish(status);
    const summary = this.summary();
    await recorder.jobStatus(status, summary);
    await recorder.release();
    this.options.events.immediate({ type: 'job.finished', job: this.state.snapshot(), summary });
    return summary;
  }

  private addSnapshot(
    n: number,
    found: FoundFile,
    initial: Pick<FileSnapshot, 'stage' | 'status' | 'chunks' | 'error'>,
  ): FileSnapshot {
    const normalized = found.sourcePath.replaceAll('\\', '/');
    const slash = normalized.lastIndexOf('/');
    const file: FileSnapshot = {
      fileId: `${this.options.jobId}:${n}`,
      jobId: this.options.jobId,
      path: found.sourcePath,
      name: slash >= 0 ? normalized.slice(slash + 1) : normalized,
      folder: slash >= 0 ? found.sourcePath.slice(0, slash) : '',
      size: found.size,
      mimeType: found.mimeType,
      progress: null,
      ...initial,
    };
    this.knownPaths.add(found.sourcePath);
    this.state.addFile(file);
    this.options.events.fileAdded(this.options.jobId, file, () => this.state.snapshot());
    return file;
  }

  private update(fileId: string, change: FileChange): void {
    const update = this.state.updateFile(fileId, change);
    this.options.events.fileUpdated(this.options.jobId, update, () => this.state.snapshot());
  }

  private async process(fileId: string, abortSignal: AbortSignal): Promise<void> {
    const work = this.work.get(fileId);
    const file = this.state.files.get(fileId);
    if (!work || !file) return;
    const { recorder } = this.options;
    try {
      this.update(fileId, { status: 'running' });
      const outcome = await processFile({ ...work.found, name: file.name }, work.knownHash, {
        backend: this.options.backend,
        extractionCache: this.options.extractionCache,
        abortSignal,
        // Journal first, then tell the UI: what anyone saw finish is durable.
        onStage: async (stage, detail) => {
          if (detail.contentHash) work.knownHash = detail.contentHash;
          await recorder.stage(work.n, stage, detail);
          this.update(fileId, { stage, ...(detail.chunks !== undefined ? { chunks: detail.chunks } : {}) });
        },
        onIndexing: () => this.indexing.add(fileId),
      });
      this.indexing.delete(fileId);
      if (outcome.status === 'changed') return this.requeueChanged(fileId, work, outcome);
      if (outcome.status === 'skipped') {
        await recorder.status(work.n, 'skipped');
        this.update(fileId, { status: 'skipped' });
        return;
      }
      await recorder.stage(work.n, 'indexed', { chunks: outcome.chunks });
      await recorder.status(work.n, 'done');
      this.update(fileId, { stage: 'indexed', status: 'done', chunks: outcome.chunks });
    } catch (error) {
      const info = abortSignal.aborted ? CANCELLED : toErrorInfo(error);
      // A cancelled file is not a finished one: after a crash-free cancel it may be retried.
      if (!abortSignal.aborted) await recorder.status(work.n, 'failed', info);
      this.update(fileId, { status: 'failed', error: info, progress: null });
    }
  }

  /** The file changed while it was read: run it again on its new bytes (a few times at most). */
  private requeueChanged(fileId: string, work: FileWork, now: { size: number; mtimeMs: number }): void {
    work.requeues += 1;
    work.knownHash = null;
    work.found = { ...work.found, size: now.size, mtimeMs: now.mtimeMs };
    if (work.requeues > MAX_CHANGE_REQUEUES) {
      const error: QuarryErrorInfo = {
        code: 'invalid_input',
        message: 'The file kept changing while it was being read; ingest it again once it is saved.',
        retryable: true,
        reason: 'file_changing',
      };
      this.update(fileId, { status: 'failed', error });
      void this.options.recorder.status(work.n, 'failed', error);
      return;
    }
    this.update(fileId, { status: 'queued', stage: 'discovered', chunks: 0 });
    this.enqueue(fileId);
  }

  /** Marks unfinished files cancelled and removes any a cancel caught half-way into the index. */
  private async cancelRemaining(): Promise<void> {
    for (const fileId of this.indexing) {
      const file = this.state.files.get(fileId);
      if (file) await this.options.backend.index.removeFile(file.path).catch(() => {});
    }
    this.indexing.clear();
    for (const file of this.state.files.values()) {
      if (file.status === 'queued' || file.status === 'running') {
        this.update(file.fileId, { status: 'failed', error: CANCELLED });
      }
    }
  }

  private summary(): JobSummary {
    const counts = this.state.snapshot().counts;
    const failures = [...this.state.files.values()]
      .filter((file) => file.status === 'failed' && file.error)
      .map((file) => ({
        path: file.path,
        code: file.error?.code ?? 'service',
        message: file.error?.message ?? '',
      }));
    return {
      type: 'summary',
      files: counts.files,
      indexed: counts.indexed,
      skipped: counts.skipped,
      failed: counts.failed,
      chunks: counts.chunks,
      elapsedMs: Date.now() - this.state.startedAt,
      failures,
    };
  }
}

function newJobController(): AbortController {
  const controller = new AbortController();
  // Every queued file and in-flight call listens on the job's signal: hundreds is expected, not a leak.
  setMaxListeners(0, controller.signal);
  return controller;
}
