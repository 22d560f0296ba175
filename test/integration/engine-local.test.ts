import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../electron/contract';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { type MixedFolderManifest, makeMixedFolder, makePdf } from '../fixtures/generate';

describe('engine, local backend', () => {
  let engine: Engine;
  let manifest: MixedFolderManifest;
  let root: string;
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-engine-'));
    manifest = await makeMixedFolder(path.join(root, 'docs'), { count: 40, seed: 11 });
    engine = await openEngine({ dataDir: path.join(root, 'data'), env: {}, eventFlushIntervalInMs: 20 });
    engine.onEvent((event) => events.push(event));
    const { done } = await engine.ingest([{ kind: 'path', path: manifest.root }]);
    await done;
  }, 180_000);

  afterAll(async () => {
    await engine?.close();
  });

  it('finds every phrase of every good file first, on its page', async () => {
    const misses: string[] = [];
    for (const good of manifest.good) {
      for (const phrase of good.phrases) {
        const { results } = await engine.handlers.search({ query: phrase.text, mode: 'keyword', top: 3 });
        const top = results[0];
        if (top?.sourcePath !== good.path || top.page !== phrase.page) {
          misses.push(
            `${phrase.text} -> expected ${good.path}#${phrase.page}, got ${top?.sourcePath}#${top?.page}`,
          );
        }
      }
    }
    expect(misses).toEqual([]);
  });

  it('reports the file lifecycle as coalesced events ending with the summary', () => {
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('job.started');
    expect(types.at(-1)).toBe('job.finished');
    const finished = events.at(-1);
    expect(finished?.type === 'job.finished' && finished.summary.indexed).toBe(manifest.good.length);
    // Coalescing: far fewer events than file stage changes.
    expect(events.length).toBeLessThan(manifest.good.length * 4);
  });

  it('answers a snapshot with every file and falls back to keyword search with a notice', async () => {
    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.backend).toBe('local');
    expect(snapshot.semantic.available).toBe(false);
    expect(snapshot.files.length).toBe(manifest.good.length + manifest.bad.length);
    const phrase = manifest.good[0]?.phrases[0]?.text ?? '';
    const output = await engine.handlers.search({ query: phrase, mode: 'hybrid', top: 3 });
    expect(output.mode).toBe('keyword');
    expect(output.notice).toMatch(/semantic search is off/);
  });

  it('re-indexes a changed file and drops its old chunks', async () => {
    const file = path.join(root, 'changing.pdf');
    await writeFile(file, await makePdf(['zugravelo first version text']));
    await (await engine.ingest([{ kind: 'path', path: file }])).done;
    await writeFile(file, await makePdf(['plimbarosk second version text', 'another page']));
    const summary = await (await engine.ingest([{ kind: 'path', path: file }])).done;
    expect(summary.indexed).toBe(1);
    expect((await engine.handlers.search({ query: 'zugravelo', mode: 'keyword', top: 5 })).results).toEqual(
      [],
    );
    const found = await engine.handlers.search({ query: 'plimbarosk', mode: 'keyword', top: 5 });
    expect(found.results[0]?.sourcePath).toBe(file);
  });

  it('ingests browser uploads by name', async () => {
    const bytes = Buffer.from('The vorndaleki phrase lives in an uploaded note.', 'utf8');
    const summary = await (
      await engine.ingest([{ kind: 'upload', name: 'notes/up.txt', dataBase64: bytes.toString('base64') }])
    ).done;
    expect(summary.indexed).toBe(1);
    const { results } = await engine.handlers.search({ query: 'vorndaleki', mode: 'keyword', top: 1 });
    expect(results[0]?.sourcePath).toBe('notes/up.txt');
    expect(results[0]?.sourceName).toBe('up.txt');
  });

  it('cancels a running job: unfinished files end cancelled', async () => {
    const big = await makeMixedFolder(path.join(root, 'many'), { count: 150, seed: 3 });
    let firstDone: () => void = () => {};
    const someFileDone = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const unsubscribe = engine.onEvent((event) => {
      if (event.type === 'files.updated' && event.files.some((f) => f.status === 'done')) firstDone();
    });
    const { jobId, done } = await engine.ingest([{ kind: 'path', path: big.root }]);
    await someFileDone;
    unsubscribe();
    expect((await engine.handlers.cancelJob({ jobId })).cancelled).toBe(true);
    const summary = await done;
    expect(summary.indexed).toBeGreaterThan(0);
    expect(summary.indexed).toBeLessThan(big.good.length);
    expect(summary.failures.some((f) => f.code === 'cancelled')).toBe(true);
    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.jobs.find((j) => j.jobId === jobId)?.status).toBe('cancelled');
    expect((await engine.handlers.cancelJob({ jobId })).cancelled).toBe(false);
  });
});
