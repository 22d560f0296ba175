import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentIntelligenceExtractor } from '../../electron/engine/providers/azure/document-intelligence-extractor';
import {
  FileOperationStore,
  operationKey,
} from '../../electron/engine/providers/azure/document-intelligence-operation-store';
import { type AzureSim, startAzureSim } from '../azure-sim';
import { makePdf } from '../azure-sim/content/fixtures';
import {
  documentIntelligenceConfig,
  type TempFolder,
  tempFolder,
  testLimiters,
} from '../helpers/azure-providers';

describe('Document Intelligence: an operation a stopped run left behind is polled, not bought again', () => {
  let sim: AzureSim;
  let folder: TempFolder;

  beforeAll(async () => {
    sim = await startAzureSim({ profile: 'instant' });
    folder = await tempFolder('quarry-di-resume');
  });

  afterAll(async () => {
    await folder?.remove();
    await sim?.close();
  });

  it('reuses a remembered operation, and analyzes anew when the service no longer knows it', async () => {
    const config = documentIntelligenceConfig(sim);
    const bytes = await makePdf([
      { kind: 'text', paragraphs: ['The remembered operation holds the pelvantor clause.'] },
    ]);
    const file = await folder.write('remembered.pdf', bytes);
    const store = new FileOperationStore(path.join(folder.dir, 'ops'));
    const limiters = testLimiters();
    try {
      // A previous run got as far as the 202: the operation is paid for and remembered.
      const response = await fetch(
        `${config.endpoint}/documentintelligence/documentModels/prebuilt-layout:analyze?api-version=${config.apiVersion}&outputContentFormat=markdown&stringIndexType=utf16CodeUnit`,
        {
          method: 'POST',
          headers: {
            'Ocp-Apim-Subscription-Key': config.auth.kind === 'key' ? config.auth.key : '',
            'content-type': 'application/pdf',
          },
          body: Buffer.from(bytes),
        },
      );
      expect(response.status).toBe(202);
      const key = operationKey(bytes, config.modelId, config.apiVersion, undefined);
      await store.put(key, response.headers.get('operation-location') ?? '');
      sim.ledger.clear();

      const extractor = createDocumentIntelligenceExtractor({
        config,
        limiters: {
          analyze: limiters.get('documentIntelligence.analyze'),
          poll: limiters.get('documentIntelligence.poll'),
        },
        pollIntervalInMs: 50,
        operationStore: store,
      });
      const document = await extractor.extract(file);
      expect(JSON.stringify(document)).toContain('pelvantor');
      const routes = sim.ledger.entries().map((e) => e.route);
      expect(routes.filter((r) => r === 'documentIntelligence.analyze')).toHaveLength(0);
      expect(routes.filter((r) => r === 'documentIntelligence.poll').length).toBeGreaterThan(0);
      expect(await store.get(key)).toBeNull();

      // An operation the service forgot (results expire after 24 h): analyze again, once.
      await store.put(
        key,
        `${config.endpoint}/documentintelligence/documentModels/prebuilt-layout/analyzeResults/00000000-0000-0000-0000-000000000000?api-version=${config.apiVersion}`,
      );
      sim.ledger.clear();
      const again = await extractor.extract(file);
      expect(JSON.stringify(again)).toContain('pelvantor');
      expect(sim.ledger.entries().filter((e) => e.route === 'documentIntelligence.analyze')).toHaveLength(1);
    } finally {
      limiters.dispose();
    }
  });
});
