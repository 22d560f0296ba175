import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSummary } from '../../electron/contract';
import { type AzureSim, startAzureSim } from '../azure-sim';
import { makeDocx, makePdf, makeTextImage } from '../azure-sim/content/fixtures';
import type { LedgerEntry } from '../azure-sim/core/types';
import { createWordMaker } from '../fixtures/generate';
import { cliCommand, parseNdjson, REPO_ROOT, runCli } from '../helpers/run-cli';

interface CorpusFile {
  path: string;
  sha256: string;
  phrase: string;
  /** Goes through Document Intelligence (PDFs, DOCX). */
  viaDocumentIntelligence: boolean;
}

async function makeCorpus(dir: string, count: number): Promise<CorpusFile[]> {
  const word = createWordMaker(777);
  await mkdir(dir, { recursive: true });
  const files: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const phrase = `${word()} ${word()} ${word()}`;
    let name: string;
    let bytes: Uint8Array;
    if (i % 4 === 0 || i % 4 === 1) {
      name = `doc-${i}.pdf`;
      bytes = await makePdf([
        { kind: 'text', paragraphs: [`Page one of document ${i} mentions ${phrase}.`] },
        {
          kind: i % 4 === 0 ? 'text' : 'scan',
          ...(i % 4 === 0 ? { paragraphs: [`Page two of ${i}.`] } : { lines: [`Scanned page two of ${i}.`] }),
        } as Parameters<typeof makePdf>[0][number],
      ]);
    } else if (i % 4 === 2) {
      name = `memo-${i}.docx`;
      bytes = await makeDocx({ sections: [{ paragraphs: [`Memo ${i} concerns ${phrase}.`] }] });
    } else {
      name = `photo-${i}.png`;
      bytes = makeTextImage({ lines: [`Board ${i}: ${phrase}`] });
    }
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    files.push({
      path: file,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      phrase,
      viaDocumentIntelligence: !name.endsWith('.png'),
    });
  }
  return files;
}

const PAID_ROUTES = [
  'documentIntelligence.analyze',
  'documentIntelligence.poll',
  'vision.analyze',
  'openai.embeddings',
];

/** Document Intelligence and Vision analyses: one per file in a clean run. */
function perFileCalls(entries: readonly LedgerEntry[]): number {
  return entries.filter((e) => e.route === 'documentIntelligence.analyze' || e.route === 'vision.analyze')
    .length;
}

function paidCalls(entries: readonly LedgerEntry[]): number {
  return entries.filter((e) => PAID_ROUTES.includes(e.route)).length;
}

/**
 * Runs the CLI and SIGKILLs it the moment `shouldKill` first holds (checked on each stdout line
 * and every 10 ms); resolves with the time of the kill, or null when the run ended first.
 */
function runUntilKilled(
  args: string[],
  env: NodeJS.ProcessEnv,
  shouldKill: (stdoutLines: number) => boolean,
): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = cliCommand(args);
    const child = spawn(command, commandArgs, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let lines = 0;
    let killedAt: number | null = null;
    const check = () => {
      if (killedAt === null && child.exitCode === null && shouldKill(lines)) {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      lines += chunk.toString().split('\n').length - 1;
      check();
    });
    // The sim runs in this process: its ledger grows between stdout lines too.
    const timer = setInterval(check, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (killedAt === null) console.log(`[not killed] exit ${code}: ${stderr.slice(0, 2000)}`);
      resolve(killedAt);
    });
  });
}

const KILL_POINTS: { name: string; when: (sim: AzureSim, lines: number) => boolean }[] = [
  { name: 'after discovery', when: (_sim, lines) => lines >= 5 },
  {
    name: 'mid-extraction with Document Intelligence operations in flight',
    when: (sim) => sim.ledger.entries().filter((e) => e.route === 'documentIntelligence.analyze').length >= 6,
  },
  {
    // The first embeddings request is the start-up dimension probe; the next ones carry chunks.
    name: 'mid-embedding',
    when: (sim) => sim.ledger.entries().filter((e) => e.route === 'openai.embeddings').length >= 3,
  },
  { name: 'mid-index-upload', when: (sim) => sim.ledger.entries().some((e) => e.route === 'search.index') },
];

