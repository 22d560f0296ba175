import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureServiceKey, PublicSettings } from '../../electron/contract';
import type { AzureSettingsSource } from '../../electron/engine/providers/azure/azure-config';
import { testAzureConnection } from '../../electron/engine/providers/azure/connection-test';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { publicSettings } from '../unit/renderer-fakes';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

function source(
  azure: Partial<PublicSettings['azure']>,
  keys: Partial<Record<AzureServiceKey, string>>,
): AzureSettingsSource {
  const settings: PublicSettings = { ...publicSettings, azure: { ...publicSettings.azure, ...azure } };
  return {
    publicSettings: async () => settings,
    key: async (name) => keys[name] ?? null,
  };
}

describe('Test connection against the Azure simulator', () => {
  let sim: AzureSim;
  let good: AzureSettingsSource;

  beforeAll(async () => {
    sim = await startAzureSim({ profile: 'instant', seed: 3 });
    good = source(
      {
        openaiEndpoint: sim.endpoints.openai,
        embeddingDeployment: 'text-embedding-3-small',
        documentIntelligenceEndpoint: sim.endpoints.documentIntelligence,
        visionEndpoint: sim.endpoints.vision,
        searchEndpoint: sim.endpoints.search,
        searchIndex: 'quarry',
      },
      sim.keys,
    );
  });

  afterAll(async () => {
    await sim?.close();
  });

  it.each(['openai', 'documentIntelligence', 'vision', 'search'] as const)(
    '%s: ok with the right settings, with a latency and what was checked',
    async (service) => {
      const result = await testAzureConnection(service, good);
      expect(result).toMatchObject({ service, ok: true, error: null });
      expect(result.latencyInMs).toBeGreaterThanOrEqual(0);
      expect(result.message.length).toBeGreaterThan(5);
    },
  );

  it('reports exactly one request per test', async () => {
    sim.ledger.clear();
    await testAzureConnection('documentIntelligence', good);
    await testAzureConnection('search', good);
    const routes = sim.ledger.entries().map((entry) => `${entry.method} ${entry.path}`);
    expect(routes).toEqual(['GET /documentintelligence/documentModels/prebuilt-layout', 'GET /indexes']);
  });

  it.each([
    ['openai', 'unauthorized', /401/],
    ['documentIntelligence', 'unauthorized', /401/],
    ['vision', 'unauthorized', /401/],
    ['search', 'forbidden', /403/],
  ] as const)('%s: a wrong key is auth (%s)', async (service, reason, status) => {
    const settings = await good.publicSettings();
    const result = await testAzureConnection(
      service,
      source(settings.azure, { ...sim.keys, [service]: 'wrong-key' }),
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'auth', reason });
    expect(result.error?.message).toMatch(status);
    expect(result.error?.message).not.toContain('wrong-key');
  });

  it.each(['openai', 'documentIntelligence', 'vision', 'search'] as const)(
    '%s: a wrong port is network',
    async (service) => {
      const port = await closedPort();
      const settings = await good.publicSettings();
      const field = {
        openai: 'openaiEndpoint',
        documentIntelligence: 'documentIntelligenceEndpoint',
        vision: 'visionEndpoint',
        search: 'searchEndpoint',
      } as const;
      const result = await testAzureConnection(
        service,
        source({ ...settings.azure, [field[service]]: `http://127.0.0.1:${port}` }, sim.keys),
      );
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('network');
    },
  );

  it('a missing deployment is invalid_input naming it', async () => {
    const settings = await good.publicSettings();
    const result = await testAzureConnection(
      'openai',
      source({ ...settings.azure, embeddingDeployment: 'no-such-deployment' }, sim.keys),
    );
    expect(result.error).toMatchObject({ code: 'invalid_input', reason: 'not_found' });
    expect(result.error?.message).toContain('no-such-deployment');
  });

  it('an unfilled service says what to enter, without a request', async () => {
    sim.ledger.clear();
    const result = await testAzureConnection('vision', source({}, {}));
    expect(result).toMatchObject({ ok: false, latencyInMs: null, error: { code: 'invalid_input' } });
    expect(sim.ledger.entries()).toHaveLength(0);
  });

  it('an index that does not exist yet is still a working connection', async () => {
    const settings = await good.publicSettings();
    const result = await testAzureConnection(
      'search',
      source({ ...settings.azure, searchIndex: 'later' }, sim.keys),
    );
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/"later" does not exist yet/);
  });
});
