import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EstimateIngestOutput, JobSummary } from '../../electron/contract';
import { type AzureSim, startAzureSim } from '../azure-sim';
import { makePdf, makeTextImage } from '../azure-sim/content/fixtures';
import { parseNdjson, runCli } from '../helpers/run-cli';

/** A 3-page PDF (2 text pages, 1 scan), a photo and a text file. */
async function makeFolder(root: string): Promise<string> {
  const dir = path.join(root, 'docs');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'annual.pdf'),
    await makePdf([
      { kind: 'text', heading: 'Annual figures', paragraphs: ['Revenue grew by eleven percent this year.'] },
      { kind: 'text', paragraphs: ['The board approved the budget for the coming year.'] },
      { kind: 'scan', lines: ['A scanned appendix page'] },
    ]),
  );
  await writeFile(path.join(dir, 'photo.png'), makeTextImage({ lines: ['Whiteboard sketch'] }));
  await writeFile(path.join(dir, 'notes.txt'), 'Notes from the planning meeting about the new warehouse.\n');
  return dir;
}

function parseEstimate(stdout: string): EstimateIngestOutput {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return EstimateIngestOutput.parse(JSON.parse(lines[0] ?? ''));
}

/** Only the local backend: no Azure variable from the outer environment may switch it. */
const localEnv: NodeJS.ProcessEnv = {
  QUARRY_EMBEDDING_DOWNLOAD: 'off',
  AZURE_OPENAI_ENDPOINT: '',
  AZURE_SEARCH_ENDPOINT: '',
  AZURE_DOCUMENTINTELLIGENCE_ENDPOINT: '',
  AZURE_VISION_ENDPOINT: '',
};

describe('quarry ingest --estimate on the local backend', () => {
  let root: string;
  let docs: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-estimate-local-'));
    docs = await makeFolder(root);
  });

  it('counts pages and tokens, costs nothing, and counts files indexed since as unchanged', async () => {
    const dataDir = path.join(root, 'data');
    const first = await runCli(['ingest', docs, '--estimate', '--json', '--data-dir', dataDir], {
      env: localEnv,
    });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const estimate = parseEstimate(first.stdout);
    expect(estimate.backend).toBe('local');
    expect(estimate.files).toBe(3);
    expect(estimate.unchanged).toBe(0);
    expect(estimate.byRoute.local.files).toBe(3);
    expect(estimate.byRoute.local.pages).toBe(4); // 3 PDF pages + the image as 1 page
    expect(estimate.byRoute.documentIntelligence.files).toBe(0);
    expect(estimate.tokens).toBeGreaterThan(20);
    expect(estimate.cost.total).toBe(0);

    const ingest = await runCli(['ingest', docs, '--json', '--data-dir', dataDir], { env: localEnv });
    const summary = JobSummary.parse(parseNdjson(ingest.stdout).at(-1));
    expect(summary.indexed).toBeGreaterThanOrEqual(2); // the PDF and the text file at least
    const again = parseEstimate(
      (await runCli(['ingest', docs, '--estimate', '--json', '--data-dir', dataDir], { env: localEnv }))
        .stdout,
    );
    expect(again.files).toBe(3);
    expect(again.unchanged).toBe(summary.indexed);
    expect(again.byRoute.local.files).toBe(3 - summary.indexed);
  }, 180_000);

  it('prints a table for people and exits 2 for a missing path', async () => {
    const dataDir = path.join(root, 'data-table');
    const table = await runCli(['ingest', docs, '--estimate', '--data-dir', dataDir], { env: localEnv });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Estimate \(local backend\): 3 files/);
    expect(table.stdout).toMatch(/Estimated cost: \$0\.00/);
    expect(table.stdout).toMatch(/approximate/i);
    const missing = await runCli(['ingest', path.join(root, 'nope'), '--estimate', '--data-dir', dataDir], {
      env: localEnv,
    });
    expect(missing.code).toBe(2);
  }, 60_000);
});

const PAID_PREFIXES = ['documentIntelligence', 'vision', 'openai'];

describe('quarry ingest --estimate on the Azure backend (simulator)', () => {
  let sim: AzureSim;
  let root: string;
  let docs: string;
  beforeAll(async () => {
    sim = await startAzureSim();
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-estimate-azure-'));
    docs = await makeFolder(root);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('routes and counts pages like an ingest would, prices them, and sends no request at all', async () => {
    const result = await runCli(
      ['ingest', docs, '--estimate', '--json', '--data-dir', path.join(root, 'data')],
      {
        env: {
          ...sim.env(),
          QUARRY_PRICE_DI_PER_1000_PAGES: '12.5',
          QUARRY_PRICE_VISION_PER_1000_IMAGES: '2',
          QUARRY_PRICE_EMBEDDING_PER_1M_TOKENS: '0.1',
        },
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const estimate = parseEstimate(result.stdout);
    expect(estimate.backend).toBe('azure');
    expect(estimate.files).toBe(3);
    expect(estimate.byRoute.documentIntelligence).toEqual({ files: 1, pages: 3 });
    expect(estimate.byRoute.vision).toEqual({ files: 1 });
    expect(estimate.byRoute.local.files).toBe(1);
    expect(estimate.prices).toEqual({
      currency: 'USD',
      documentIntelligencePer1000Pages: 12.5,
      visionPer1000Images: 2,
      embeddingsPer1MTokens: 0.1,
    });
    expect(estimate.cost.documentIntelligence).toBeCloseTo((3 * 12.5) / 1000, 4);
    expect(estimate.cost.vision).toBeCloseTo(2 / 1000, 4);
    expect(estimate.cost.embeddings).toBeCloseTo((estimate.tokens * 0.1) / 1_000_000, 4);
    expect(estimate.cost.total).toBeCloseTo(
      estimate.cost.documentIntelligence + estimate.cost.vision + estimate.cost.embeddings,
      4,
    );
    const entries = sim.ledger.entries();
    expect(entries.filter((entry) => PAID_PREFIXES.some((prefix) => entry.route.startsWith(prefix)))).toEqual(
      [],
    );
    // Nothing at all: not even index setup.
    expect(entries).toEqual([]);
  }, 60_000);
});
