import { spawn } from 'node:child_process';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { JobSummary } from '../../electron/contract';
import { chunkDocument } from '../../electron/engine/pipeline/chunking';
import { hashFile } from '../../electron/engine/pipeline/hashing';
import { readJournal } from '../../electron/engine/pipeline/journal/journal-reader';
import { openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { makeMixedFolder } from '../fixtures/generate';
import { cliCommand, parseNdjson, REPO_ROOT, runCli } from '../helpers/run-cli';

/** Runs `quarry ingest --json` and SIGKILLs it once `doneBeforeKill` files are done. */
function ingestUntilKilled(root: string, dataDir: string, doneBeforeKill: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const [command, args] = cliCommand(['ingest', root, '--json', '--data-dir', dataDir]);
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const done: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { type: string; status?: string; path?: string };
      if (event.type === 'file' && event.status === 'done' && event.path) done.push(event.path);
      if (done.length >= doneBeforeKill && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(done) : reject(new Error('finished before the kill')),
    );
  });
}

describe('quarry ingest survives SIGKILL: a rerun resumes without redoing finished files', () => {
  it('completes the index with every chunk exactly once', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'quarry-resume-'));
    const manifest = await makeMixedFolder(path.join(root, 'docs'), { count: 150, seed: 99 });
    const dataDir = path.join(root, 'data');

    const doneBeforeKill = await ingestUntilKilled(manifest.root, dataDir, 20);
    expect(doneBeforeKill.length).toBeGreaterThanOrEqual(20);

    const rerun = await runCli(['ingest', manifest.root, '--json', '--data-dir', dataDir]);
    const lines = parseNdjson(rerun.stdout);
    expect(lines[0]).toMatchObject({ type: 'resumed' });
    const summary = JobSummary.parse(lines.at(-1));
    // A file indexed just before the kill, but not yet journaled as done, is found unchanged in
    // the index on resume: skipped, not paid for again.
    expect(summary.indexed + summary.skipped).toBe(manifest.good.length);
    expect(summary.failed).toBe(manifest.bad.length);
    // Files finished before the kill are never started again.
    const restarted = new Set(
      lines.filter((l) => l.type === 'file' && l.status === 'running').map((l) => l.path),
    );
    expect(doneBeforeKill.filter((p) => restarted.has(p))).toEqual([]);

    // One journal, and it records the job as finished.
    const journals = (await readdir(path.join(dataDir, 'jobs'))).filter((n) => n.endsWith('.journal'));
    expect(journals).toHaveLength(1);
    const job = await readJournal(path.join(dataDir, 'jobs', journals[0] ?? ''));
    expect(job?.status).toBe('done');
    // Every good file's chunks are in the index exactly once: recount them independently.
    let expectedChunks = 0;
    const extractor = createLocalExtractor();
    for (const good of manifest.good) {
      const contentHash = await hashFile(good.path);
      const document = await extractor.extract({
        diskPath: good.path,
        sourcePath: good.path,
        name: path.basename(good.path),
        size: (await stat(good.path)).size,
        mtimeMs: 0,
        mimeType: good.mimeType,
        contentHash,
      });
      expectedChunks += chunkDocument(document, { sourcePath: good.path, contentHash }).length;
    }
    const index = await openLanceDbIndex({ dir: path.join(dataDir, 'index') });
    try {
      expect(await index.count()).toBe(expectedChunks);
      for (const good of manifest.good) expect(await index.indexedHash(good.path)).not.toBeNull();
    } finally {
      await index.close();
    }

    // A third run of the same command is a new job in which every file is unchanged.
    const third = await runCli(['ingest', manifest.root, '--json', '--data-dir', dataDir]);
    const thirdSummary = JobSummary.parse(parseNdjson(third.stdout).at(-1));
    expect(thirdSummary.skipped).toBe(manifest.good.length);

    // Both jobs are in the history with their figures.
    const history = JSON.parse((await runCli(['jobs', '--json', '--data-dir', dataDir])).stdout) as {
      jobs: {
        status: string;
        interrupted: boolean;
        counts: { files: number; skipped: number };
        roots: string[];
      }[];
    };
    expect(history.jobs).toHaveLength(2);
    expect(
      history.jobs.every((j) => j.status === 'done' && !j.interrupted && j.roots[0] === manifest.root),
    ).toBe(true);
    expect(history.jobs[0]?.counts.skipped).toBe(manifest.good.length);

    // The cache (PDF and DOCX extractions) can be cleared; searching still works from the index.
    const cleared = await runCli(['cache', 'clear', '--data-dir', dataDir]);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/: (?!0\.0 KB)[\d.]+ [KM]B freed/);
    expect(await readdir(path.join(dataDir, 'cache')).catch(() => 'gone')).toBe('gone');
  }, 240_000);
});
