/**
 * The ANN index on the `embedding` column, built once the table holds enough vectors.
 *
 * Below the threshold a flat scan is fast enough (and exact); above it, flat search grows with the
 * table (~110 ms at 50k x 384 on two cores), so an IVF_HNSW_SQ index is built (tens of seconds
 * for 100k rows on two cores, then a few ms per query). Later maintenance (`optimize()`) folds
 * new rows in as small delta indexes; once too many have piled up the index is rebuilt.
 *
 * Measured on LanceDB 0.31, and why the build waits for quiet time: building blocks the table's
 * write queue, and building on uncompacted fragments makes the next compaction remap the whole
 * index (40 s for 20k rows, against 0.1 s when the fragments were compacted first). So the index
 * is built only when no write is waiting (the quiet-time maintenance after an ingest, never the
 * periodic one during it, nor the one on close), right after a compaction.
 */
import * as lancedb from '@lancedb/lancedb';
import { EMBEDDING_COLUMN } from './lancedb-vector-column';

export interface VectorIndexPolicy {
  /** Rows with a vector before an ANN index is worth building. */
  minRows: number;
  /** Rebuild once this many delta indexes (one per maintenance that added vectors) have piled up. */
  maxDeltaIndexes: number;
}

export const DEFAULT_VECTOR_INDEX_POLICY: VectorIndexPolicy = { minRows: 10_000, maxDeltaIndexes: 8 };

/**
 * LanceDB 0.31 warns on stderr at every vector `indexStats()` that centroids will leave the
 * statistics; we never read them, so opt in to the new behaviour (a value set by the user wins).
 */
process.env.LANCE_INCLUDE_VECTOR_CENTROIDS ??= 'false';

/**
 * Rows per IVF partition (each holds one HNSW graph). Queries probe 20 partitions by default, so
 * up to 500k rows every partition is searched; smaller graphs build about twice as fast on two
 * cores (20k rows: 7 s in 4 partitions against 11-15 s in one) at the same recall.
 */
const ROWS_PER_PARTITION = 25_000;

export type VectorIndexAction = 'none' | 'deferred' | 'built' | 'rebuilt';

export interface MaintainVectorIndexOptions {
  policy?: VectorIndexPolicy;
  /** True when no write waits for the table: only then is a (long) build started. */
  quiet: () => boolean;
}

/** Builds or rebuilds the ANN index when the policy says so; run inside the table's write queue. */
export async function maintainVectorIndex(
  table: lancedb.Table,
  options: MaintainVectorIndexOptions,
): Promise<VectorIndexAction> {
  const policy = options.policy ?? DEFAULT_VECTOR_INDEX_POLICY;
  const indices = await table.listIndices();
  const existing = indices.find(
    (index) => index.columns.length === 1 && index.columns[0] === EMBEDDING_COLUMN,
  );
  if (existing) {
    const stats = await table.indexStats(existing.name);
    if ((stats?.numIndices ?? 1) <= policy.maxDeltaIndexes) return 'none';
  }
  const vectors = await table.countRows(`${EMBEDDING_COLUMN} IS NOT NULL`);
  if (vectors < policy.minRows) return 'none';
  if (!options.quiet()) return 'deferred';
  // Compact first: an index built on many small fragments is remapped at great cost later.
  await table.optimize();
  await table.createIndex(EMBEDDING_COLUMN, {
    config: lancedb.Index.hnswSq({
      distanceType: 'cosine',
      numPartitions: Math.max(1, Math.ceil(vectors / ROWS_PER_PARTITION)),
    }),
    replace: true,
  });
  return existing ? 'rebuilt' : 'built';
}
