/**
 * The vector column across model changes (lancedb-vector-column.ts) and re-embedding from stored
 * text (reembed.ts), on a real LanceDB table: which changes drop the vectors, which keep them,
 * recovery from a half-done reset, and rows that get vectors in place stay findable by keyword.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LanceDbIndex, openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import { vectorDimensionsOf } from '../../electron/engine/providers/local/lancedb-schema';
import {
  prepareVectorColumn,
  recordedEmbeddingModel,
} from '../../electron/engine/providers/local/lancedb-vector-column';
import { reembedMissingVectors } from '../../electron/engine/providers/local/reembed';
import type { Embedder, EmbedOptions, IndexDocument } from '../../electron/engine/types';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-vector-column-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const A4 = { modelId: 'test/model-a', dimensions: 4 };

function docs(
  sourcePath: string,
  texts: string[],
  embedding: (i: number) => number[] | null,
): IndexDocument[] {
  return texts.map((content, chunkIndex) => ({
    id: `${sourcePath}:${chunkIndex}`,
    content,
    embedding: embedding(chunkIndex),
    sourcePath,
    sourceName: path.basename(sourcePath),
    contentHash: `hash-${sourcePath}`,
    page: null,
    chunkIndex,
    mimeType: 'text/plain',
    title: null,
    modifiedAt: 0,
  }));
}

/** Opens the index the way the local backend does: column prepared for `model` first. */
async function openFor(model: typeof A4 | null): Promise<{ index: LanceDbIndex; reset: boolean }> {
  const prepared = await prepareVectorColumn({ dir, model });
  const index = await openLanceDbIndex({
    dir,
    vectorDimensions: prepared.dimensions,
    maintenanceDelayInMs: 60_000,
  });
  return { index, reset: prepared.reset };
}

async function columnState(): Promise<{ dimensions: number | null; model: string | null; missing: number }> {
  const db = await lancedb.connect(dir);
  const table = await db.openTable('chunks');
  try {
    const schema = await table.schema();
    const dimensions = vectorDimensionsOf(schema);
    return {
      dimensions,
      model: recordedEmbeddingModel(schema),
      missing: dimensions === null ? -1 : await table.countRows('embedding IS NULL'),
    };
  } finally {
    table.close();
    db.close();
  }
}

/** Counts texts and checks that documents (not queries) are embedded. */
class CountingEmbedder implements Embedder {
  readonly texts: string[] = [];
  constructor(
    readonly modelId: string,
    readonly dimensions: number,
  ) {}
  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    expect(options.inputType).toBe('document');
    this.texts.push(...texts);
    return texts.map((_, i) =>
      Array.from({ length: this.dimensions }, (__, d) => (d === i % this.dimensions ? 1 : 0)),
    );
  }
}

