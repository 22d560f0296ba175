import { open } from 'node:fs/promises';
import path from 'node:path';
import { type IngestSource, QuarryError, toErrorInfo } from '../../contract';
import { discoverFiles } from './discovery';
import { detectMimeType } from './mime';
import { storeUpload } from './uploads';

/** A file found for a job, before it has a snapshot. */
export interface FoundFile {
  diskPath: string;
  sourcePath: string;
  size: number;
  mtimeMs: number;
  mimeType: string | null;
  /** Set when the entry could not be read at all (missing root, failed upload). */
  error?: QuarryError;
}

/** The folders and files a job walks (uploads are stored separately). */
export function rootsOf(sources: readonly IngestSource[]): string[] {
  return sources.flatMap((source) => (source.kind === 'path' ? [path.resolve(source.path)] : []));
}

/** Stores uploads, then walks the path roots; every entry, good or bad, is yielded once. */
export async function* findJobFiles(options: {
  sources: readonly IngestSource[];
  uploadsDir: string;
  jobId: string;
  abortSignal: AbortSignal;
}): AsyncGenerator<FoundFile> {
  const { sources, uploadsDir, jobId, abortSignal } = options;
  for (const source of sources) {
    if (source.kind !== 'upload') continue;
    try {
      const stored = await storeUpload(uploadsDir, jobId, source);
      yield await describeFile(stored.diskPath, stored.sourcePath);
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
  yield* walkRoots(rootsOf(sources), abortSignal);
}

export async function* walkRoots(roots: string[], abortSignal: AbortSignal): AsyncGenerator<FoundFile> {
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
    } else {
      yield {
        diskPath: entry.diskPath,
        sourcePath: entry.diskPath,
        size: entry.size,
        mtimeMs: entry.mtimeMs,
        mimeType: entry.mimeType,
      };
    }
  }
}

async function describeFile(diskPath: string, sourcePath: string): Promise<FoundFile> {
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
