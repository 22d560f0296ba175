/** Typed reading of the rows LanceDB queries return (they come back untyped). */
import { QuarryError } from '../../../contract';
import type { StoredChunk } from '../../types';
import { FTS_COLUMN } from './lancedb-schema';

/** A chunk found by a query, with what results and snippets need. */
export interface ChunkHit {
  id: string;
  content: string;
  ftsText: string;
  sourcePath: string;
  sourceName: string;
  page: number | null;
  chunkIndex: number;
  mimeType: string;
  /** `_score` (BM25) for full-text hits, cosine similarity for vector hits. */
  score: number;
}

export function readHit(row: unknown, score: number): ChunkHit {
  const record = asRecord(row);
  const page = record.page;
  return {
    id: stringField(record, 'id'),
    content: stringField(record, 'content'),
    ftsText: stringField(record, FTS_COLUMN),
    sourcePath: stringField(record, 'sourcePath'),
    sourceName: stringField(record, 'sourceName'),
    page: typeof page === 'number' ? page : null,
    chunkIndex: numberField(record, 'chunkIndex'),
    mimeType: stringField(record, 'mimeType'),
    score,
  };
}

/** A row read with every stored column but the embedding (see LanceDbIndex.readChunks). */
export function readStoredChunk(row: unknown): StoredChunk {
  const record = asRecord(row);
  const page = record.page;
  const title = record.title;
  return {
    id: stringField(record, 'id'),
    content: stringField(record, 'content'),
    sourcePath: stringField(record, 'sourcePath'),
    sourceName: stringField(record, 'sourceName'),
    contentHash: stringField(record, 'contentHash'),
    page: typeof page === 'number' ? page : null,
    chunkIndex: numberField(record, 'chunkIndex'),
    mimeType: stringField(record, 'mimeType'),
    title: typeof title === 'string' ? title : null,
    modifiedAt: numberField(record, 'modifiedAt'),
  };
}

export function asRecord(row: unknown): Record<string, unknown> {
  if (typeof row !== 'object' || row === null) throw malformed('row is not an object');
  return row as Record<string, unknown>;
}

export function stringField(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  if (typeof value !== 'string') throw malformed(`${name} is not a string`);
  return value;
}

export function numberField(record: Record<string, unknown>, name: string): number {
  const value = record[name];
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number') throw malformed(`${name} is not a number`);
  return value;
}

function malformed(detail: string): QuarryError {
  return new QuarryError('service', `The local index returned a malformed row: ${detail}.`, {
    reason: 'index_malformed_row',
  });
}
