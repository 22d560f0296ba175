/**
 * The real local embedding path (worker thread + transformers.js + onnxruntime-node) on the tiny
 * generated model, fully offline.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { TransformersEmbedder } from '../../electron/engine/providers/local/embedding/transformers-embedder';
import { TINY_MODEL_DIMENSIONS, writeTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

let dataDir: string;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-embedder-'));
  const modelsDir = path.join(dataDir, 'models');
  const model = await writeTinyEmbeddingModel(modelsDir);
  embedder = await TransformersEmbedder.open({
    spec: model.spec,
    modelsDir,
    cacheDir: path.join(dataDir, 'cache'),
    threads: 1,
    maxBatchSize: 4,
  });
});

afterAll(async () => {
  await embedder?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('TransformersEmbedder on the tiny model', () => {
  it('returns one normalised vector of the model size per text', async () => {
    const vectors = await embedder.embed(['My car needs fixing at the garage', '苹果和香蕉', '']);
    expect(embedder.dimensions).toBe(TINY_MODEL_DIMENSIONS);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(TINY_MODEL_DIMENSIONS);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic, and a text embeds the same alone or inside a larger batch', async () => {
    const texts = [
      'the automobile museum has an old exhibit',
      'rain and storm weather',
      'my kitten and the puppy',
      'invoice payment for the laptop software',
      'a broken truck engine',
      '汽车修理',
    ];
    const together = await embedder.embed(texts);
    const again = await embedder.embed(texts);
    expect(again).toEqual(together);
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(alone).toHaveLength(TINY_MODEL_DIMENSIONS);
      for (const [d, value] of alone!.entries()) expect(value).toBeCloseTo(together[i]![d]!, 5);
    }
  });

  it('puts a paraphrase closer to a query than an unrelated text, in English and Chinese', async () => {
    const [query] = await embedder.embed(['automobile repair'], { inputType: 'query' });
    const [paraphrase, unrelated, chinese] = await embedder.embed([
      'My car needs fixing at the garage',
      'Apples and a banana are fruit',
      '汽车需要修理',
    ]);
    expect(dot(query!, paraphrase!)).toBeGreaterThan(0.8);
    expect(dot(query!, unrelated!)).toBeLessThan(0.3);
    expect(dot(query!, chinese!)).toBeGreaterThan(0.8);
  });

  it('applies the query and document prefixes', async () => {
    const [asQuery] = await embedder.embed(['car repair'], { inputType: 'query' });
    const [asDocument] = await embedder.embed(['car repair'], { inputType: 'document' });
    const [byDefault] = await embedder.embed(['car repair']);
    expect(byDefault).toEqual(asDocument);
    expect(asQuery).not.toEqual(asDocument);
    // Prefix words are faint in the tiny model: the meaning stays the same.
    expect(dot(asQuery!, asDocument!)).toBeGreaterThan(0.95);
  });

  it('rejects at once when aborted, and keeps serving other calls', async () => {
    const controller = new AbortController();
    const many = Array.from({ length: 200 }, (_, i) => `car repair number ${i} at the garage`);
    const aborted = embedder.embed(many, { abortSignal: controller.signal });
    const other = embedder.embed(['rain and storm']);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    await expect(other).resolves.toHaveLength(1);

    const already = new AbortController();
    already.abort();
    await expect(embedder.embed(['x'], { abortSignal: already.signal })).rejects.toBeInstanceOf(QuarryError);
  });

  it('embeds many texts at a useful rate (throughput printed for the report)', async () => {
    const texts = Array.from(
      { length: 400 },
      (_, i) => `passage ${i}: my car needs repair at the garage, and the invoice payment for the old laptop`,
    );
    const startedAt = performance.now();
    const vectors = await embedder.embed(texts);
    const seconds = (performance.now() - startedAt) / 1000;
    expect(vectors).toHaveLength(texts.length);
    console.log(`tiny model: ${Math.round(texts.length / seconds)} texts/s (${texts.length} texts, batch 4)`);
  });

  it('writes nothing outside the data dir', async () => {
    const entries = await readdir(dataDir);
    expect(entries.sort()).toEqual(expect.arrayContaining(['models']));
    expect(entries.filter((entry) => !['models', 'cache'].includes(entry))).toEqual([]);
  });
});
