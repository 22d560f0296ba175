/**
 * The Azure DocumentExtractor end to end against the simulator: configuration resolved from the
 * environment variables the simulator hands out, files routed by type (PDF/Office/scans ->
 * Document Intelligence, photos -> Vision, text -> local, no paid call), the ledger counting
 * what each service was asked.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LimiterRegistry } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import { type AzureConfig, resolveAzureConfig } from '../../electron/engine/providers/azure/azure-config';
import {
  type AzureExtractor,
  createAzureExtractor,
  createAzureExtractorFromConfig,
} from '../../electron/engine/providers/azure/azure-extractor';
import { createDocumentIntelligenceExtractor } from '../../electron/engine/providers/azure/document-intelligence-extractor';
import { createVisionExtractor } from '../../electron/engine/providers/azure/vision-extractor';
import { MemorySecretStore } from '../../electron/engine/settings/secret-store';
import { SettingsStore } from '../../electron/engine/settings/settings-store';
import { makeDocx, makeNumberedPdf, makeTextImage } from '../azure-sim/content/fixtures';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { type TempFolder, tempFolder, testLimiters } from '../helpers/azure-providers';

describe('Azure extractor', () => {
  let sim: AzureSim;
  let folder: TempFolder;
  let limiters: LimiterRegistry;
  let config: AzureConfig;

  beforeAll(async () => {
    sim = await startAzureSim();
    folder = await tempFolder('quarry-azure-extractor');
    // As the CLI runs: settings from the environment variables the sim hands out.
    const settings = await SettingsStore.open(folder.dir, new MemorySecretStore(), sim.env());
    config = await resolveAzureConfig(settings, sim.env());
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

  function azureExtractor(services: { documentIntelligence: boolean; vision: boolean }): AzureExtractor {
    return createAzureExtractor({
      documentIntelligence:
        services.documentIntelligence && config.documentIntelligence
          ? createDocumentIntelligenceExtractor({
              config: config.documentIntelligence,
              limiters: {
                analyze: limiters.get('documentIntelligence.analyze'),
                poll: limiters.get('documentIntelligence.poll'),
              },
              pollIntervalInMs: 20,
            })
          : null,
      vision:
        services.vision && config.vision
          ? createVisionExtractor({ config: config.vision, limiter: limiters.get('vision') })
          : null,
    });
  }

  function requestsPerRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of sim.ledger.entries()) counts[entry.route] = (counts[entry.route] ?? 0) + 1;
    return counts;
  }

  it('routes a mixed folder: documents and scans to Document Intelligence, photos to Vision, text locally', async () => {
    const files = {
      notes: await folder.write('notes.txt', 'Plain text stays on this machine.\n'),
      table: await folder.write('prices.csv', 'item,price\napple,3\n'),
      report: await folder.write('report.pdf', await makeNumberedPdf(3)),
      memo: await folder.write(
        'memo.docx',
        await makeDocx({ sections: [{ paragraphs: ['A short memo.'] }] }),
      ),
      invoice: await folder.write(
        'invoice-march.png',
        makeTextImage({ lines: ['Invoice 1042', 'Total 99.00'] }),
      ),
      a4: await folder.write(
        'IMG_0001.png',
        makeTextImage({ lines: ['Dear customer,'], width: 1240, height: 1754 }),
      ),
      photo: await folder.write(
        'holiday.jpg',
        makeTextImage({ lines: ['Beach bar open'], format: 'jpeg', width: 1200, height: 900 }),
      ),
    };
    const extractor = azureExtractor({ documentIntelligence: true, vision: true });
    const routes = Object.fromEntries(
      await Promise.all(
        Object.entries(files).map(async ([name, file]) => [name, await extractor.routeOf(file)] as const),
      ),
    );
    expect(routes).toEqual({
      notes: 'local',
      table: 'local',
      report: 'documentIntelligence',
      memo: 'documentIntelligence',
      invoice: 'documentIntelligence',
      a4: 'documentIntelligence',
      photo: 'vision',
    });
    expect(sim.ledger.entries()).toHaveLength(0);

    const documents = Object.fromEntries(
      await Promise.all(
        Object.entries(files).map(async ([name, file]) => [name, await extractor.extract(file)] as const),
      ),
    );
    expect(documents.notes?.pages[0]?.blocks[0]?.text).toBe('Plain text stays on this machine.');
    expect(documents.report?.pages.map((page) => page.blocks[0]?.text)).toEqual([
      'Page 1',
      'Page 2',
      'Page 3',
    ]);
    expect(documents.memo?.pages[0]?.blocks[0]?.text).toBe('A short memo.');
    expect(documents.invoice?.pages[0]?.blocks.map((block) => block.text).join(' ')).toContain(
      'Invoice 1042',
    );
    expect(documents.photo?.caption).toBe('an image with the text "Beach bar open"');
    const counts = requestsPerRoute();
    expect(counts['documentIntelligence.analyze']).toBe(4);
    expect(counts['vision.analyze']).toBe(1);
    expect(counts['documentIntelligence.poll']).toBeGreaterThanOrEqual(4);
    expect(Object.keys(counts).sort()).toEqual([
      'documentIntelligence.analyze',
      'documentIntelligence.poll',
      'vision.analyze',
    ]);
    expect(sim.ledger.violations()).toEqual([]);
  });

  it('reads PDFs locally and sends every image to Vision when Document Intelligence is not configured', async () => {
    const extractor = createAzureExtractorFromConfig(
      { documentIntelligence: null, vision: config.vision },
      limiters,
    );
    const report = await folder.write('local.pdf', await makeNumberedPdf(2));
    const scan = await folder.write('scan-1.png', makeTextImage({ lines: ['Scanned line'] }));
    expect(await extractor.routeOf(report)).toBe('local');
    expect(await extractor.routeOf(scan)).toBe('vision');
    const document = await extractor.extract(report);
    expect(document.pages.map((page) => page.page)).toEqual([1, 2]);
    expect(sim.ledger.entries()).toHaveLength(0);
  });

  it('resolves every service from the environment variables', () => {
    expect(config.search).toMatchObject({
      endpoint: sim.endpoints.search,
      indexName: 'quarry',
      auth: { kind: 'key' },
    });
    expect(config.openai).toMatchObject({
      embeddingDeployment: 'text-embedding-3-small',
      embeddingDimensions: 1536,
      chatDeployment: 'gpt-4o-mini',
      apiVersion: '2024-10-21',
    });
    expect(config.documentIntelligence).toMatchObject({ modelId: 'prebuilt-layout', tier: 'S0' });
    expect(config.vision?.features).toEqual(['caption', 'tags', 'read']);
  });
});
