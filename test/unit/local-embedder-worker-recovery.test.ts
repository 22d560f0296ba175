/**
 * TransformersEmbedder's worker lifecycle with a stand-in worker (plain JS speaking the worker
 * protocol): a crash fails the calls in flight as retryable, and the next call starts a new worker.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransformersEmbedder } from '../../electron/engine/providers/local/embedding/transformers-embedder';
import { buildTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

/** Counts its starts in a file; the first instance dies on its first batch, later ones answer. */
const STAND_IN_WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { readFileSync, writeFileSync } from 'node:fs';
const counter = workerData.modelsDir + '/starts.txt';
let starts = 0;
try { starts = Number(readFileSync(counter, 'utf8')); } catch {}
writeFileSync(counter, String(starts + 1));
if (workerData.modelId === 'test/fails-to-load') {
  parentPort.postMessage({ type: 'failed', id: null, message: 'no such model', stage: 'load' });
} else {
  parentPort.postMessage({ type: 'ready', loadMs: 0 });
}
parentPort.on('message', (request) => {
  if (request.type !== 'embed') return;
  if (starts === 0) process.exit(3);
  const dimensions = ${buildTinyEmbeddingModel().spec.dimensions};
  const vectors = new Float32Array(request.texts.length * dimensions).fill(0.5);
  parentPort.postMessage({ type: 'embedded', id: request.id, count: request.texts.length, dimensions, vectors }, [vectors.buffer]);
});
`;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-worker-recovery-'));
  await writeFile(path.join(dir, 'stand-in-worker.mjs'), STAND_IN_WORKER);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function open(id?: string) {
  const spec = { ...buildTinyEmbeddingModel().spec, ...(id ? { id } : {}) };
  return TransformersEmbedder.open({
    spec,
    modelsDir: dir,
    cacheDir: dir,
    workerEntry: { kind: 'bundled', url: new URL(pathToFileURL(path.join(dir, 'stand-in-worker.mjs'))) },
  });
}

describe('embedding worker lifecycle', () => {
  it('fails the calls of a crashed worker as retryable, then starts a new one', async () => {
    const embedder = await open();
    try {
      await expect(embedder.embed(['car'])).rejects.toMatchObject({
        code: 'service',
        reason: 'embedding_worker_crashed',
        retryable: true,
      });
      const [vector] = await embedder.embed(['car']);
      expect(vector).toHaveLength(embedder.dimensions);
      expect(await readFile(path.join(dir, 'starts.txt'), 'utf8')).toBe('2');
    } finally {
      await embedder.close();
    }
    await expect(embedder.embed(['car'])).rejects.toMatchObject({ reason: 'embedder_closed' });
  });

  it('reports a model that fails to load', async () => {
    await expect(open('test/fails-to-load')).rejects.toMatchObject({
      code: 'service',
      reason: 'embedding_model_load_failed',
    });
  });

  it('stops loading when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      TransformersEmbedder.open(
        { spec: buildTinyEmbeddingModel().spec, modelsDir: dir, cacheDir: dir },
        { abortSignal: controller.signal },
      ),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });
});
