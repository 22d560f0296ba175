/**
 * The embedder as it runs in the packaged app: bundled by esbuild the way scripts/build-electron.mjs
 * bundles dist/main (ESM, npm packages external), with the worker emitted as a sibling
 * `embedding-worker.js` that the bundled code finds through its own import.meta.url.
 */
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TransformersEmbedder } from '../../electron/engine/providers/local/embedding/transformers-embedder';
import { writeTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const embeddingDir = path.join(repoRoot, 'electron/engine/providers/local/embedding');

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-bundled-embedder-'));
  // Externals resolve from node_modules above the bundle, as in the packaged app.
  await symlink(path.join(repoRoot, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  await writeFile(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  await build({
    entryPoints: {
      main: path.join(embeddingDir, 'transformers-embedder.ts'),
      'embedding-worker': path.join(embeddingDir, 'embedding-worker.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
});

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('bundled embedder', () => {
  it('finds its sibling worker and embeds with the real model path', async () => {
    const bundled = (await import(pathToFileURL(path.join(outDir, 'main.js')).href)) as {
      TransformersEmbedder: typeof TransformersEmbedder;
    };
    // Only the bundled worker exists there: the TypeScript fallback cannot be what runs.
    expect((await readdir(outDir)).filter((name) => name.startsWith('embedding-worker'))).toEqual([
      'embedding-worker.js',
    ]);
    const dataDir = path.join(outDir, 'data');
    const model = await writeTinyEmbeddingModel(path.join(dataDir, 'models'));
    const embedder = await bundled.TransformersEmbedder.open({
      spec: model.spec,
      modelsDir: path.join(dataDir, 'models'),
      cacheDir: path.join(dataDir, 'cache'),
      threads: 1,
    });
    try {
      const [car, automobile, fruit] = await embedder.embed(['car', 'automobile', 'banana']);
      const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * (b[i] ?? 0), 0);
      expect(dot(car!, automobile!)).toBeGreaterThan(dot(car!, fruit!));
    } finally {
      await embedder.close();
    }
  });
});
