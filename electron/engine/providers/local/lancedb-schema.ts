/**
 * The LanceDB table behind the local index: the public index schema of DESIGN.md ("The index"),
 * one row per chunk, plus the internal `ftsText` column the full-text index is built on.
 */
import type { DataType, Schema } from 'apache-arrow';
import { QuarryError } from '../../../contract';
import type { IndexDocument } from '../../types';
import { arrow } from './arrow';
import { FTS_TOKENIZER_VERSION, ftsText } from './fts-tokens';

export const CHUNKS_TABLE = 'chunks';
/** Internal: `content` tokenised for full-text search (see fts-tokens.ts). */
export const FTS_COLUMN = 'ftsText';
export const DEFAULT_VECTOR_DIMENSIONS = 384;

const SCHEMA_VERSION = '1';
const SCHEMA_VERSION_KEY = 'quarry.schemaVersion';
const FTS_TOKENIZER_KEY = 'quarry.ftsTokenizerVersion';

/** Columns read back for results (never the embedding: it is large and not shown). */
export const RESULT_COLUMNS = [
  'id',
  'content',
  FTS_COLUMN,
  'sourcePath',
  'sourceName',
  'page',
  'chunkIndex',
  'mimeType',
] as const;

/** A row as written to LanceDB (a type alias, so it is assignable to LanceDB's record type). */
export type ChunkRow = {
  id: string;
  content: string;
  embedding: number[] | null;
  sourcePath: string;
  sourceName: string;
  contentHash: string;
  page: number | null;
  chunkIndex: number;
  mimeType: string;
  title: string | null;
  /** Epoch milliseconds of the file's modification time. */
  modifiedAt: number;
  ftsText: string;
};

export function chunkSchema(vectorDimensions: number): Schema {
  const { Field, Utf8, Int32, Float32, Float64, FixedSizeList } = arrow;
  return new arrow.Schema(
    [
      new Field('id', new Utf8(), false),
      new Field('content', new Utf8(), false),
      new Field(
        'embedding',
        new FixedSizeList(vectorDimensions, new Field('item', new Float32(), true)),
        true,
      ),
      new Field('sourcePath', new Utf8(), false),
      new Field('sourceName', new Utf8(), false),
      new Field('contentHash', new Utf8(), false),
      new Field('page', new Int32(), true),
      new Field('chunkIndex', new Int32(), false),
      new Field('mimeType', new Utf8(), false),
      new Field('title', new Utf8(), true),
      new Field('modifiedAt', new Float64(), false),
      new Field(FTS_COLUMN, new Utf8(), false),
    ],
    new Map([
      [SCHEMA_VERSION_KEY, SCHEMA_VERSION],
      [FTS_TOKENIZER_KEY, FTS_TOKENIZER_VERSION],
    ]),
  );
}

/**
 * Throws a QuarryError when an existing table cannot be used as it is: built for another vector
 * size (another embedding model), or with another schema or tokenizer version. Writing into such
 * a table would corrupt it or fail half-way.
 */
export function checkChunkSchema(actual: Schema, vectorDimensions: number, location: string): void {
  const actualDimensions = vectorDimensionsOf(actual);
  if (actualDimensions !== null && actualDimensions !== vectorDimensions) {
    throw new QuarryError(
      'invalid_input',
      `The local index at ${location} holds ${actualDimensions}-dimensional embeddings, but ` +
        `${vectorDimensions}-dimensional ones were asked for (a different embedding model). ` +
        'Re-index with the new model, or switch back to the model the index was built with.',
      { reason: 'index_dimensions_mismatch' },
    );
  }
  const problems = schemaDifferences(actual, chunkSchema(vectorDimensions));
  for (const key of [SCHEMA_VERSION_KEY, FTS_TOKENIZER_KEY]) {
    const expected = chunkSchema(vectorDimensions).metadata.get(key);
    const found = actual.metadata.get(key);
    if (found !== expected) problems.push(`${key} is ${found ?? 'missing'}, expected ${expected}`);
  }
  if (problems.length > 0) {
    throw new QuarryError(
      'invalid_input',
      `The local index at ${location} was written in a format this version of Quarry cannot use ` +
        `(${problems.join('; ')}). Move that folder aside and index your files again.`,
      { reason: 'index_schema_mismatch' },
    );
  }
}

/** The size of the `embedding` vectors of a table, or null when it has no such column. */
export function vectorDimensionsOf(schema: Schema): number | null {
  const field = schema.fields.find((candidate) => candidate.name === 'embedding');
  if (!field || !arrow.DataType.isFixedSizeList(field.type)) return null;
  return field.type.listSize;
}

function schemaDifferences(actual: Schema, expected: Schema): string[] {
  const problems: string[] = [];
  for (const field of expected.fields) {
    const found = actual.fields.find((candidate) => candidate.name === field.name);
    if (!found) problems.push(`column ${field.name} is missing`);
    else if (typeName(found.type) !== typeName(field.type)) {
      problems.push(`column ${field.name} is ${typeName(found.type)}, expected ${typeName(field.type)}`);
    } else if (found.nullable !== field.nullable) {
      problems.push(`column ${field.name} is ${found.nullable ? '' : 'not '}nullable`);
    }
  }
  return problems;
}

function typeName(type: DataType): string {
  return String(type);
}

/** Validates a document against the table and adds the full-text column. */
export function toChunkRow(doc: IndexDocument, vectorDimensions: number): ChunkRow {
  if (doc.embedding !== null && doc.embedding.length !== vectorDimensions) {
    throw new QuarryError(
      'invalid_input',
      `Chunk ${doc.id} of ${doc.sourcePath} has a ${doc.embedding.length}-dimensional embedding; ` +
        `the local index holds ${vectorDimensions}-dimensional ones.`,
      { reason: 'embedding_dimensions_mismatch' },
    );
  }
  return {
    id: doc.id,
    content: doc.content,
    embedding: doc.embedding,
    sourcePath: doc.sourcePath,
    sourceName: doc.sourceName,
    contentHash: doc.contentHash,
    page: doc.page,
    chunkIndex: doc.chunkIndex,
    mimeType: doc.mimeType,
    title: doc.title,
    modifiedAt: doc.modifiedAt,
    ftsText: ftsText(doc.content),
  };
}