describe('vector column and re-embedding', () => {
  it('records the model on a new table and keeps vectors when the same model opens it again', async () => {
    const first = await openFor(A4);
    await first.index.replaceFile(
      '/a.txt',
      docs('/a.txt', ['alpha text', 'beta text'], () => [1, 0, 0, 0]),
    );
    await first.index.close();
    expect(await columnState()).toEqual({ dimensions: 4, model: A4.modelId, missing: 0 });
    const again = await openFor(A4);
    await again.index.close();
    expect(again.reset).toBe(false);
    expect(await columnState()).toEqual({ dimensions: 4, model: A4.modelId, missing: 0 });
  });

  it('drops the vectors of another model of the same size, and keeps rows and keyword search', async () => {
    const first = await openFor(A4);
    await first.index.replaceFile(
      '/a.txt',
      docs('/a.txt', ['alpha text', 'beta text'], () => [1, 0, 0, 0]),
    );
    await first.index.optimize();
    await first.index.close();
    const second = await openFor({ modelId: 'test/model-b', dimensions: 4 });
    try {
      expect(second.reset).toBe(true);
      expect(await second.index.count()).toBe(2);
      expect(await second.index.countChunksWithoutEmbedding()).toBe(2);
      const found = await second.index.search({ text: 'beta', mode: 'keyword', top: 5 });
      expect(found.map((result) => result.id)).toEqual(['/a.txt:1']);
    } finally {
      await second.index.close();
    }
    expect(await columnState()).toEqual({ dimensions: 4, model: 'test/model-b', missing: 2 });
  });

  it('only records a new model when nothing was embedded yet', async () => {
    const first = await openFor(null);
    await first.index.replaceFile(
      '/a.txt',
      docs('/a.txt', ['alpha'], () => null),
    );
    await first.index.close();
    expect(await columnState()).toEqual({ dimensions: 384, model: null, missing: 1 });
    const second = await openFor({ modelId: 'test/model-b', dimensions: 384 });
    await second.index.close();
    expect(second.reset).toBe(false);
    expect(await columnState()).toEqual({ dimensions: 384, model: 'test/model-b', missing: 1 });
  });

  it('leaves the column alone when no model is configured', async () => {
    const first = await openFor(A4);
    await first.index.replaceFile(
      '/a.txt',
      docs('/a.txt', ['alpha'], () => [0, 1, 0, 0]),
    );
    await first.index.close();
    const unconfigured = await openFor(null);
    expect(unconfigured.index.vectorDimensions).toBe(4);
    await unconfigured.index.close();
    expect(await columnState()).toEqual({ dimensions: 4, model: A4.modelId, missing: 0 });
  });

  it('finishes a reset a crash interrupted (no vector column left)', async () => {
    const first = await openFor(A4);
    await first.index.replaceFile(
      '/a.txt',
      docs('/a.txt', ['alpha'], () => [0, 1, 0, 0]),
    );
    await first.index.close();
    const db = await lancedb.connect(dir);
    const table = await db.openTable('chunks');
    await table.dropColumns(['embedding']);
    table.close();
    db.close();
    const reopened = await openFor({ modelId: 'test/model-c', dimensions: 6 });
    try {
      expect(reopened.index.vectorDimensions).toBe(6);
      expect(await reopened.index.countChunksWithoutEmbedding()).toBe(1);
    } finally {
      await reopened.index.close();
    }
    expect(await columnState()).toEqual({ dimensions: 6, model: 'test/model-c', missing: 1 });
  });

  it('re-embeds from the stored text in batches; the rows stay findable by keyword at once', async () => {
    const { index } = await openFor(A4);
    try {
      const texts = Array.from({ length: 25 }, (_, i) => `stored chunk ${i} zeppelin${i}`);
      await index.replaceFile(
        '/big.txt',
        docs('/big.txt', texts, () => null),
      );
      // An identical copy elsewhere shares chunk ids: each row gets its own vector.
      await index.replaceFile(
        '/copy.txt',
        docs('/copy.txt', texts.slice(0, 5), () => null).map((doc, i) => ({ ...doc, id: `/big.txt:${i}` })),
      );
      await index.optimize();
      const embedder = new CountingEmbedder(A4.modelId, 4);
      const progress: number[] = [];
      const result = await reembedMissingVectors({
        index,
        embedder,
        batchSize: 10,
        onProgress: ({ embedded }) => progress.push(embedded),
      });
      expect(result).toEqual({ embedded: 30, total: 30 });
      expect(progress).toEqual([0, 10, 20, 30]);
      expect(embedder.texts).toHaveLength(30);
      expect(new Set(embedder.texts)).toEqual(new Set(texts));
      expect(await index.countChunksWithoutEmbedding()).toBe(0);
      // Updated rows left the full-text index until its next update; search must still see them.
      const found = await index.search({ text: 'zeppelin7', mode: 'keyword', top: 5 });
      expect(found.map((hit) => hit.id)).toEqual(['/big.txt:7']);
      const vector = await index.search({ text: 'x', vector: [0, 0, 1, 0], mode: 'vector', top: 40 });
      expect(vector).toHaveLength(30);
    } finally {
      await index.close();
    }
  });

  it('stops when the rows it read are gone (files removed during the pass)', async () => {
    const { index } = await openFor(A4);
    try {
      await index.replaceFile(
        '/gone.txt',
        docs('/gone.txt', ['one', 'two'], () => null),
      );
      const vanishing: Embedder = {
        modelId: A4.modelId,
        dimensions: 4,
        async embed(texts) {
          await index.removeFile('/gone.txt');
          return texts.map(() => [1, 0, 0, 0]);
        },
      };
      expect(await reembedMissingVectors({ index, embedder: vanishing })).toEqual({ embedded: 0, total: 2 });
      expect(await index.count()).toBe(0);
    } finally {
      await index.close();
    }
  });
});
