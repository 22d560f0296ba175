import { stat } from 'node:fs/promises';
import { type FileStage, QuarryError } from '../../contract';
import type { Backend } from '../backend';
import type { ExtractedDocument, IndexDocument, PageSize, SourceFile } from '../types';
import { chunkDocument } from './chunking';
import type { ExtractionCache } from './extraction-cache';
import { hashFile } from './hashing';
import type { FoundFile } from './job-sources';

export interface ProcessContext {
  backend: Backend;
  extractionCache: ExtractionCache;
  abortSignal: AbortSignal;
  /** Called as each stage completes (the job updates the UI and journals it). */
  onStage(stage: FileStage, detail: { contentHash?: string; chunks?: number }): Promise<void>;
  /** Called just before the index write, so a cancel can remove a half-written file. */
  onIndexing(): void;
}

export type ProcessOutcome =
  | { status: 'done'; chunks: number }
  | { status: 'skipped' }
  /** The file changed on disk while it was processed: run it again with fresh facts. */
  | { status: 'changed'; size: number; mtimeMs: number };

/**
 * Moves one file through hash -> extract -> chunk -> embed -> index. `knownHash` (from a journal)
 * skips re-hashing when the file's size and mtime are unchanged. Throws QuarryError on failure.
 */
export async function processFile(
  found: FoundFile & { name: string },
  knownHash: string | null,
  context: ProcessContext,
): Promise<ProcessOutcome> {
  const { backend, abortSignal } = context;
  if (found.mimeType === null) {
    throw new QuarryError('unsupported', `Unsupported file type: ${found.name}`, {
      reason: 'unsupported_type',
    });
  }
  if (knownHash) {
    // Resuming: the journal's hash holds only if the bytes have not changed since.
    const changed = await changedOnDisk(found);
    if (changed) return changed;
  }
  const contentHash = knownHash ?? (await hashFile(found.diskPath, { abortSignal }));
  if (!knownHash) await context.onStage('hashed', { contentHash });
  if ((await backend.index.indexedHash(found.sourcePath, { abortSignal })) === contentHash)
    return { status: 'skipped' };

  const source: SourceFile = {
    diskPath: found.diskPath,
    sourcePath: found.sourcePath,
    name: found.name,
    size: found.size,
    mtimeMs: found.mtimeMs,
    mimeType: found.mimeType,
    contentHash,
  };
  const document = await extractCached(source, contentHash, context);
  // Bytes that changed under us were hashed or read half-way: never index them stale.
  const changed = await changedOnDisk(found);
  if (changed) return changed;
  await context.onStage('extracted', {});

  const chunks = chunkDocument(document, { sourcePath: found.sourcePath, contentHash });
  await context.onStage('chunked', { chunks: chunks.length });
  if (chunks.length === 0) {
    throw new QuarryError('invalid_input', `No text could be read from ${found.name}`, { reason: 'no_text' });
  }
  let embeddings: (number[] | null)[] = chunks.map(() => null);
  if (backend.embedder) {
    embeddings = await backend.embedder.embed(
      chunks.map((chunk) => chunk.content),
      { abortSignal },
    );
    await context.onStage('embedded', {});
  }
  const documents: IndexDocument[] = chunks.map((chunk, i) => ({
    id: chunk.id,
    content: chunk.content,
    embedding: embeddings[i] ?? null,
    sourcePath: found.sourcePath,
    sourceName: found.name,
    contentHash,
    page: chunk.page,
    chunkIndex: chunk.chunkIndex,
    mimeType: found.mimeType ?? document.mimeType,
    title: document.title ?? null,
    modifiedAt: Math.round(found.mtimeMs),
    regions: chunk.regions ?? null,
    pageSize: pageSizeOf(document, chunk.page),
    caption: document.caption ?? null,
    tags: document.tags ?? null,
  }));
  context.onIndexing();
  await backend.index.replaceFile(found.sourcePath, documents, { abortSignal });
  return { status: 'done', chunks: chunks.length };
}

/** The geometry the chunk's regions refer to, where the extractor reported it. */
function pageSizeOf(document: ExtractedDocument, page: number | null): PageSize | null {
  const extracted = document.pages.find((p) => p.page === page);
  if (!extracted?.width || !extracted.height || !extracted.unit) return null;
  return { width: extracted.width, height: extracted.height, unit: extracted.unit };
}

async function changedOnDisk(
  found: FoundFile,
): Promise<Extract<ProcessOutcome, { status: 'changed' }> | null> {
  const now = await stat(found.diskPath).catch(() => null);
  if (!now || (now.size === found.size && Math.round(now.mtimeMs) === Math.round(found.mtimeMs))) return null;
  return { status: 'changed', size: now.size, mtimeMs: now.mtimeMs };
}

/** Extraction through the cache: a paid result is never bought twice for the same bytes. */
async function extractCached(
  source: SourceFile,
  contentHash: string,
  context: ProcessContext,
): Promise<ExtractedDocument> {
  const { backend, extractionCache, abortSignal } = context;
  const key = backend.extractionCacheKey(source);
  if (key) {
    const cached = await extractionCache.get(contentHash, key);
    if (cached) return cached;
  }
  const document = await backend.extractor.extract(source, { abortSignal });
  if (key) await extractionCache.put(contentHash, key, document);
  return document;
}
