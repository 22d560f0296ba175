import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './exit-codes';
import { openCliEngine } from './open-cli-engine';
import { startServeHost } from './serve/serve-host';

/** The built renderer (npm run build puts it in dist/renderer at the repo root). */
function rendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');
}

/** Runs until SIGINT/SIGTERM. The first stdout line is `{"url": ...}` (scripts and tests read it). */
export async function serveCommand(options: { port: number; dataDir?: string }): Promise<number> {
  const dir = rendererDir();
  try {
    await stat(path.join(dir, 'index.html'));
  } catch {
    throw new UsageError(`The renderer is not built (${dir} has no index.html). Run "npm run build" first.`);
  }
  // The browser host is the app: like the desktop app, it resumes interrupted jobs at once and
  // fetches a missing embedding model in the background.
  const engine = await openCliEngine({
    ...options,
    resumeInterruptedJobs: true,
    downloadEmbeddingModel: true,
  });
  const controller = new AbortController();
  const host = await startServeHost({
    engine,
    port: options.port,
    rendererDir: dir,
    abortSignal: controller.signal,
  });
  process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await engine.close();
  return 0;
}
