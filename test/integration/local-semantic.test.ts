/**
 * Local semantic search end to end through the engine, with generated tiny models served from
 * 127.0.0.1: no model -> keyword search with the reason; the model downloads in the background
 * -> the indexed chunks are embedded from the text the index stores (the source files are gone by
 * then, so nothing can be re-read or re-extracted) -> vector and hybrid search rank paraphrases
 * above keyword-only matches; a model of another vector size re-embeds everything.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SearchMode } from '../../electron/contract';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import { vectorDimensionsOf } from '../../electron/engine/providers/local/lancedb-schema';
import { recordedEmbeddingModel } from '../../electron/engine/providers/local/lancedb-vector-column';
import { EMBEDDINGS_SERVICE } from '../../electron/engine/providers/local/local-semantic';
import {
  buildTinyEmbeddingModel,
  TINY_MODEL_DIMENSIONS,
  writeTinyEmbeddingModel,
} from '../fixtures/tiny-embedding-model';
import { ModelServer } from '../helpers/model-server';

const DOCS = {
  paraphrase: 'The mechanic will repair my car at the garage; car repair takes a day.',
  pureParaphrase: 'Fixing a broken truck engine.',
  chineseParaphrase: '汽车需要修理',
  keywordOnlyInsurance: 'Automobile insurance invoice and payment price.',
  keywordOnlyMuseum: 'An automobile museum exhibit of ancient history.',
  fruit: 'Apples and a banana are fruit.',
  weather: 'Rain and storm weather with an umbrella.',
  chineseWeather: '今天的天气预报说下午有雷阵雨',
} as const;
type DocName = keyof typeof DOCS;
const PARAPHRASES: DocName[] = ['paraphrase', 'pureParaphrase', 'chineseParaphrase'];
const KEYWORD_ONLY: DocName[] = ['keywordOnlyInsurance', 'keywordOnlyMuseum'];
const QUERY = 'automobile repair';

const firstModel = buildTinyEmbeddingModel();
const widerModel = buildTinyEmbeddingModel({ id: 'quarry-test/tiny-wider', extraDimensions: 4 });

let root: string;
let dataDir: string;
let docsDir: string;
let server: ModelServer;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'quarry-semantic-'));
  dataDir = path.join(root, 'data');
  docsDir = path.join(root, 'docs');
  await mkdir(docsDir, { recursive: true });
  for (const [name, text] of Object.entries(DOCS)) await writeFile(path.join(docsDir, `${name}.txt`), text);
  server = await ModelServer.start([firstModel, widerModel]);
  await useModel(firstModel.spec);
});

afterAll(async () => {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The settings file names a model described in full, served by the local server. */
async function useModel(spec: unknown): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const settings = { embeddings: { provider: 'local', model: spec, baseUrl: server.baseUrl } };
  await writeFile(path.join(dataDir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

async function open(downloadEmbeddingModel: boolean): Promise<{ engine: Engine; events: EngineEvent[] }> {
  const engine = await openEngine({ dataDir, env: {}, eventFlushIntervalInMs: 20, downloadEmbeddingModel });
  const events: EngineEvent[] = [];
  engine.onEvent((event) => events.push(event));
  return { engine, events };
}

function modelStates(events: EngineEvent[]) {
  return events.flatMap((event) =>
    event.type === 'service.state' && event.state.service === EMBEDDINGS_SERVICE ? [event.state] : [],
  );
}

/** Resolves once the background work reports semantic search ready. */
async function whenReady(events: EngineEvent[], timeoutInMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!modelStates(events).some((state) => state.state === 'ok' && /ready \(/.test(state.message ?? ''))) {
    if (Date.now() - started > timeoutInMs) {
      throw new Error(`semantic search never became ready: ${JSON.stringify(modelStates(events))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ranked(engine: Engine, query: string, mode: SearchMode) {
  const output = await engine.handlers.search({ query, mode, top: 10 });
  return { ...output, names: output.results.map((result) => path.basename(result.sourcePath, '.txt')) };
}

/** Reads the table directly: its vector size, recorded model, and how many rows lack a vector. */
async function inspectIndex(): Promise<{
  dimensions: number | null;
  model: string | null;
  rows: number;
  missing: number;
}> {
  const db = await lancedb.connect(path.join(dataDir, 'index'));
  const table = await db.openTable('chunks');
  try {
    const schema = await table.schema();
    return {
      dimensions: vectorDimensionsOf(schema),
      model: recordedEmbeddingModel(schema),
      rows: await table.countRows(),
      missing: await table.countRows('embedding IS NULL'),
    };
  } finally {
    table.close();
    db.close();
  }
}

describe('local semantic search through the engine', () => {
  it('searches by keyword with the reason while the model downloads, then turns semantic search on without re-reading any file', async () => {
    const release = server.hold('onnx/model.onnx');
    const { engine, events } = await open(true);
    try {
      const summary = await (await engine.ingest([{ kind: 'path', path: docsDir }])).done;
      expect(summary.indexed).toBe(Object.keys(DOCS).length);

      const before = await engine.handlers.getSnapshot({});
      expect(before.semantic.available).toBe(false);
      expect(before.semantic.reason).toMatch(/being downloaded, so semantic search is off/);
      const keywordOnly = await ranked(engine, QUERY, 'hybrid');
      expect(keywordOnly.mode).toBe('keyword');
      expect(keywordOnly.notice).toMatch(/^Showing keyword results: .*semantic search is off/);
      expect(keywordOnly.names).not.toContain('pureParaphrase');
      expect(modelStates(events).at(-1)).toMatchObject({
        state: 'unavailable',
        message: expect.stringMatching(
          /^Downloading the embedding model quarry-test\/tiny-static-embedding: \d+ KB of \d+ KB$/,
        ),
      });
      // The index has the text; the files are no longer needed (and cannot be re-read).
      await rm(docsDir, { recursive: true, force: true });

      release();
      await whenReady(events);
      const after = await engine.handlers.getSnapshot({});
      expect(after.semantic).toEqual({ available: true, reason: null });
      const messages = modelStates(events).map((state) => state.message ?? '');
      expect(messages).toContain(`The embedding model ${firstModel.spec.id} is ready.`);
      expect(
        messages.some((message) =>
          /^Embedding the indexed text for semantic search: \d+ of \d+ chunks/.test(message),
        ),
      ).toBe(true);

      const vector = await ranked(engine, QUERY, 'vector');
      expect(vector.mode).toBe('vector');
      expect(vector.notice).toBeNull();
      expect(new Set(vector.names.slice(0, PARAPHRASES.length))).toEqual(new Set(PARAPHRASES));
      const hybrid = await ranked(engine, QUERY, 'hybrid');
      expect(hybrid.mode).toBe('hybrid');
      expect(hybrid.names[0]).toBe('paraphrase');
      const firstKeywordOnly = Math.min(...KEYWORD_ONLY.map((name) => hybrid.names.indexOf(name)));
      expect(hybrid.names.indexOf('pureParaphrase')).toBeGreaterThanOrEqual(0);
      expect(hybrid.names.indexOf('paraphrase')).toBeLessThan(firstKeywordOnly);

      // Chinese keywords still find the Chinese phrase (bigram full-text index).
      const chinese = await ranked(engine, '雷阵雨', 'keyword');
      expect(chinese.names[0]).toBe('chineseWeather');
    } finally {
      release();
      await engine.close();
    }
    const index = await inspectIndex();
    expect(index).toMatchObject({
      dimensions: TINY_MODEL_DIMENSIONS,
      model: firstModel.spec.id,
      rows: Object.keys(DOCS).length,
      missing: 0,
    });
  });

  it('re-embeds every chunk when the model changes to another vector size', async () => {
    // Placed by hand (no download): a model copied from another machine works the same.
    await writeTinyEmbeddingModel(path.join(dataDir, 'models'), {
      id: widerModel.spec.id,
      extraDimensions: 4,
    });
    await useModel(widerModel.spec);
    const requestsBefore = server.requests.length;
    const { engine, events } = await open(false);
    try {
      expect((await engine.handlers.getSnapshot({})).semantic.available).toBe(true);
      await whenReady(events);
      const vector = await ranked(engine, QUERY, 'vector');
      expect(vector.mode).toBe('vector');
      expect(new Set(vector.names.slice(0, PARAPHRASES.length))).toEqual(new Set(PARAPHRASES));
      const hybrid = await ranked(engine, QUERY, 'hybrid');
      expect(hybrid.names[0]).toBe('paraphrase');
    } finally {
      await engine.close();
    }
    expect(server.requests.length).toBe(requestsBefore);
    expect(await inspectIndex()).toMatchObject({
      dimensions: TINY_MODEL_DIMENSIONS + 4,
      model: widerModel.spec.id,
      rows: Object.keys(DOCS).length,
      missing: 0,
    });
  });

  it('reopens with the same model without touching the vectors', async () => {
    const { engine, events } = await open(false);
    try {
      expect((await engine.handlers.getSnapshot({})).semantic.available).toBe(true);
      const vector = await ranked(engine, QUERY, 'vector');
      expect(new Set(vector.names.slice(0, PARAPHRASES.length))).toEqual(new Set(PARAPHRASES));
      // Nothing to re-embed, so no progress at all.
      expect(modelStates(events)).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('without a model and without background downloads, says how to get one', async () => {
    const otherDir = path.join(root, 'no-model');
    const engine = await openEngine({ dataDir: otherDir, env: {}, downloadEmbeddingModel: false });
    try {
      const snapshot = await engine.handlers.getSnapshot({});
      expect(snapshot.semantic.available).toBe(false);
      expect(snapshot.semantic.reason).toMatch(
        /^no local embedding model is installed, so semantic search is off \(keyword search works\)\. Run `quarry models download` once to fetch Xenova\/multilingual-e5-small, 135 MB\.$/,
      );
    } finally {
      await engine.close();
    }
  });

  it('builds an ANN index once the table holds enough vectors, and still finds the nearest chunk', async () => {
    const dir = path.join(root, 'ann');
    const dims = 16;
    const index = await openLanceDbIndex({
      dir,
      vectorDimensions: dims,
      vectorIndex: { minRows: 300, maxDeltaIndexes: 8 },
    });
    try {
      const unit = (seed: number) => {
        const vector = Array.from({ length: dims }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233));
        const norm = Math.hypot(...vector);
        return vector.map((value) => value / norm);
      };
      for (let file = 0; file < 4; file++) {
        await index.replaceFile(
          `/docs/${file}.txt`,
          Array.from({ length: 100 }, (_, chunk) => {
            const n = file * 100 + chunk;
            return {
              id: `h${file}:${chunk}`,
              content: `chunk number ${n}`,
              embedding: unit(n),
              sourcePath: `/docs/${file}.txt`,
              sourceName: `${file}.txt`,
              contentHash: `h${file}`,
              page: null,
              chunkIndex: chunk,
              mimeType: 'text/plain',
              title: null,
              modifiedAt: 0,
            };
          }),
        );
      }
      await index.optimize();
      const results = await index.search({ text: 'x', vector: unit(257), mode: 'vector', top: 3 });
      expect(results[0]?.id).toBe('h2:57');
    } finally {
      await index.close();
    }
    const db = await lancedb.connect(dir);
    const table = await db.openTable('chunks');
    const indices = await table.listIndices();
    table.close();
    db.close();
    expect(indices.find((entry) => entry.columns[0] === 'embedding')?.indexType).toBe('IvfHnswSq');
  });
});
