import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_QUOTAS } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import { quotasFromSettings } from '../../electron/engine/providers/azure/azure-quotas';

const blank = { requestsPerSecond: null, tokensPerMinute: null, maxConcurrency: null };

describe('quotasFromSettings', () => {
  it('sizes each limiter from the Settings view and keeps the defaults for blank fields', () => {
    const quotas = quotasFromSettings({
      openai: { requestsPerSecond: 5, tokensPerMinute: 120_000, maxConcurrency: null },
      documentIntelligence: { requestsPerSecond: 1, tokensPerMinute: null, maxConcurrency: 2 },
      vision: blank,
      search: { requestsPerSecond: null, tokensPerMinute: null, maxConcurrency: 3 },
    });
    expect(quotas.embeddings).toEqual({
      requestsPerSecond: 5,
      tokensPerMinute: 120_000,
      maxConcurrency: DEFAULT_SERVICE_QUOTAS.embeddings.maxConcurrency,
    });
    expect(quotas['documentIntelligence.analyze']).toEqual({ requestsPerSecond: 1, maxConcurrency: 2 });
    expect(quotas.vision).toEqual(DEFAULT_SERVICE_QUOTAS.vision);
    expect(quotas['search.index']?.maxConcurrency).toBe(3);
    expect(quotas['search.query']?.maxConcurrency).toBe(3);
    // Result polls are not billed and keep their own quota.
    expect(quotas['documentIntelligence.poll']).toBeUndefined();
  });
});
