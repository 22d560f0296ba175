import type { PublicSettings } from '../../electron/contract';

const noLimits = { requestsPerSecond: null, tokensPerMinute: null, maxConcurrency: null };

/** Settings as a fresh local install reports them (for fake engines and fake renderer APIs). */
export function publicSettingsFixture(dataDir = '/tmp/quarry-fake'): PublicSettings {
  return {
    backend: 'local',
    dataDir,
    concurrency: 4,
    ocrLanguages: ['eng'],
    secretStorage: { kind: 'memory', persistent: false, detail: 'Keys are kept in memory only.' },
    azure: {
      openaiEndpoint: '',
      embeddingDeployment: '',
      chatDeployment: '',
      documentIntelligenceEndpoint: '',
      visionEndpoint: '',
      searchEndpoint: '',
      searchIndex: '',
      apiVersions: { openai: '', documentIntelligence: '', vision: '', search: '' },
      limits: { openai: noLimits, documentIntelligence: noLimits, vision: noLimits, search: noLimits },
      keysSet: { openai: false, documentIntelligence: false, vision: false, search: false },
    },
  };
}
