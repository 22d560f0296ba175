import { setMaxListeners } from 'node:events';
import { open } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import {
  type FileSnapshot,
  type IngestSource,
  type JobSummary,
  QuarryError,
  toErrorInfo,
} from '../../contract';
import type { Backend } from '../backend';
import type { ExtractedDocument, IndexDocument, SourceFile } from '../types';
import { chunkDocument } from './chunking';
import { discoverFiles } from './discovery';
import type { EventCoalescer } from './event-coalescer';
import type { ExtractionCache } from './extraction-cache';
import { hashFile } from './hashing';
import type { FileChange } from './job-state';
import { JobState } from './job-state';
import { detectMimeType } from './mime';
import { storeUpload } from './uploads';

export interface IngestJobOptions {
  jobId: string;
  sources: IngestSource[];
  backend: Backend;
  events: EventCoalescer;
  uploadsDir: string;
  extractionCache: ExtractionCache;
  /** Files processed at once (each one's stages run in order; stages overlap across files). */
  concurrency: number;
}

/** A file found for this job, before it has a snapshot. */
interface FoundFile {
  diskPath: string;
  sourcePath: string;
  size: number;
  mtimeMs: number;
  mimeType: string | null;
  error?: QuarryError;
}

/**
 * One ingest job: discovers its files, then moves each through hash -> extract -> chunk ->
 * (embed) -> index with bounded concurrency, reporting every change through the coalescer.
 * One bad file fails alone; the rest still finish.
 */
export class IngestJob {
  readonly state: JobState;
  private readonly queue: PQueue;
  private nextFileNumber = 0;
  private controller = newJobController();
  /** What discovery found for each file, so a retry can run it again. */
  private readonly found = new Map<string, FoundFile>();
  private draining: Promise<JobSummary> | null = null;

