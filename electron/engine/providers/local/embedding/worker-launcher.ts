/**
 * Starts the embedding worker in every way Quarry runs:
 * - bundled (dist/main/main.js): the sibling file `embedding-worker.js` emitted by the build;
 * - from source (tsx, vitest): `embedding-worker.ts` next to this file, loaded through a tiny
 *   bootstrap that registers tsx's ESM loader inside the worker first (Node 20 does not pass
 *   a parent's `--import tsx` into a worker, and vitest's transform never reaches workers).
 * Both are resolved relative to `import.meta.url`, so neither depends on the working directory.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { QuarryError } from '../../../../contract';

export const WORKER_FILE_BASENAME = 'embedding-worker';

/** Runs inside the new worker as CommonJS: register tsx, then import the TypeScript entry. */
const TSX_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.__tsxApiUrl)
  .then((api) => { api.register(); return import(workerData.__entryUrl); })
  .catch((error) => { setImmediate(() => { throw error; }); });
`;

export interface WorkerEntry {
  kind: 'bundled' | 'source';
  url: URL;
}

/** The worker entry next to `baseUrl` (this module's URL by default), or null when there is none. */
export function findWorkerEntry(baseUrl: string = import.meta.url): WorkerEntry | null {
  const bundled = new URL(`./${WORKER_FILE_BASENAME}.js`, baseUrl);
  // Packaged app: the worker and the packages it imports are unpacked next to app.asar
  // (build/electron-builder.yml asarUnpack), so the worker thread reads plain files.
  const unpacked = new URL(bundled.href.replace('/app.asar/', '/app.asar.unpacked/'));
  if (unpacked.href !== bundled.href && existsSync(fileURLToPath(unpacked))) {
    return { kind: 'bundled', url: unpacked };
  }
  if (existsSync(fileURLToPath(bundled))) return { kind: 'bundled', url: bundled };
  const source = new URL(`./${WORKER_FILE_BASENAME}.ts`, baseUrl);
  if (existsSync(fileURLToPath(source))) return { kind: 'source', url: source };
  return null;
}

/** Spawns the embedding worker with `workerData`; throws QuarryError('unsupported') when it cannot. */
export function launchEmbeddingWorker(
  workerData: object,
  entry: WorkerEntry | null = findWorkerEntry(),
): Worker {
  if (!entry) {
    throw new QuarryError(
      'unsupported',
      `The embedding worker (${WORKER_FILE_BASENAME}.js) is missing next to ${fileURLToPath(import.meta.url)}; ` +
        'the build did not emit it.',
      { reason: 'embedding_worker_missing' },
    );
  }
  if (entry.kind === 'bundled') return new Worker(entry.url, { workerData });
  return new Worker(TSX_BOOTSTRAP, {
    eval: true,
    workerData: { ...workerData, __entryUrl: entry.url.href, __tsxApiUrl: tsxEsmApiUrl(entry.url) },
  });
}

/** tsx's ESM register API (its CommonJS twin resolves its own files wrongly inside a worker). */
function tsxEsmApiUrl(from: URL): string {
  let packageJson: string;
  try {
    packageJson = createRequire(from).resolve('tsx/package.json');
  } catch (error) {
    throw new QuarryError(
      'unsupported',
      'Running the embedding worker from TypeScript sources needs the tsx package (a dev dependency).',
      { reason: 'embedding_worker_missing', cause: error },
    );
  }
  return pathToFileURL(path.join(path.dirname(packageJson), 'dist', 'esm', 'api', 'index.mjs')).href;
}
