/**
 * The Document Intelligence extractor against the simulator, with the real
 * `@azure-rest/ai-document-intelligence` client over HTTP on 127.0.0.1: layout mapping of real
 * generated files, limits checked before any request, page ranges, the polled operation
 * (Retry-After, failures, deadline, cancellation).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import type { LimiterRegistry } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import { createDocumentIntelligenceExtractor } from '../../electron/engine/providers/azure/document-intelligence-extractor';
import type { ExtractedDocument, Extractor } from '../../electron/engine/types';
import {
  makeDocx,
  makeEncryptedPdf,
  makeNumberedPdf,
  makePdf,
  makeTextImage,
} from '../azure-sim/content/fixtures';
import { instantProfile } from '../azure-sim/core/profiles';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import {
  documentIntelligenceConfig,
  type TempFolder,
  tempFolder,
  testLimiters,
} from '../helpers/azure-providers';

function texts(document: ExtractedDocument, page: number): string[] {
  return document.pages.find((candidate) => candidate.page === page)?.blocks.map((block) => block.text) ?? [];
}

function requests(sim: AzureSim, route: string) {
  return sim.ledger.entries().filter((entry) => entry.route === route);
}

describe('Document Intelligence extractor', () => {
  let sim: AzureSim;
  let folder: TempFolder;
  let limiters: LimiterRegistry;

  beforeAll(async () => {
    sim = await startAzureSim();
    folder = await tempFolder('quarry-di');
  });

  afterAll(async () => {
    await sim.close();
    await folder.remove();
  });

  beforeEach(() => {
    sim.reset();
    limiters = testLimiters();
  });

  afterEach(() => limiters.dispose());

  function extractor(
    tier: 'S0' | 'F0' = 'S0',
    extra: { maxOperationInMs?: number; operationPerPageInMs?: number } = {},
  ): Extractor {
    return createDocumentIntelligenceExtractor({
      config: documentIntelligenceConfig(sim, tier),
      limiters: {
        analyze: limiters.get('documentIntelligence.analyze'),
        poll: limiters.get('documentIntelligence.poll'),
      },
      pollIntervalInMs: 20,
      ...extra,
    });
  }

  it('reads a PDF page by page: headings, paragraphs, tables, a scanned page, with polygons', async () => {
    const file = await folder.write(
      'report.pdf',
      await makePdf([
        {
          kind: 'text',
          heading: 'Quarterly Report',
          paragraphs: ['Revenue grew in every region.', 'Costs stayed flat.'],
        },
        {
          kind: 'text',
          heading: 'Figures',
          table: [
            ['Region', 'Revenue'],
            ['North', '120'],
            ['South', '95'],
          ],
        },
        { kind: 'scan', lines: ['Signed by the auditor', 'on the last day'] },
      ]),
    );
    const document = await extractor().extract(file);
    expect(document.mimeType).toBe('application/pdf');
    expect(document.title).toBe('Quarterly Report');
    expect(document.pages.map((page) => page.page)).toEqual([1, 2, 3]);
    expect(document.pages[0]).toMatchObject({ width: 8.5, height: 11, unit: 'inch' });
    expect(document.pages[0]?.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Quarterly Report'],
      ['paragraph', 'Revenue grew in every region.'],
      ['paragraph', 'Costs stayed flat.'],
    ]);
    const table = document.pages[1]?.blocks.find((block) => block.kind === 'table');
    expect(table?.text).toBe('Region | Revenue\nNorth | 120\nSouth | 95');
    // Cell text lives in the table only, not again as loose paragraphs.
    expect(texts(document, 2).filter((text) => text === 'North')).toEqual([]);
    expect(texts(document, 3).join('\n')).toContain('Signed by the auditor');
    for (const block of document.pages.flatMap((page) => page.blocks)) {
      expect(block.regions?.[0]?.polygon).toHaveLength(8);
    }
    expect(document.pages[0]?.blocks[0]?.regions?.[0]?.page).toBe(1);
    expect(requests(sim, 'documentIntelligence.analyze')).toHaveLength(1);
  });

  it('reads a DOCX (flowing format: no geometry) and a scanned image', async () => {
    const docx = await folder.write(
      'memo.docx',
      await makeDocx({
        title: 'Team Memo',
        sections: [{ heading: 'Schedule', paragraphs: ['We meet on Mondays.'] }],
        table: [
          ['Day', 'Room'],
          ['Monday', 'Blue'],
        ],
      }),
    );
    const memo = await extractor().extract(docx);
    expect(memo.title).toBe('Team Memo');
    const blocks = memo.pages.flatMap((page) => page.blocks);
    expect(blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Team Memo'],
      ['heading', 'Schedule'],
      ['paragraph', 'We meet on Mondays.'],
      ['table', 'Day | Room\nMonday | Blue'],
    ]);
    expect(blocks[0]?.regions).toBeUndefined();

    const scan = await folder.write(
      'receipt.png',
      makeTextImage({ lines: ['Total 42.00 EUR', 'Thank you'] }),
    );
    const receipt = await extractor().extract(scan);
    expect(receipt.pages).toHaveLength(1);
    expect(receipt.pages[0]).toMatchObject({ page: 1, unit: 'pixel', width: 800 });
    expect(receipt.pages[0]?.blocks.map((block) => block.text).join('\n')).toContain('Total 42.00 EUR');
  });

  it('refuses files over the tier limit before any request', async () => {
    const big = await folder.write(
      'big.pdf',
      Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024, 32)]),
    );
    const attempt = extractor('F0').extract(big);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input', reason: 'too_large' });
    await expect(attempt).rejects.toThrow(/5 MB; Document Intelligence \(F0\) accepts at most 4 MB/);
    const tiny = await folder.write('tiny.png', makeTextImage({ lines: ['x'], width: 40, height: 40 }));
    await expect(extractor().extract(tiny)).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'too_small',
    });
    await expect(
      extractor().extract(await folder.write('locked.pdf', makeEncryptedPdf())),
    ).rejects.toMatchObject({
      code: 'unsupported',
      reason: 'encrypted',
    });
    expect(sim.ledger.entries()).toHaveLength(0);
  });

  it('splits a PDF longer than one request may read into page ranges', async () => {
    const file = await folder.write('numbered.pdf', await makeNumberedPdf(5));
    const document = await extractor('F0').extract(file);
    expect(document.pages.map((page) => page.page)).toEqual([1, 2, 3, 4, 5]);
    expect(document.pages.map((page) => page.blocks.map((block) => block.text).join(' '))).toEqual([
      'Page 1',
      'Page 2',
      'Page 3',
      'Page 4',
      'Page 5',
    ]);
    const analyses = requests(sim, 'documentIntelligence.analyze');
    expect(analyses.map((entry) => entry.notes?.pages).sort()).toEqual([1, 2, 2]);
  });

  it('fails the file with the service message when the operation ends failed', async () => {
    sim.setScenario({
      rules: [
        {
          route: 'documentIntelligence.analyze',
          fault: 'lroFailed',
          errorCode: 'InvalidContent',
          errorMessage: 'The file is corrupted or format is unsupported.',
          times: 1,
        },
      ],
    });
    const file = await folder.write('broken.pdf', await makeNumberedPdf(1));
    const attempt = extractor().extract(file);
    await expect(attempt).rejects.toBeInstanceOf(QuarryError);
    await expect(attempt).rejects.toMatchObject({
      code: 'service',
      reason: 'analysis_failed',
      retryable: false,
    });
    await expect(attempt).rejects.toThrow(
      /could not analyse broken\.pdf: InvalidContent: The file is corrupted/,
    );
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught as QuarryError,
    );
    expect(error?.requestId).toBe(requests(sim, 'documentIntelligence.analyze')[0]?.requestId);
  });

  it('gives up on an operation that never finishes, and stops polling when cancelled', async () => {
    sim.setScenario({ rules: [{ route: 'documentIntelligence.analyze', fault: 'lroNeverFinishes' }] });
    const file = await folder.write('stuck.pdf', await makeNumberedPdf(1));
    await expect(
      extractor('S0', { maxOperationInMs: 1_500, operationPerPageInMs: 0 }).extract(file),
    ).rejects.toMatchObject({
      code: 'service',
      reason: 'analysis_timeout',
    });

    const controller = new AbortController();
    const started = Date.now();
    const attempt = extractor().extract(file, { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_500);
    const pollsAtCancel = requests(sim, 'documentIntelligence.poll').length;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(requests(sim, 'documentIntelligence.poll')).toHaveLength(pollsAtCancel);
  });
});

describe('Document Intelligence polling', () => {
  let sim: AzureSim;
  let folder: TempFolder;
  let limiters: LimiterRegistry;

  beforeAll(async () => {
    // Analyses take 2.5 s, so there are several "running" polls, each answered with Retry-After: 1.
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        latency: { 'documentIntelligence.analyze': { baseMs: 2_500, perUnitMs: 0, jitterRatio: 0 } },
      },
    });
    folder = await tempFolder('quarry-di-poll');
    limiters = testLimiters();
  });

  afterAll(async () => {
    limiters.dispose();
    await sim.close();
    await folder.remove();
  });

  it('waits at least what Retry-After asks between polls, and through a throttled poll', async () => {
    sim.setScenario({
      rules: [
        {
          route: 'documentIntelligence.poll',
          fault: 'throttle',
          retryAfter: 'seconds',
          retryAfterMs: 1_000,
          after: 1,
          times: 1,
        },
      ],
    });
    const extractor = createDocumentIntelligenceExtractor({
      config: documentIntelligenceConfig(sim),
      limiters: {
        analyze: limiters.get('documentIntelligence.analyze'),
        poll: limiters.get('documentIntelligence.poll'),
      },
      pollIntervalInMs: 20,
    });
    const files = await Promise.all(
      [1, 2, 3].map(async (n) => folder.write(`doc-${n}.pdf`, await makeNumberedPdf(1))),
    );
    const documents = await Promise.all(files.map((file) => extractor.extract(file)));
    expect(documents.map((document) => document.pages[0]?.blocks[0]?.text)).toEqual([
      'Page 1',
      'Page 1',
      'Page 1',
    ]);

    const polls = requests(sim, 'documentIntelligence.poll');
    expect(polls.some((poll) => poll.status === 429)).toBe(true);
    // Per operation: every poll after a "running" answer came at least 1 s later.
    const byOperation = new Map<string, number[]>();
    for (const poll of polls) {
      const operation = poll.path.split('/').pop() ?? '';
      byOperation.set(operation, [...(byOperation.get(operation) ?? []), poll.receivedAtMs]);
    }
    expect(byOperation.size).toBe(3);
    for (const times of byOperation.values()) {
      expect(times.length).toBeGreaterThanOrEqual(2);
      for (let index = 1; index < times.length; index += 1) {
        expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(990);
      }
    }
    expect(sim.ledger.violations()).toEqual([]);
  });
});
