/**
 * Keeps the benchmark from rotting: a tiny bench run (a few files of every kind, `instant`
 * profile, all three pipelines, a 50-file UI path) through the same entry as `npm run bench`,
 * checking the `--json` line, that every pipeline indexed every file (from the simulator's stored
 * documents) and the written report. The full bench stays out of `npm test`.
 */
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticProfile } from '../azure-sim/core/profiles';
import { quotaLowerBound } from '../bench/bound';
import type { CorpusFile } from '../bench/corpus';
import { type BenchReport, checkTargets, type PipelineReport } from '../bench/report';
import { REPO_ROOT } from '../bench/rss';
import { type CliResult, runTsScript } from '../helpers/run-cli';

const PIPELINES = ['quarry', 'sequential', 'langchain'] as const;
const TINY_FILES = 9;

function runBench(args: string[]): Promise<CliResult> {
  return runTsScript(path.join(REPO_ROOT, 'test', 'bench', 'run.ts'), args, { timeoutInMs: 170_000 });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

describe('bench smoke run (tiny corpus, instant profile)', () => {
  let outDir: string;
  let run: CliResult;
  let summary: Record<string, Record<string, unknown>>;
  let report: BenchReport;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-bench-smoke-'));
    run = await runBench([
      '--tiny',
      '--profile',
      'instant',
      '--json',
      '--out',
      outDir,
      '--skip',
      'local',
      '--ui-files',
      '50',
    ]);
    const lastLine = run.stdout.trimEnd().split('\n').at(-1) ?? '';
    summary = JSON.parse(lastLine) as Record<string, Record<string, unknown>>;
    report = JSON.parse(await readFile(path.join(outDir, 'benchmarks.json'), 'utf8')) as BenchReport;
  }, 180_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('exits 0 and prints one JSON object keyed by pipeline as its last line', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(summary).sort()).toEqual([...PIPELINES].sort());
    for (const name of PIPELINES) {
      const entry = summary[name];
      expect(entry, name).toMatchObject({
        ok: true,
        throttled: 0,
        retryAfterViolations: 0,
        files: TINY_FILES,
        indexedFiles: TINY_FILES,
      });
      expect(entry?.wallMs, name).toBeGreaterThan(0);
      expect(typeof entry?.boundMs, name).toBe('number');
      expect(entry?.peakRssMb, name).toBeGreaterThan(20);
      const requests = entry?.requests as Record<string, number>;
      expect(Object.keys(requests).sort()).toEqual(['documentIntelligence', 'openai', 'search', 'vision']);
      // Every pipeline read something through Document Intelligence, embedded and uploaded.
      expect(requests.documentIntelligence, name).toBeGreaterThan(0);
      expect(requests.openai, name).toBeGreaterThan(0);
      expect(requests.search, name).toBeGreaterThan(0);
    }
  });

  it('finds every file of the corpus in each pipeline index the simulator stored', () => {
    expect(report.corpus.files).toBe(TINY_FILES);
    for (const name of PIPELINES) {
      const pipeline = report.pipelines[name];
      expect(pipeline.index.missingFiles, name).toBe(0);
      expect(pipeline.index.filesIndexed, name).toBe(TINY_FILES);
      expect(pipeline.index.documents, name).toBeGreaterThanOrEqual(TINY_FILES);
      expect(pipeline.failedFiles, name).toBe(0);
    }
    // Quarry batches embedding inputs across files; the baselines send one input per request.
    expect(report.pipelines.quarry.meanInputsPerEmbeddingRequest).toBeGreaterThan(1);
    expect(report.pipelines.sequential.meanInputsPerEmbeddingRequest).toBe(1);
  });

  it('writes the markdown report, the chart and the machine it ran on', async () => {
    const markdown = await readFile(path.join(outDir, 'benchmarks.md'), 'utf8');
    expect(markdown).toContain('| pipeline | wall time |');
    expect(markdown).toContain(`Node ${process.version}`);
    expect(markdown).toContain('![wall time per pipeline](benchmarks.svg)');
    const svg = await readFile(path.join(outDir, 'benchmarks.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const name of PIPELINES) expect(svg).toContain(`>${name}</text>`);
    expect(report.machine.cores).toBe(os.cpus().length);
  });

  it('measures the UI path through quarry serve', async () => {
    const rendererBuilt = await exists(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'));
    if (!rendererBuilt) {
      // `npm test` builds the renderer first; without it the bench reports the gap instead.
      expect(report.uiPath).toMatchObject({ ok: false });
      return;
    }
    expect(report.uiPath).toMatchObject({ ok: true, files: 50, indexed: 50, failed: 0 });
    if ('skipped' in report.uiPath) throw new Error('the UI path was skipped');
    expect(report.uiPath.eventFrames).toBeGreaterThan(0);
    expect(report.uiPath.peakRssMb).toBeGreaterThan(20);
  });
});

describe('quota lower bound', () => {
  const file = (overrides: Partial<CorpusFile>): CorpusFile => ({
    path: '/corpus/a.pdf',
    name: 'a.pdf',
    kind: 'pdfText',
    mimeType: 'application/pdf',
    route: 'documentIntelligence',
    pages: 1,
    words: 100,
    textTokens: 100,
    bytes: 1000,
    ...overrides,
  });

  it('is the embedding tokens past the initial burst over the sustained TPM when tokens dominate', () => {
    // 600K tokens; 120K TPM: a 120K burst, then 2,000 tokens/s -> 240 s.
    const files = Array.from({ length: 600 }, (_, i) =>
      file({ path: `/c/${i}.txt`, route: 'local', textTokens: 1000 }),
    );
    const bound = quotaLowerBound(files, realisticProfile);
    expect(bound.limitedBy).toBe('openai.tokens');
    expect(bound.boundMs).toBe(240_000);
  });

  it('is the slowest file when one long document outlasts every quota', () => {
    const bound = quotaLowerBound([file({ pages: 20, textTokens: 5000 })], realisticProfile);
    expect(bound.limitedBy).toBe('criticalPath');
    // 60 ms POST + 1,200 + 20 x 350 ms processing + 60 ms poll, one embedding call, one upload.
    expect(bound.boundMs).toBe(Math.round(60 + 1200 + 7000 + 60 + (60 + 0.02 * 5000) + (30 + 0.4 * 10)));
  });

  it('is the Document Intelligence analyze quota when many small documents need it', () => {
    // 615 one-page documents at 15 analyze/s after a burst of 15 -> 40 s.
    const files = Array.from({ length: 615 }, (_, i) => file({ path: `/c/${i}.pdf`, textTokens: 10 }));
    const bound = quotaLowerBound(files, realisticProfile);
    expect(bound.limitedBy).toBe('documentIntelligence.analyze');
    expect(bound.boundMs).toBe(40_000);
  });
});

describe('bench targets', () => {
  const pipeline = (wallMs: number | null, boundMs: number): PipelineReport =>
    ({
      ok: wallMs !== null,
      wallMs,
      boundMs,
      ratioToBound: wallMs === null ? null : wallMs / boundMs,
      retryAfterViolations: 0,
    }) as PipelineReport;
  const uiPath = { skipped: 'skipped with --skip' } as BenchReport['uiPath'];

  it('says how fast any pipeline could be against sequential when the bound rules out the goal', () => {
    const [, sequential] = checkTargets(
      {
        quarry: pipeline(199_000, 194_000),
        sequential: pipeline(1_630_000, 194_000),
        langchain: pipeline(null, 194_000),
      },
      uiPath,
    );
    expect(sequential).toMatchObject({ actual: '8.2x faster', met: false });
    expect(sequential?.note).toContain('8.4x');
  });

  it('gives no ceiling note without a sequential run', () => {
    const [, sequential] = checkTargets(
      {
        quarry: pipeline(199_000, 194_000),
        sequential: pipeline(null, 194_000),
        langchain: pipeline(null, 194_000),
      },
      uiPath,
    );
    expect(sequential).toMatchObject({ actual: 'n/a', met: null });
    expect(sequential?.note).toBeUndefined();
  });
});
