import { describe, expect, it } from 'vitest';
import type { PublicSettings } from '../../electron/contract';
import { azureClientOptions, isLoopbackHttp } from '../../electron/engine/providers/azure/azure-clients';
import {
  type AzureSettingsSource,
  resolveAzureConfig,
} from '../../electron/engine/providers/azure/azure-config';
import { publicSettingsFixture } from '../helpers/public-settings';

type Azure = PublicSettings['azure'];
type Keys = Partial<Record<keyof Azure['keysSet'], string>>;

function source(azure: Partial<Omit<Azure, 'keysSet'>>, keys: Keys = {}): AzureSettingsSource {
  const fixture = publicSettingsFixture('/data');
  const settings: PublicSettings = {
    ...fixture,
    backend: 'azure',
    azure: {
      ...fixture.azure,
      ...azure,
      keysSet: {
        openai: Boolean(keys.openai),
        documentIntelligence: Boolean(keys.documentIntelligence),
        vision: Boolean(keys.vision),
        search: Boolean(keys.search),
      },
    },
  };
  return { publicSettings: async () => settings, key: async (name) => keys[name] ?? null };
}

const minimal = {
  openaiEndpoint: 'https://contoso.openai.azure.com/',
  embeddingDeployment: 'text-embedding-3-large',
  searchEndpoint: 'https://contoso.search.windows.net',
  searchIndex: 'docs',
};
const allKeys: Keys = { openai: 'k1', search: 'k2', documentIntelligence: 'k3', vision: 'k4' };

describe('resolveAzureConfig', () => {
  it('resolves the required services with defaults; optional ones are null when unset', async () => {
    const config = await resolveAzureConfig(source(minimal, allKeys), {});
    expect(config.openai).toEqual({
      endpoint: 'https://contoso.openai.azure.com',
      auth: { kind: 'key', key: 'k1' },
      apiVersion: '2024-10-21',
      embeddingDeployment: 'text-embedding-3-large',
      chatDeployment: null,
      embeddingDimensions: 3072,
    });
    expect(config.search).toEqual({
      endpoint: 'https://contoso.search.windows.net',
      auth: { kind: 'key', key: 'k2' },
      apiVersion: '2025-09-01',
      indexName: 'docs',
    });
    expect(config.documentIntelligence).toBeNull();
    expect(config.vision).toBeNull();
  });

  it('names the missing setting and the environment variable that sets it', async () => {
    await expect(resolveAzureConfig(source({}), {})).rejects.toThrow(
      'The Azure OpenAI endpoint is not set: set AZURE_OPENAI_ENDPOINT or fill in "Azure OpenAI endpoint" in Settings.',
    );
    await expect(resolveAzureConfig(source({ ...minimal, embeddingDeployment: '' }), {})).rejects.toThrow(
      /AZURE_OPENAI_EMBEDDING_DEPLOYMENT/,
    );
    await expect(resolveAzureConfig(source({ ...minimal, searchEndpoint: '' }), {})).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'missing_setting',
      message: expect.stringContaining('AZURE_SEARCH_ENDPOINT'),
    });
    await expect(resolveAzureConfig(source({ ...minimal, searchIndex: '' }), {})).rejects.toThrow(
      /AZURE_SEARCH_INDEX/,
    );
    await expect(
      resolveAzureConfig(source({ ...minimal, searchIndex: 'My_Index' }), {}),
    ).rejects.toMatchObject({
      reason: 'invalid_setting',
    });
  });

  it('allows http only on loopback, and only with a key there', async () => {
    await expect(
      resolveAzureConfig(source({ ...minimal, searchEndpoint: 'http://search.example.com' }, allKeys), {}),
    ).rejects.toMatchObject({
      reason: 'insecure_endpoint',
      message: expect.stringContaining('AZURE_SEARCH_ENDPOINT'),
    });
    const local = { ...minimal, searchEndpoint: 'http://127.0.0.1:4321' };
    expect((await resolveAzureConfig(source(local, allKeys), {})).search.endpoint).toBe(
      'http://127.0.0.1:4321',
    );
    await expect(resolveAzureConfig(source(local, { openai: 'k1' }), {})).rejects.toThrow(
      /AZURE_SEARCH_API_KEY/,
    );
  });

  it('uses Microsoft Entra ID for an https service without a key', async () => {
    const config = await resolveAzureConfig(
      source({ ...minimal, visionEndpoint: 'https://contoso.cognitiveservices.azure.com' }, { search: 'k2' }),
      {},
    );
    expect(config.openai.auth).toEqual({ kind: 'entra' });
    expect(config.vision?.auth).toEqual({ kind: 'entra' });
    expect(config.search.auth).toEqual({ kind: 'key', key: 'k2' });
  });

  it('reads dimensions, tier, chat deployment and api-versions', async () => {
    const custom = {
      ...minimal,
      embeddingDeployment: 'my-embedder',
      documentIntelligenceEndpoint: 'https://di.example.com',
    };
    expect((await resolveAzureConfig(source(custom, allKeys), {})).openai.embeddingDimensions).toBeNull();
    const config = await resolveAzureConfig(
      source(
        {
          ...custom,
          chatDeployment: 'gpt-4o',
          apiVersions: { openai: '', documentIntelligence: '2024-07-31-preview', vision: '', search: '' },
        },
        allKeys,
      ),
      {
        AZURE_OPENAI_EMBEDDING_DIMENSIONS: '256',
        AZURE_DOCUMENTINTELLIGENCE_TIER: 'f0',
        AZURE_SEARCH_API_VERSION: '2024-07-01',
      },
    );
    expect(config.openai).toMatchObject({ embeddingDimensions: 256, chatDeployment: 'gpt-4o' });
    expect(config.documentIntelligence).toMatchObject({
      apiVersion: '2024-07-31-preview',
      tier: 'F0',
      limits: { maxDocumentBytes: 4 * 1024 * 1024, maxPagesPerRequest: 2 },
    });
    expect(config.search.apiVersion).toBe('2024-07-01');
    await expect(
      resolveAzureConfig(source(custom, allKeys), { AZURE_OPENAI_EMBEDDING_DIMENSIONS: '5000' }),
    ).rejects.toThrow(/AZURE_OPENAI_EMBEDDING_DIMENSIONS must be a whole number between 1 and 4096/);
    await expect(
      resolveAzureConfig(source(custom, allKeys), { AZURE_DOCUMENTINTELLIGENCE_TIER: 'S9' }),
    ).rejects.toThrow(/S0 or F0/);
  });
});

describe('azureClientOptions', () => {
  it('turns SDK retries off and allows plain http for loopback only', () => {
    const options = azureClientOptions('http://127.0.0.1:8080');
    expect(options).toEqual({
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
      // Every response reports its status and request id to the service log.
      additionalPolicies: [
        { policy: expect.objectContaining({ name: 'quarryResponseObserver' }), position: 'perRetry' },
      ],
    });
    expect(azureClientOptions('https://x.search.windows.net').allowInsecureConnection).toBe(false);
    expect(isLoopbackHttp('http://localhost:1')).toBe(true);
    expect(isLoopbackHttp('http://10.0.0.1')).toBe(false);
  });
});
