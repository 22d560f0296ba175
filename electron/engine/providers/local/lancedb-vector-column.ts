/**
 * Which embedding model produced the vectors of the local index, and what happens when it changes.
 *
 * The model is recorded in the `embedding` column's own field metadata (`quarry.embeddingModel`);
 * the vector size is the column's type. Before the index opens, the column is made to fit the
 * configured model:
 * - same model: nothing to do;
 * - another model (or vectors from an unrecorded one): the column is dropped and added back empty
 *   (metadata-only operations in LanceDB: no row moves, so the full-text index stays valid), with
 *   the new size when the size changed. Every row then has a null vector and is re-embedded from
 *   its stored text (reembed.ts): nothing is read or extracted from the files again.
 * A crash between the steps leaves no column or an unrecorded empty one; the next open finishes
 * the job, since an empty column is simply re-created and recorded.
 */
import { mkdir } from 'node:fs/promises';
import * as lancedb from '@lancedb/lancedb';
import type { Schema } from 'apache-arrow';
import { QuarryError } from '../../../contract';
import type { CallOptions } from '../../types';
import { arrow } from './arrow';
import { asRecord, stringField } from './lancedb-hits';
import { CHUNKS_TABLE, chunkSchema, DEFAULT_VECTOR_DIMENSIONS, vectorDimensionsOf } from './lancedb-schema';

export const EMBEDDING_COLUMN = 'embedding';
const MODEL_METADATA_KEY = 'quarry.embeddingModel';

/** The model whose vectors an index holds (or is about to hold). */
export interface EmbeddingModelRecord {
  modelId: string;
  dimensions: number;
}

/** A stored chunk that has no vector yet: what re-embedding needs (the text is in the index). */
export interface ChunkToEmbed {
  id: string;
  sourcePath: string;
  content: string;
}

/** A vector for a stored chunk, addressed by id and path (identical files share chunk ids). */
export interface EmbeddingUpdate {
  id: string;
  sourcePath: string;
  embedding: number[];
}

export function readChunkToEmbed(row: unknown): ChunkToEmbed {
  const record = asRecord(row);
  return {
    id: stringField(record, 'id'),
    sourcePath: stringField(record, 'sourcePath'),
    content: stringField(record, 'content'),
  };
}

export interface PrepareVectorColumnOptions extends CallOptions {
  /** Folder of the LanceDB database. */
  dir: string;
  /** The configured model; null when unknown (embeddings off): the column is left as it is. */
  model: EmbeddingModelRecord | null;
}

export interface PreparedVectorColumn {
  /** Vector size to open the index with. */
  dimensions: number;
  /** The model recorded for the column after preparation (null when none was known). */
  recordedModel: string | null;
  /** True when existing vectors were dropped (another model, or another size). */
  reset: boolean;
}

/** Makes the table's `embedding` column fit `model` (creating the table when there is none). */
export async function prepareVectorColumn(
  options: PrepareVectorColumnOptions,
): Promise<PreparedVectorColumn> {
  options.abortSignal?.throwIfAborted();
  await mkdir(options.dir, { recursive: true });
  const db = await guard('open the local index', () => lancedb.connect(options.dir));
  try {
    const names = await guard('open the local index', () => db.tableNames());
    if (!names.includes(CHUNKS_TABLE)) return await createTable(db, options.model);
    const table = await guard('open the local index', () => db.openTable(CHUNKS_TABLE));
    try {
      return await fitColumn(table, options.model);
    } finally {
      table.close();
    }
  } finally {
    db.close();
  }
}

/** The model recorded on the `embedding` column of a schema, or null. */
export function recordedEmbeddingModel(schema: Schema): string | null {
  const field = schema.fields.find((candidate) => candidate.name === EMBEDDING_COLUMN);
  return field?.metadata.get(MODEL_METADATA_KEY) ?? null;
}

async function createTable(
  db: lancedb.Connection,
  model: EmbeddingModelRecord | null,
): Promise<PreparedVectorColumn> {
  const dimensions = model?.dimensions ?? DEFAULT_VECTOR_DIMENSIONS;
  const table = await guard('create the local index', () =>
    db.createEmptyTable(CHUNKS_TABLE, chunkSchema(dimensions)),
  );
  try {
    if (model) await recordModel(table, model.modelId);
  } finally {
    table.close();
  }
  return { dimensions, recordedModel: model?.modelId ?? null, reset: false };
}

async function fitColumn(
  table: lancedb.Table,
  model: EmbeddingModelRecord | null,
): Promise<PreparedVectorColumn> {
  const schema = await guard('read the index schema', () => table.schema());
  const dimensions = vectorDimensionsOf(schema);
  const recorded = recordedEmbeddingModel(schema);
  if (!model) {
    // Nothing configured: keep whatever is there; only a column lost in a crash is put back.
    if (dimensions !== null) return { dimensions, recordedModel: recorded, reset: false };
    await addEmptyColumn(table, DEFAULT_VECTOR_DIMENSIONS);
    return { dimensions: DEFAULT_VECTOR_DIMENSIONS, recordedModel: null, reset: false };
  }
  if (dimensions === model.dimensions && recorded === model.modelId) {
    return { dimensions, recordedModel: recorded, reset: false };
  }
  const hasVectors =
    dimensions !== null &&
    (await guard('read the local index', () => table.countRows(`${EMBEDDING_COLUMN} IS NOT NULL`))) > 0;
  if (dimensions === model.dimensions && !hasVectors) {
    // Same size and nothing embedded yet: only the record is missing or stale.
    await recordModel(table, model.modelId);
    return { dimensions, recordedModel: model.modelId, reset: false };
  }
  await resetColumn(table, model.dimensions, dimensions !== null);
  await recordModel(table, model.modelId);
  return { dimensions: model.dimensions, recordedModel: model.modelId, reset: hasVectors };
}

/** Drops the vector column (and any index on it), then adds it back empty with `dimensions`. */
async function resetColumn(table: lancedb.Table, dimensions: number, present: boolean): Promise<void> {
  if (present) {
    const indices = await guard('list the index', () => table.listIndices());
    for (const index of indices) {
      if (index.columns.includes(EMBEDDING_COLUMN)) {
        await guard('drop the vector index', () => table.dropIndex(index.name));
      }
    }
    await guard('drop the old embeddings', () => table.dropColumns([EMBEDDING_COLUMN]));
  }
  await addEmptyColumn(table, dimensions);
}

async function addEmptyColumn(table: lancedb.Table, dimensions: number): Promise<void> {
  const field = chunkSchema(dimensions).fields.find((candidate) => candidate.name === EMBEDDING_COLUMN);
  if (!field) throw new QuarryError('service', 'The index schema has no embedding column.');
  // A fresh Field without metadata: the model is recorded separately, once the column exists.
  const column = new arrow.Field(field.name, field.type, true);
  await guard('add the embeddings column', () => table.addColumns(column));
}

async function recordModel(table: lancedb.Table, modelId: string): Promise<void> {
  await guard('record the embedding model', () =>
    table.updateFieldMetadata([{ path: EMBEDDING_COLUMN, metadata: { [MODEL_METADATA_KEY]: modelId } }]),
  );
}

async function guard<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof QuarryError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new QuarryError('service', `Could not ${action}: ${detail}`, { cause: error });
  }
}
