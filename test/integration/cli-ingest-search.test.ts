import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobSummary } from '../../electron/contract';
import { type MixedFolderManifest, makeMixedFolder } from '../fixtures/generate';
import { parseNdjson, runCli } from '../helpers/run-cli';

interface SearchJson {
  results: { sourcePath: string; sourceName: string; page: number | null; score: number; snippet: string }[];
}

describe('quarry CLI: ingest a mixed folder, then search it', () => {
  let manifest: MixedFolderManifest;
  let dataDir: string;
  let firstRun: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'quarry-cli-'));
    manifest = await makeMixedFolder(path.join(root, 'docs'), { count: 50, seed: 7 });
    dataDir = path.join(root, 'data');
    firstRun = await runCli(['ingest', manifest.root, '--json', '--data-dir', dataDir]);
  }, 180_000);

  it('indexes every good file, fails every bad one with its code, and exits 1', () => {
    expect(firstRun.stderr).toBe('');
    const lines = parseNdjson(firstRun.stdout);
    const summary = JobSummary.parse(lines.at(-1));
    expect(summary.files).toBe(manifest.good.length + manifest.bad.length);
    expect(summary.indexed).toBe(manifest.good.length);
    expect(summary.failed).toBe(manifest.bad.length);
    for (const bad of manifest.bad) {
      const failure = summary.failures.find((f) => f.path === bad.path);
      expect(failure, bad.path).toBeDefined();
      expect(failure?.code).toBe(bad.code);
      expect(failure?.message.length).toBeGreaterThan(5);
    }
    for (const hidden of manifest.hidden) {
      expect(lines.some((line) => line.path === hidden)).toBe(false);
    }
    expect(lines.filter((line) => line.type === 'file').length).toBeGreaterThan(summary.files);
    expect(firstRun.code).toBe(1);
  });

  it('finds a phrase from page 2 of a PDF first, with its page', async () => {
    const pdf = manifest.good.find(
      (g) => g.mimeType === 'application/pdf' && g.phrases.some((p) => p.page === 2),
    );
    const phrase = pdf?.phrases.find((p) => p.page === 2);
    expect(phrase).toBeDefined();
    const run = await runCli(['search', phrase?.text ?? '', '--json', '--top', '5', '--data-dir', dataDir]);
    expect(run.code).toBe(0);
    const { results } = JSON.parse(run.stdout) as SearchJson;
    expect(results[0]?.sourcePath).toBe(pdf?.path);
    expect(results[0]?.page).toBe(2);
    expect(results[0]?.snippet.toLowerCase()).toContain(phrase?.text.split(' ')[0]?.toLowerCase());
  });

  it('skips unchanged files on a rerun', async () => {
    const rerun = await runCli(['ingest', manifest.root, '--json', '--data-dir', dataDir]);
    const summary = JobSummary.parse(parseNdjson(rerun.stdout).at(-1));
    expect(summary.skipped).toBe(manifest.good.length);
    expect(summary.indexed).toBe(0);
    expect(summary.failed).toBe(manifest.bad.length);
  });

  it('prints a human report with each failure and its reason', async () => {
    const run = await runCli(['ingest', ...manifest.bad.map((b) => b.path), '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Ingested 4 files/);
    for (const bad of manifest.bad) expect(run.stdout).toContain(`[${bad.code}]`);
  });

  it('exits 2 on usage errors', async () => {
    expect((await runCli(['ingest', '/definitely/not/here', '--data-dir', dataDir])).code).toBe(2);
    expect((await runCli(['search', 'x', '--mode', 'telepathy', '--data-dir', dataDir])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });
});
