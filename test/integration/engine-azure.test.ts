import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../electron/contract';
import { type Engine, openEngine } from '../../electron/engine/engine';
import { type AzureSim, startAzureSim } from '../azure-sim';
import { makeDocx, makePdf, makeTextImage } from '../azure-sim/content/fixtures';
import { createWordMaker } from '../fixtures/generate';

interface Expectation {
  path: string;
  phrase: string;
  page: number | null;
}

/** A folder of PDFs (text and scanned pages), DOCX, images and text, each with a findable phrase. */
async function makeCorpus(dir: string, count: number): Promise<Expectation[]> {
  const word = createWordMaker(4242);
  const phrase = () => `${word()} ${word()} ${word()}`;
  const expectations: Expectation[] = [];
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const kind = i % 5;
    if (kind === 0) {
      const [p1, p2] = [phrase(), phrase()];
      const file = path.join(dir, `report-${i}.pdf`);
      await writeFile(
        file,
        await makePdf([
          {
            kind: 'text',
            heading: 'Quarterly report',
            paragraphs: [`The first page mentions ${p1} in passing.`],
          },
          { kind: 'text', paragraphs: [`The second page explains ${p2} in detail.`] },
        ]),
      );
      expectations.push({ path: file, phrase: p1, page: 1 }, { path: file, phrase: p2, page: 2 });
    } else if (kind === 1) {
      const p = phrase();
      const file = path.join(dir, `scan-${i}.pdf`);
      await writeFile(file, await makePdf([{ kind: 'scan', lines: [`Scanned memo about ${p}.`] }]));
      expectations.push({ path: file, phrase: p, page: 1 });
    } else if (kind === 2) {
      const p = phrase();
      const file = path.join(dir, `photo-${i}.png`);
      await writeFile(file, makeTextImage({ lines: [`Whiteboard: ${p}`] }));
      // An image is one page on the Azure path (as Document Intelligence reports it), so its
      // text regions can be highlighted on it.
      expectations.push({ path: file, phrase: p, page: 1 });
    } else if (kind === 3) {
      const p = phrase();
      const file = path.join(dir, `memo-${i}.docx`);
      await writeFile(
        file,
        await makeDocx({ sections: [{ paragraphs: [`This memo concerns ${p} and nothing else.`] }] }),
      );
      expectations.push({ path: file, phrase: p, page: 1 });
    } else {
      const p = phrase();
      const file = path.join(dir, `notes-${i}.txt`);
      await writeFile(file, `Plain notes about ${p}.\n`);
      expectations.push({ path: file, phrase: p, page: null });
    }
  }
  return expectations;
}

function paidRequests(sim: AzureSim): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of sim.ledger.entries()) {
    if (entry.route.startsWith('search.')) continue;
    counts[entry.route] = (counts[entry.route] ?? 0) + 1;
  }
  return counts;
}

