import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../electron/contract';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { makeCorruptPdf, makeMixedFolder, makePdf } from '../fixtures/generate';

function waitFor(engine: Engine, predicate: (event: EngineEvent) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = engine.onEvent((event) => {
      if (predicate(event)) {
        unsubscribe();
        resolve();
      }
    });
  });
}

describe('engine job controls: pause, resume, retry failed', () => {
  let engine: Engine;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-controls-'));
    engine = await openEngine({ dataDir: path.join(root, 'data'), env: {}, eventFlushIntervalInMs: 10 });
  });

  afterAll(async () => {
    await engine?.close();
  });

  it('pause lets in-flight files finish and starts nothing new until resume', async () => {
    const folder = await makeMixedFolder(path.join(root, 'pause'), { count: 120, seed: 21 });
    const firstDone = waitFor(
      engine,
      (e) => e.type === 'files.updated' && e.files.some((f) => f.status === 'done'),
    );
    const { jobId, done } = await engine.ingest([{ kind: 'path', path: folder.root }]);
    await firstDone;
    expect((await engine.handlers.pauseJob({ jobId })).changed).toBe(true);
    expect((await engine.handlers.pauseJob({ jobId })).changed).toBe(false);

    // Files that were running when we paused may finish; none may start after that.
    const runningAtPause = new Set(
      (await engine.handlers.getSnapshot({})).files
        .filter((f) => f.jobId === jobId && f.status === 'running')
        .map((f) => f.fileId),
    );
    const startedWhilePaused: string[] = [];
    const unsubscribe = engine.onEvent((event) => {
      if (event.type !== 'files.updated') return;
      for (const file of event.files) {
        if (file.status === 'running' && !runningAtPause.has(file.fileId))
          startedWhilePaused.push(file.fileId);
      }
    });
    // Let the in-flight files drain: their completion arrives as events.
    await new Promise((resolve) => setTimeout(resolve, 500));
    unsubscribe();
    const paused = await engine.handlers.getSnapshot({});
    expect(paused.jobs.find((j) => j.jobId === jobId)?.status).toBe('paused');
    expect(startedWhilePaused).toEqual([]);
    const queued = paused.files.filter((f) => f.jobId === jobId && f.status === 'queued').length;
    expect(queued).toBeGreaterThan(0);

    expect((await engine.handlers.resumeJob({ jobId })).changed).toBe(true);
    const summary = await done;
    expect(summary.indexed).toBe(folder.good.length);
    expect(summary.failed).toBe(folder.bad.length);
  });

  it('retries only the failed files and indexes the ones fixed since', async () => {
    const dir = path.join(root, 'retry');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    const good = path.join(dir, 'good.pdf');
    const broken = path.join(dir, 'broken.pdf');
    await writeFile(good, await makePdf(['A fine page about the xerbalonic method.']));
    await writeFile(broken, makeCorruptPdf());
    const { jobId, done } = await engine.ingest([{ kind: 'path', path: dir }]);
    const first = await done;
    expect(first.failed).toBe(1);

    await writeFile(broken, await makePdf(['Repaired page naming the quortaxil rule.']));
    const updates: string[] = [];
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'files.updated') for (const f of event.files) updates.push(f.fileId);
    });
    const retry = await engine.retryFailed(jobId);
    expect(retry.retried).toBe(1);
    const second = await retry.done;
    unsubscribe();
    expect(second.failed).toBe(0);
    expect(second.indexed).toBe(2);
    const snapshot = await engine.handlers.getSnapshot({});
    const goodFile = snapshot.files.find((f) => f.path === good);
    expect(updates).not.toContain(goodFile?.fileId);
    const { results } = await engine.handlers.search({ query: 'quortaxil', mode: 'keyword', top: 1 });
    expect(results[0]?.sourcePath).toBe(broken);
    expect((await engine.handlers.retryFailed({ jobId })).retried).toBe(0);
  });

  it('rejects controls for an unknown job with invalid_input', async () => {
    await expect(engine.handlers.pauseJob({ jobId: 'nope' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