  constructor(private readonly options: IngestJobOptions) {
    this.state = new JobState(options.jobId);
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  /** Discovers and processes every file; resolves with the summary when the job ends. */
  run(): Promise<JobSummary> {
    this.draining = this.discoverAndProcess().then(() => this.drain());
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

  /** In-flight files finish their current call; nothing new starts until resume. */
  pause(): boolean {
    if (this.state.status !== 'running') return false;
    this.queue.pause();
    this.state.setStatus('paused');
    this.options.events.immediate({ type: 'job.progress', job: this.state.snapshot() });
    return true;
  }

  resume(): boolean {
    if (this.state.status !== 'paused') return false;
    this.state.setStatus('running');
    this.queue.start();
    this.options.events.immediate({ type: 'job.progress', job: this.state.snapshot() });
    return true;
  }

  /** Runs the job's failed (and cancelled) files again; returns how many were queued. */
  retryFailed(): number {
    const failed = [...this.state.files.values()].filter(
      (file) => file.status === 'failed' && this.found.get(file.fileId)?.error === undefined,
    );
    if (failed.length === 0) return 0;
    const wasFinished = !this.state.isActive;
    if (wasFinished) {
      this.controller = newJobController();
      this.state.reopen();
      this.options.events.immediate({ type: 'job.started', job: this.state.snapshot() });
    }
    for (const file of failed) {
      this.update(file.fileId, { status: 'queued', stage: 'discovered', error: null, chunks: 0 });
      this.enqueue(file);
    }
    if (wasFinished) this.draining = this.drain();
    return failed.length;
  }

  private async discoverAndProcess(): Promise<void> {
    const abortSignal = this.controller.signal;
    try {
      for await (const found of this.findFiles()) {
        if (abortSignal.aborted) break;
        const file = this.addFile(found);
        this.found.set(file.fileId, found);
        if (found.error) {
          this.update(file.fileId, { status: 'failed', error: found.error.toInfo() });
          continue;
        }
        this.enqueue(file);
        // Back-pressure: do not discover far ahead of what is being processed.
        await this.queue.onSizeLessThan(this.options.concurrency * 64);
      }
    } catch (error) {
      if (!abortSignal.aborted) throw error;
    }
  }

  private enqueue(file: FileSnapshot): void {
    const abortSignal = this.controller.signal;
    const found = this.found.get(file.fileId);
    if (!found) return;
    void this.queue
      .add(() => this.process(file, found, abortSignal), { signal: abortSignal })
      .catch(() => {
        // Aborted before it started: marked cancelled when the job drains.
      });
  }

  private async drain(): Promise<JobSummary> {
    await this.queue.onIdle();
    const aborted = this.controller.signal.aborted;
    if (aborted) this.cancelRemaining();
    this.state.finish(aborted ? 'cancelled' : 'done');
    const summary = this.summary();
    this.options.events.immediate({ type: 'job.finished', job: this.state.snapshot(), summary });
    return summary;
  }

  private async *findFiles(): AsyncGenerator<FoundFile> {
    const { sources, uploadsDir, jobId } = this.options;
    const abortSignal = this.controller.signal;
    const roots: string[] = [];
    for (const source of sources) {
      if (source.kind === 'path') {
        roots.push(path.resolve(source.path));
        continue;
      }
      try {
        const stored = await storeUpload(uploadsDir, jobId, source);
        yield await describeUpload(stored.diskPath, stored.sourcePath);
      } catch (error) {
        const quarryError =
          error instanceof QuarryError
            ? error
            : new QuarryError('invalid_input', `Upload failed: ${toErrorInfo(error).message}`);
        yield {
          diskPath: source.name,
          sourcePath: source.name,
          size: 0,
          mtimeMs: 0,
          mimeType: null,
          error: quarryError,
        };
      }
    }
    if (roots.length === 0) return;
    for await (const entry of discoverFiles(roots, { abortSignal })) {
      if (entry.kind === 'error') {
        yield {
          diskPath: entry.path,
          sourcePath: entry.path,
          size: 0,
          mtimeMs: 0,
          mimeType: null,
          error: entry.error,
        };
        continue;
      }
      yield {
        diskPath: entry.diskPath,
        sourcePath: entry.diskPath,
        size: entry.size,
        mtimeMs: entry.mtimeMs,
        mimeType: entry.mimeType,
      };
    }
  }

  private addFile(found: FoundFile): FileSnapshot {
    const normalized = found.sourcePath.replaceAll('\\', '/');
    const slash = normalized.lastIndexOf('/');
    const file: FileSnapshot = {
      fileId: `${this.options.jobId}:${this.nextFileNumber++}`,
      jobId: this.options.jobId,
      path: found.sourcePath,
      name: slash >= 0 ? normalized.slice(slash + 1) : normalized,
      folder: slash >= 0 ? found.sourcePath.slice(0, slash) : '',
      size: found.size,
      mimeType: found.mimeType,
      stage: 'discovered',
      status: 'queued',
      progress: null,
      chunks: 0,
      error: null,
    };
    this.state.addFile(file);
    this.options.events.fileAdded(this.options.jobId, file, () => this.state.snapshot());
    return file;
  }

  private update(fileId: string, change: FileChange): void {
    const update = this.state.updateFile(fileId, change);
    this.options.events.fileUpdated(this.options.jobId, update, () => this.state.snapshot());
  }

  private async process(file: FileSnapshot, found: FoundFile, abortSignal: AbortSignal): Promise<void> {
    const { backend } = this.options;
    const { fileId } = file;
    try {
      this.update(fileId, { status: 'running' });
      if (found.mimeType === null) {
        throw new QuarryError('unsupported', `Unsupported file type: ${file.name}`, {
          reason: 'unsupported_type',
        });
      }
      const contentHash = await hashFile(found.diskPath, { abortSignal });
      this.update(fileId, { stage: 'hashed' });
      if ((await backend.index.indexedHash(found.sourcePath, { abortSignal })) === contentHash) {
        this.update(fileId, { status: 'skipped' });
        return;
      }
      const source: SourceFile = {
        diskPath: found.diskPath,
        sourcePath: found.sourcePath,
        name: file.name,
        size: found.size,
        mtimeMs: found.mtimeMs,
        mimeType: found.mimeType,
        contentHash,
      };
      const document = await this.extract(source, contentHash, abortSignal);
      this.update(fileId, { stage: 'extracted' });
      const chunks = chunkDocument(document, { sourcePath: found.sourcePath, contentHash });
      this.update(fileId, { stage: 'chunked', chunks: chunks.length });
      if (chunks.length === 0) {
        throw new QuarryError('invalid_input', `No text could be read from ${file.name}`, {
          reason: 'no_text',
        });
      }
      let embeddings: (number[] | null)[] = chunks.map(() => null);
      if (backend.embedder) {
        embeddings = await backend.embedder.embed(
          chunks.map((chunk) => chunk.content),
          { abortSignal },
        );
        this.update(fileId, { stage: 'embedded' });
      }
      const documents: IndexDocument[] = chunks.map((chunk, i) => ({
        id: chunk.id,
        content: chunk.content,
        embedding: embeddings[i] ?? null,
        sourcePath: found.sourcePath,
        sourceName: file.name,
        contentHash,
        page: chunk.page,
        chunkIndex: chunk.chunkIndex,
        mimeType: found.mimeType ?? document.mimeType,
        title: document.title ?? null,
        modifiedAt: Math.round(found.mtimeMs),
      }));
      await backend.index.replaceFile(found.sourcePath, documents, { abortSignal });
      this.update(fileId, { stage: 'indexed', status: 'done' });
    } catch (error) {
      const info = abortSignal.aborted
        ? { code: 'cancelled' as const, message: 'Cancelled', retryable: true }
        : toErrorInfo(error);
      this.update(fileId, { status: 'failed', error: info, progress: null });
    }
  }

  /** Extraction through the cache: a paid result is never bought twice for the same bytes. */
  private async extract(
    source: SourceFile,
    contentHash: string,
    abortSignal: AbortSignal,
  ): Promise<ExtractedDocument> {
    const { backend, extractionCache } = this.options;
    const key = backend.extractionCacheKey(source);
    if (key) {
      const cached = await extractionCache.get(contentHash, key);
      if (cached) return cached;
    }
    const document = await backend.extractor.extract(source, { abortSignal });
    if (key) await extractionCache.put(contentHash, key, document);
    return document;
  }

  private cancelRemaining(): void {
    for (const file of this.state.files.values()) {
      if (file.status === 'queued' || file.status === 'running') {
        this.update(file.fileId, {
          status: 'failed',
          error: { code: 'cancelled', message: 'Cancelled', retryable: true },
        });
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

async function describeUpload(diskPath: string, sourcePath: string): Promise<FoundFile> {
  const handle = await open(diskPath, 'r');
  try {
    const stats = await handle.stat();
    const head = Buffer.alloc(Math.min(4096, stats.size));
    await handle.read(head, 0, head.length, 0);
    return {
      diskPath,
      sourcePath,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      mimeType: detectMimeType(sourcePath, head),
    };
  } finally {
    await handle.close();
  }
}
