/** `quarry ask` against the simulator: streamed text, citations, --json, exit codes 0 / 1 / 2. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { runCli } from '../helpers/run-cli';

interface AskJson {
  answer: string;
  citations: { ref: number; sourcePath: string; sourceName: string; page: number | null; snippet: string }[];
  usage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated: boolean } | null;
  partial: boolean;
  error?: { code: string; reason?: string; message: string };
}

const QUESTION = 'How much is a hotel night in Paris reimbursed?';

describe('quarry ask (CLI) against the simulator', () => {
  let sim: AzureSim;
  let root: string;
  let dataDir: string;
  let policy: string;

  beforeAll(async () => {
    sim = await startAzureSim();
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-cli-ask-'));
    const docs = path.join(root, 'docs');
    await mkdir(docs);
    policy = path.join(docs, 'travel-policy.md');
    await writeFile(
      policy,
      '# Travel policy\n\nEconomy class is the default for flights under six hours.\n\n' +
        'Hotel stays are reimbursed up to 140 euros per night in most cities, and up to 190 euros in London, Paris and Zurich.\n',
    );
    await writeFile(
      path.join(docs, 'expenses.txt'),
      'Expense claims are filed within 30 days of the trip.\n',
    );
    dataDir = path.join(root, 'data');
    const ingest = await runCli(['ingest', docs, '--json', '--data-dir', dataDir], { env: sim.env() });
    expect(ingest.code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('--json prints the answer, its citations, the usage and partial:false; exit 0', async () => {
    const run = await runCli(['ask', QUESTION, '--json', '--top', '4', '--data-dir', dataDir], {
      env: sim.env(),
    });
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as AskJson;
    expect(output.answer).toContain('190 euros');
    expect(output.partial).toBe(false);
    expect(output.error).toBeUndefined();
    expect(output.citations).toHaveLength(1);
    expect(output.citations[0]).toMatchObject({ ref: 1, sourcePath: policy, page: null });
    expect(output.citations[0]?.snippet).toContain('190 euros');
    expect(output.usage).toMatchObject({ estimated: false });
    expect(output.usage?.totalTokens).toBe(
      (output.usage?.promptTokens ?? 0) + (output.usage?.completionTokens ?? 0),
    );
  }, 60_000);

  it('prints the answer, then its sources as "[1] name — path"', async () => {
    const run = await runCli(['ask', QUESTION, '--data-dir', dataDir], { env: sim.env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('190 euros in London, Paris and Zurich. [1]\n');
    expect(run.stdout).toContain(`\nSources:\n[1] travel-policy.md — ${policy}\n`);
  }, 60_000);

  it('exits 1 with partial:true when the stream breaks off, keeping the text so far', async () => {
    sim.setScenario({
      rules: [{ route: 'openai.chat', fault: 'truncateStream', afterChunks: 6, ending: 'end' }],
    });
    try {
      const run = await runCli(['ask', QUESTION, '--json', '--data-dir', dataDir], { env: sim.env() });
      expect(run.code).toBe(1);
      const output = JSON.parse(run.stdout) as AskJson;
      expect(output.partial).toBe(true);
      expect(output.answer.length).toBeGreaterThan(0);
      expect(output.error).toMatchObject({ code: 'network', reason: 'stream_truncated' });
      expect(output.usage?.estimated).toBe(true);
    } finally {
      sim.setScenario({ rules: [] });
    }
  }, 60_000);

  it('exits 2 and says how to add a chat model when none is configured', async () => {
    const { AZURE_OPENAI_CHAT_DEPLOYMENT: _chat, ...env } = sim.env();
    const run = await runCli(['ask', QUESTION, '--json', '--data-dir', dataDir], {
      env: { ...env, AZURE_OPENAI_CHAT_DEPLOYMENT: '' },
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Answers need a chat model');
    expect(run.stderr).toContain('AZURE_OPENAI_CHAT_DEPLOYMENT');
  }, 60_000);

  it('exits 2 for usage errors', async () => {
    const run = await runCli(['ask', '   ', '--data-dir', dataDir], { env: sim.env() });
    expect(run.code).toBe(2);
    const badTop = await runCli(['ask', QUESTION, '--top', '0', '--data-dir', dataDir], { env: sim.env() });
    expect(badTop.code).toBe(2);
  }, 60_000);
});