describe('engine, Azure backend against the simulator', () => {
  let sim: AzureSim;
  let engine: Engine;
  let root: string;
  let expectations: Expectation[];
  const events: EngineEvent[] = [];

  beforeAll(async () => {
    // The sim shares this process's event loop, so it stamps arrivals late; requests the client
    // sent before a 429 existed must not count as violations (see test/azure-sim/README.md).
    sim = await startAzureSim({ profile: 'instant', inFlightGraceMs: 250 });
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-azure-'));
    expectations = await makeCorpus(path.join(root, 'docs'), 25);
    engine = await openEngine({
      dataDir: path.join(root, 'data'),
      env: sim.env(),
      eventFlushIntervalInMs: 20,
    });
    engine.onEvent((event) => events.push(event));
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await sim?.close();
  });

  it('ingests every file through the right service and finds each phrase on its page', async () => {
    const { done } = await engine.ingest([{ kind: 'path', path: path.join(root, 'docs') }]);
    const summary = await done;
    expect(summary.failures).toEqual([]);
    expect(summary.indexed).toBe(25);
    const routes = paidRequests(sim);
    expect(routes['documentIntelligence.analyze']).toBe(15); // 5 text PDFs, 5 scans, 5 DOCX
    expect(routes['vision.analyze']).toBe(5);
    // Embeddings from files that reach that stage together share requests: fewer requests than
    // files even on the instant profile, where files finish extraction at scattered moments.
    expect(routes['openai.embeddings'] ?? 0).toBeLessThan(25);
    expect(sim.ledger.violations()).toEqual([]);

    // Hit-highlighting geometry and image descriptions reach the index.
    const documents = sim.ledger.documents('quarry') ?? [];
    const pdfChunk = documents.find((d) => String(d.sourcePath).endsWith('.pdf') && d.page === 2);
    const regions = Array.isArray(pdfChunk?.regions) ? (pdfChunk.regions as unknown[]) : [];
    expect(regions.length).toBeGreaterThan(0);
    expect(pdfChunk?.pageSize).toMatchObject({ unit: 'inch' });
    const photoChunk = documents.find((d) => String(d.sourcePath).endsWith('.png'));
    expect(typeof photoChunk?.caption).toBe('string');

    const snapshot = await engine.handlers.getSnapshot({});
    expect(snapshot.backend).toBe('azure');
    const misses: string[] = [];
    for (const expectation of expectations) {
      const { results } = await engine.handlers.search({ query: expectation.phrase, mode: 'hybrid', top: 3 });
      const top = results[0];
      if (top?.sourcePath !== expectation.path || top.page !== expectation.page) {
        misses.push(
          `${expectation.phrase}: wanted ${expectation.path}#${expectation.page}, got ${top?.sourcePath}#${top?.page}`,
        );
      }
    }
    expect(misses).toEqual([]);
    const semantic = await engine.handlers.search({
      query: expectations[1]?.phrase ?? '',
      mode: 'semantic',
      top: 3,
    });
    expect(semantic.mode).toBe('semantic');
    expect(semantic.results[0]?.sourcePath).toBe(expectations[1]?.path);
  }, 120_000);

  it('pays nothing on a rerun over unchanged files', async () => {
    sim.ledger.clear();
    const summary = await (await engine.ingest([{ kind: 'path', path: path.join(root, 'docs') }])).done;
    expect(summary.skipped).toBe(25);
    expect(paidRequests(sim)).toEqual({});
  });

  it('re-ingesting identical bytes at a new path reuses cached extraction and embeddings', async () => {
    const copy = path.join(root, 'copy');
    await mkdir(copy, { recursive: true });
    const pdf = expectations.find((e) => e.path.endsWith('.pdf'))?.path ?? '';
    const { readFile } = await import('node:fs/promises');
    await writeFile(path.join(copy, 'same.pdf'), await readFile(pdf));
    sim.ledger.clear();
    const summary = await (await engine.ingest([{ kind: 'path', path: copy }])).done;
    expect(summary.indexed).toBe(1);
    expect(paidRequests(sim)).toEqual({});
  });

  it('rides out throttling of every kind with zero Retry-After violations', async () => {
    const dir = path.join(root, 'throttled');
    await makeCorpus(dir, 15);
    sim.ledger.clear();
    sim.setScenario({
      seed: 7,
      rules: [
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: ['seconds', 'ms', 'xMsMs'],
          retryAfterMs: 300,
          times: 3,
        },
        {
          route: 'documentIntelligence.analyze',
          fault: 'throttle',
          retryAfter: ['httpDate', 'seconds'],
          retryAfterMs: 1000,
          times: 2,
        },
        {
          route: 'documentIntelligence.poll',
          fault: 'unavailable',
          retryAfter: ['seconds'],
          retryAfterMs: 1000,
          times: 2,
        },
        { route: 'vision.analyze', fault: 'throttle', retryAfter: ['none'], times: 2 },
        { route: 'search.index', fault: 'itemErrors', itemStatus: 503, itemFraction: 0.5, times: 1 },
      ],
    });
    const summary = await (await engine.ingest([{ kind: 'path', path: dir }])).done;
    sim.setScenario({ rules: [] });
    expect(summary.failures).toEqual([]);
    expect(summary.indexed).toBe(15);
    expect(sim.faultCounts().every((n) => n > 0)).toBe(true);
    expect(sim.ledger.violations()).toEqual([]);
    expect(events.some((e) => e.type === 'service.state' && e.state.state === 'throttled')).toBe(true);
  }, 120_000);

  it('fails files with quota_exhausted (quickly) when a service asks for a wait of hours', async () => {
    const dir = path.join(root, 'exhausted');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'photo.png'), makeTextImage({ lines: ['quota exhausted photo'] }));
    await writeFile(path.join(dir, 'note.txt'), 'A note that needs only embeddings and search.\n');
    sim.setScenario({ rules: [{ route: 'vision.analyze', fault: 'quotaExhausted' }] });
    const started = Date.now();
    const summary = await (await engine.ingest([{ kind: 'path', path: dir }])).done;
    sim.setScenario({ rules: [] });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(summary.indexed).toBe(1);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.code).toBe('quota_exhausted');
    expect(summary.failures[0]?.message).toMatch(/quota|later/i);
  }, 60_000);
});
