/**
 * Fills in the vectors the local index lacks, from the chunk text the index itself stores: rows
 * indexed while no model was available, and every row after a model change (see
 * lancedb-vector-column.ts). No file is read or extracted again. Batches go through the embedder
 * (which runs in its worker thread), so the process that talks to the UI stays responsive.
 */
import type { CallOptions, Embedder } from '../../types';
import type { LanceDbIndex } from './lancedb-index';

export interface ReembedProgress {
  /** Chunks given a vector so far in this pass. */
  embedded: number;
  /** Chunks that had no vector when the pass started, plus any that arrived since. */
  total: number;
}

export interface ReembedOptions extends CallOptions {
  index: Pick<LanceDbIndex, 'readChunksWithoutEmbedding' | 'countChunksWithoutEmbedding' | 'writeEmbeddings'>;
  embedder: Embedder;
  /** Chunks read, embedded and written together (the embedder splits them further). */
  batchSize?: number;
  onProgress?: (progress: ReembedProgress) => void;
}

const DEFAULT_BATCH_SIZE = 256;

/** Embeds every chunk without a vector; resolves with how many were embedded. */
export async function reembedMissingVectors(options: ReembedOptions): Promise<ReembedProgress> {
  const { index, embedder, abortSignal } = options;
  const signal = abortSignal ? { abortSignal } : {};
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let total = await index.countChunksWithoutEmbedding(signal);
  let embedded = 0;
  if (total === 0) return { embedded, total };
  options.onProgress?.({ embedded, total });
  for (;;) {
    const chunks = await index.readChunksWithoutEmbedding(batchSize, signal);
    if (chunks.length === 0) break;
    const vectors = await embedder.embed(
      chunks.map((chunk) => chunk.content),
      { inputType: 'document', ...signal },
    );
    const written = await index.writeEmbeddings(
      chunks.map((chunk, i) => ({ id: chunk.id, sourcePath: chunk.sourcePath, embedding: vectors[i] ?? [] })),
      signal,
    );
    // Nothing written means the rows vanished (files removed meanwhile): never loop on them.
    if (written === 0) break;
    embedded += written;
    // Files indexed without vectors during the pass (before the embedder arrived) join the total.
    total = embedded + (await index.countChunksWithoutEmbedding(signal));
    options.onProgress?.({ embedded, total });
  }
  return { embedded, total };
}
