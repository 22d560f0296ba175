/** Fault classes as the real @azure/search-documents client (core-rest-pipeline) receives them. */
import { AzureKeyCredential, SearchClient } from '@azure/search-documents';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureSim, type FaultRule, startAzureSim } from '../../azure-sim/index';
import { captureResponses } from './helpers/capture';
import { createIndexRaw } from './helpers/hotels';

interface Doc {
  id: string;
  content?: string;
}

describe('faults seen through the Azure Search client', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim({ seed: 11 });
    await createIndexRaw(sim.baseUrl, sim.keys.search, {
      name: 'faults',
      fields: [
        { name: 'id', type: 'Edm.String', key: true },
        { name: 'content', type: 'Edm.String', searchable: true },
      ],
    });
  });
  beforeEach(() => {
    sim.setScenario({ rules: [] });
    sim.ledger.clear();
  });
  afterAll(async () => {
    await sim.close();
  });

  const client = (maxRetries = 3) => {
    const capture = captureResponses();
    const search = new SearchClient<Doc>(
      sim.endpoints.search,
      'faults',
      new AzureKeyCredential(sim.keys.search),
      {
        allowInsecureConnection: true,
        retryOptions: { maxRetries, retryDelayInMs: 20, maxRetryDelayInMs: 100 },
        additionalPolicies: capture.policies,
      },
    );
    return { search, capture };
  };
  const once = (route: string, rule: Omit<FaultRule, 'route' | 'times'>) =>
    sim.setScenario({ rules: [{ route, times: 1, ...rule }] });
  const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

  it('429 with Retry-After seconds: the client waits and succeeds', async () => {
    once('search.query', { fault: 'throttle', retryAfter: 'seconds', retryAfterMs: 1000 });
    const { search, capture } = client();
    expect(await search.getDocumentsCount()).toBe(0);
    expect(capture.responses.map((r) => r.status)).toEqual([429, 200]);
    expect(capture.responses[0]?.headers['retry-after']).toBe('1');
    const [first, second] = sim.ledger.entries();
    expect(second && first && second.receivedAtMs - first.finishedAtMs).toBeGreaterThanOrEqual(950);
    expect(sim.ledger.violationCounts().search).toBe(0);
  });

  it('429 with x-ms-retry-after-ms: honoured by Azure clients', async () => {
    once('search.query', { fault: 'throttle', retryAfter: 'xMsMs', retryAfterMs: 200 });
    const { search, capture } = client();
    await search.getDocumentsCount();
    expect(capture.responses[0]?.headers['x-ms-retry-after-ms']).toBe('200');
    const [first, second] = sim.ledger.entries();
    expect(second && first && second.receivedAtMs - first.finishedAtMs).toBeGreaterThanOrEqual(190);
  });

  it('429 without a retry hint: Azure clients do not retry, the RestError carries 429', async () => {
    once('search.query', { fault: 'throttle', retryAfter: 'none' });
    const { search } = client();
    const error = await search.getDocumentsCount().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(error)).toBe(429);
    expect(sim.ledger.entries()).toHaveLength(1);
  });

  it('quota exhausted: 429 with a one-day Retry-After', async () => {
    once('search.query', { fault: 'quotaExhausted' });
    const { search, capture } = client(0);
    const error = await search.getDocumentsCount().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(statusOf(error)).toBe(429);
    expect(capture.last().headers['retry-after']).toBe('86400');
  });

  it('503 without Retry-After is retried with backoff; with one, after the hint', async () => {
    once('search.query', { fault: 'unavailable' });
    const { search, capture } = client();
    await search.getDocumentsCount();
    expect(capture.responses.map((r) => r.status)).toEqual([503, 200]);
    expect(capture.responses[0]?.headers['retry-after']).toBeUndefined();
    expect(JSON.parse(capture.responses[0]?.bodyText ?? '{}').error.message).toContain(
      'not enough resources',
    );

    once('search.query', { fault: 'unavailable', retryAfter: 'seconds', retryAfterMs: 1000 });
    const second = client();
    await second.search.getDocumentsCount();
    expect(second.capture.responses[0]?.headers['retry-after']).toBe('1');
  });

  it('500 and connection resets are retried by the pipeline', async () => {
    once('search.query', { fault: 'internalError' });
    const { search, capture } = client();
    await search.getDocumentsCount();
    expect(capture.responses.map((r) => r.status)).toEqual([500, 200]);

    once('search.query', { fault: 'connectionReset' });
    await client().search.getDocumentsCount();
    expect(sim.ledger.entries().map((e) => e.outcome)).toContain('reset');
  });

  it('stalled response: an aborted call ends with AbortError and the ledger shows the stall', async () => {
    once('search.query', { fault: 'stall' });
    const { search } = client(0);
    const error = await search.getDocumentsCount({ abortSignal: AbortSignal.timeout(300) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('AbortError');
    await expect.poll(() => sim.ledger.entries()[0]?.outcome).toBe('stalled');
  });

  it('item-level 503s inside a 207: the client returns per-item results without throwing', async () => {
    sim.setScenario({ rules: [{ route: 'search.index', fault: 'itemErrors', itemFraction: 0.5, times: 1 }] });
    const { search, capture } = client();
    const docs = Array.from({ length: 10 }, (_, i) => ({ id: `d${i}`, content: `document ${i}` }));
    const result = await search.uploadDocuments(docs);
    expect(capture.last().status).toBe(207);
    const failed = result.results.filter((r) => !r.succeeded);
    expect(failed).toHaveLength(5);
    for (const item of failed) {
      expect(item.statusCode).toBe(503);
      expect(item.errorMessage).toContain('not enough resources');
    }
    // Only the successful items were stored; retrying the failed ones completes the batch.
    expect(sim.ledger.documents('faults')).toHaveLength(5);
    const retry = await search.uploadDocuments(docs.filter((d) => failed.some((f) => f.key === d.id)));
    expect(retry.results.every((r) => r.succeeded)).toBe(true);
    expect(sim.ledger.documents('faults')).toHaveLength(10);
  });
});