describe('quarry ingest against Azure survives SIGKILL at any point without paying twice', () => {
  let sim: AzureSim;
  let root: string;
  let corpus: CorpusFile[];
  let cleanRunPaidCalls = 0;
  let cleanRunPerFileCalls = 0;

  beforeAll(async () => {
    sim = await startAzureSim({ profile: 'realistic', inFlightGraceMs: 250, seed: 5 });
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-resume-azure-'));
    corpus = await makeCorpus(path.join(root, 'docs'), 32);
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('a clean run, for comparison', async () => {
    sim.reset();
    const run = await runCli(
      ['ingest', path.join(root, 'docs'), '--json', '--data-dir', path.join(root, 'clean')],
      {
        env: sim.env(),
      },
    );
    expect(JobSummary.parse(parseNdjson(run.stdout).at(-1)).indexed).toBe(corpus.length);
    cleanRunPaidCalls = paidCalls(sim.ledger.entries());
    cleanRunPerFileCalls = perFileCalls(sim.ledger.entries());
    expect(cleanRunPaidCalls).toBeGreaterThan(0);
  }, 180_000);

  for (const point of KILL_POINTS) {
    it(`killed ${point.name}: the rerun completes the index, each chunk once`, async () => {
      sim.reset();
      const dataDir = path.join(root, point.name.replace(/\W+/g, '-'));
      const args = ['ingest', path.join(root, 'docs'), '--json', '--data-dir', dataDir];
      const killedAt = await runUntilKilled(args, sim.env(), (lines) => point.when(sim, lines));
      expect(killedAt, 'the kill point was reached before the run ended').not.toBeNull();

      const rerun = await runCli(args, { env: sim.env() });
      // Requests sent before the kill may be answered (and logged) after it: count them by arrival.
      const beforeKill = sim.ledger.entries().filter((e) => e.receivedAtMs <= (killedAt ?? 0));
      const paidBeforeKill = paidCalls(beforeKill);
      const perFileBeforeKill = perFileCalls(beforeKill);
      const lines = parseNdjson(rerun.stdout);
      expect(lines[0]).toMatchObject({ type: 'resumed' });
      const summary = JobSummary.parse(lines.at(-1));
      expect(summary.failures).toEqual([]);
      expect(summary.indexed + summary.skipped).toBe(corpus.length);
      const paidTotal = paidCalls(sim.ledger.entries());
      console.log(
        `[resume ${point.name}] paid calls: ${paidBeforeKill} before the kill + ${paidTotal - paidBeforeKill} on resume = ${paidTotal} (clean run: ${cleanRunPaidCalls})`,
      );

      // Every file's chunks are in the index once, all from its current bytes, numbered 0..n-1.
      const documents = sim.ledger.documents('quarry') ?? [];
      for (const file of corpus) {
        const chunks = documents.filter((d) => d.sourcePath === file.path);
        expect(chunks.length, file.path).toBeGreaterThan(0);
        expect(chunks.every((d) => d.contentHash === file.sha256)).toBe(true);
        const indexes = chunks.map((d) => Number(d.chunkIndex)).sort((a, b) => a - b);
        expect(indexes).toEqual(indexes.map((_, i) => i));
      }
      // Document Intelligence analyzed each file at most once more than once (no faults injected here).
      const analyzeCalls = new Map<string, number>();
      for (const entry of sim.ledger.entries()) {
        const sha = entry.route === 'documentIntelligence.analyze' ? entry.notes?.bodySha256 : undefined;
        if (typeof sha === 'string') analyzeCalls.set(sha, (analyzeCalls.get(sha) ?? 0) + 1);
      }
      for (const file of corpus.filter((f) => f.viaDocumentIntelligence)) {
        expect(analyzeCalls.get(file.sha256) ?? 0, file.path).toBeGreaterThanOrEqual(1);
        expect(analyzeCalls.get(file.sha256) ?? 0, file.path).toBeLessThanOrEqual(2);
      }
      expect(sim.ledger.violations()).toEqual([]);
      // Resuming pays again at most for the per-file analyses the kill cut off (Document
      // Intelligence operations already accepted are polled, not bought again; a Vision call cut
      // off mid-flight is lost), never for what had finished. Embedding request counts vary with
      // timing; their inputs come from the cache.
      expect(perFileCalls(sim.ledger.entries())).toBeLessThanOrEqual(
        cleanRunPerFileCalls + perFileBeforeKill,
      );
      const journalText = await readFile(path.join(dataDir, 'settings.json'), 'utf8').catch(() => '');
      expect(journalText).not.toContain('sim-');
    }, 240_000);
  }
});
