import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSummary } from '../../electron/contract';
import { makeCorruptPdf, makePdf } from '../fixtures/generate';
import { parseNdjson, runCli } from '../helpers/run-cli';

describe('quarry retry: failed files of a finished job run again, in a later session', () => {
  it('indexes a file fixed since, touches nothing else, and reports nothing left to retry', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'quarry-retry-'));
    const docs = path.join(root, 'docs');
    const dataDir = path.join(root, 'data');
    await mkdir(docs, { recursive: true });
    await writeFile(
      path.join(docs, 'good.pdf'),
      await makePdf(['A healthy page about the vandorix method.']),
    );
    const broken = path.join(docs, 'broken.pdf');
    await writeFile(broken, makeCorruptPdf());
    const first = await runCli(['ingest', docs, '--json', '--data-dir', dataDir]);
    expect(first.code).toBe(1);

    await writeFile(broken, await makePdf(['Repaired page naming the quelvastin rule.']));
    const retry = await runCli(['retry', '--json', '--data-dir', dataDir]);
    expect(retry.code).toBe(0);
    const lines = parseNdjson(retry.stdout);
    const summary = JobSummary.parse(lines.at(-1));
    expect(summary.failed).toBe(0);
    expect(summary.indexed).toBe(2);
    // Only the fixed file ran again.
    const ran = new Set(lines.filter((l) => l.type === 'file' && l.status === 'running').map((l) => l.path));
    expect([...ran]).toEqual([broken]);

    const search = JSON.parse(
      (await runCli(['search', 'quelvastin', '--json', '--mode', 'keyword', '--data-dir', dataDir])).stdout,
    ) as {
      results: { sourcePath: string }[];
    };
    expect(search.results[0]?.sourcePath).toBe(broken);
    const again = await runCli(['retry', '--data-dir', dataDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/No finished job has failed files/);
  }, 120_000);
});
