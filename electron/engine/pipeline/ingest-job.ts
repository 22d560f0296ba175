import { open } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import { type FileSnapshot, type IngestSource, type JobSummary, QuarryError, toErrorInfo } from '../../contract';
import type { Backend } from '../backend';
import type { IndexDocument, SourceFile } from '../types';
import { chunkDocument } from './chunking';
import { discoverFiles } from './discovery';
import type { EventCoalescer } from './event-coalescer';
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
  /** Files processed at once (each one's stages run in order; stages overlap across files). */
  concurrency: number;
  abortSignal: AbortSignal;
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

  constructor(private readonly options: IngestJobOptions) {
    this.state = new JobState(options.jobId);
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  async run(): Promise<JobSummary> {
    const { abortSignal } = this.options;
    try {
      for await (const found of this.findFiles()) {
        if (abortSignal.aborted) break;
        const file = this.addFile(found);
        if (found.error) {
          this.update(file.fileId, { status: 'failed', error: found.error.toInfo() });
          continue;
        }
        void this.queue.add(() => this.process(file, found), { signal: abortSignal }).catch(() => {
          // Aborted before it started: marked cancelled below.
        });
        // Back-pressure: do not discover far ahead of what is being processed.
        await this.queue.onSizeLessThan(this.options.concurrency * 64);
      }
      await this.queue.onIdle();
    } catch (error) {
      if (!abortSignal.aborted) throw error;
    }
    if (abortSignal.aborted) this.cancelRemaining();
    this.state.finish(abortSignal.aborted ? 'cancelled' : 'done');
    const summary = this.summary();
    this.options.events.immediate({ type: 'job.finished', job: this.state.snapshot(), summary });
    return summary;
  }

  private async *findFiles(): AsyncGenerator<FoundFile> {
    const { sources, abortSignal, uploadsDir, jobId } = this.options;
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
          error instanceof QuarryError ? error : new QuarryError('invalid_input', `Upload failed: ${toErrorInfo(error).message}`);
        yield { diskPath: source.name, sourcePath: source.name, size: 0, mtimeMs: 0, mimeType: null, error: quarryError };
      }
    }
    if (roots.length === 0) return;
    for await (const entry of discoverFiles(roots, { abortSignal })) {
      if (entry.kind === 'error') {
        yield { diskPath: entry.path, sourcePath: entry.path, size: 0, mtimeMs: 0, mimeType: null, error: entry.error };
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

  private async process(file: FileSnapshot, found: FoundFile): Promise<void> {
    const { backend, abortSignal } = this.options;
    const { fileId } = file;
    try {
      this.update(fileId, { status: 'running' });
      if (found.mimeType === null) {
        throw new QuarryError('unsupported', `Unsupported file type: ${file.name}`, { reason: 'unsupported_type' });
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
      const document = await backend.extractor.extract(source, { abortSignal });
      this.update(fileId, { stage: 'extracted' });
      const chunks = chunkDocument(document, { sourcePath: found.sourcePath, contentHash });
      this.update(fileId, { stage: 'chunked', chunks: chunks.length });
      if (chunks.length === 0) {
        throw new QuarryError('invalid_input', `No text could be read from ${file.name}`, { reason: 'no_text' });
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
      const info = abortSignal.aborted ? { code: 'cancelled' as const, message: 'Cancelled', retryable: true } : toErrorInfo(error);
      this.update(fileId, { status: 'failed', error: info, progress: null });
    }
  }

  private cancelRemaining(): void {
    for (const file of this.state.files.values()) {
      if (file.status === 'queued' || file.status === 'running') {
        this.update(file.fileId, { status: 'failed', error: { code: 'cancelled', message: 'Cancelled', retryable: true } });
      }
    }
  }

  private summary(): JobSummary {
    const counts = this.state.snapshot().counts;
    const failures = [...this.state.files.values()]
      .filter((file) => file.status === 'failed' && file.error)
      .map((file) => ({ path: file.path, code: file.error?.code ?? 'service', message: file.error?.message ?? '' }));
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

async function describeUpload(diskPath: string, sourcePath: string): Promise<FoundFile> {
  const handle = await open(diskPath, 'r');
  try {
    const stats = await handle.stat();
    const head = Buffer.alloc(Math.min(4096, stats.size));
    await handle.read(head, 0, head.length, 0);
    return { diskPath, sourcePath, size: stats.size, mtimeMs: stats.mtimeMs, mimeType: detectMimeType(sourcePath, head) };
  } finally {
    await handle.close();
  }
}
