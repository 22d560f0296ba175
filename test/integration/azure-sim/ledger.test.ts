/** The ledger: per-request records, Retry-After violations per service, stored documents. */
import { AzureKeyCredential, SearchClient } from '@azure/search-documents';
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { createIndexRaw } from './helpers/hotels';

describe('ledger', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim();
  });
  beforeEach(() => {
    sim.setScenario({ rules: [] });
    sim.reset();
  });
  afterAll(async () => {
    await sim.close();
  });

  const embeddingsUrl = () =>
    `${sim.baseUrl}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`;
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('records every request with time, service, route, status, sizes and request id', async () => {
    const body = JSON.stringify({ input: 'ledger entry' });
    const response = await fetch(embeddingsUrl(), {
      method: 'POST',
      headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    await fetch(`${sim.baseUrl}/nothing-here`).then((r) => r.arrayBuffer());
    const [entry, unknown] = sim.ledger.entries();
    expect(entry).toMatchObject({
      seq: 1,
      service: 'openai',
      route: 'openai.embeddings',
      method: 'POST',
      status: 200,
      outcome: 'responded',
      requestBytes: Buffer.byteLength(body),
      responseBytes: Buffer.byteLength(text),
      requestId: response.headers.get('apim-request-id'),
      retryAfterViolation: false,
    });
    expect(entry?.finishedAtMs).toBeGreaterThanOrEqual(entry?.receivedAtMs ?? Infinity);
    expect(entry?.notes).toMatchObject({ tokens: 2, inputs: 1 });
    expect(unknown).toMatchObject({ service: 'unknown', route: 'unknown', status: 404 });
  });

  it('counts a request that arrives before the advertised Retry-After as a violation of that service', async () => {
    sim.setScenario({
      rules: [
        { route: 'openai.embeddings', fault: 'throttle', retryAfter: 'ms', retryAfterMs: 400, times: 1 },
      ],
    });
    expect((await post(embeddingsUrl(), { input: 'a' })).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 60)); // past the in-flight grace
    expect((await post(embeddingsUrl(), { input: 'b' })).status).toBe(200);
    const violations = sim.ledger.violations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ service: 'openai', route: 'openai.embeddings' });
    expect(violations[0]?.earlyByMs).toBeGreaterThan(0);
    // Sent after the client read the 429 and waited 60 ms (clocks differ by a little, hence 50).
    expect(violations[0]?.afterThrottleReplyMs).toBeGreaterThanOrEqual(50);
    expect(violations[0]?.afterThrottleReplyMs).toBeLessThan(400);
    expect(sim.ledger.violationCounts()).toEqual({
      openai: 1,
      documentIntelligence: 0,
      vision: 0,
      search: 0,
    });
    expect(sim.ledger.entries()[1]?.retryAfterViolation).toBe(true);
  });

  it('no violation when the client honours the wait (the real openai client)', async () => {
    sim.setScenario({
      rules: [
        { route: 'openai.embeddings', fault: 'throttle', retryAfter: 'ms', retryAfterMs: 200, times: 1 },
      ],
    });
    const client = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: 'text-embedding-3-small',
      maxRetries: 1,
    });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'patient' });
    expect(sim.ledger.entries().map((e) => e.status)).toEqual([429, 200]);
    expect(sim.ledger.violationCounts().openai).toBe(0);
  });

  it('exposes the stored index documents, vectors included', async () => {
    await createIndexRaw(sim.baseUrl, sim.keys.search, {
      name: 'ledger-docs',
      fields: [
        { name: 'id', type: 'Edm.String', key: true },
        { name: 'content', type: 'Edm.String', searchable: true },
        {
          name: 'v',
          type: 'Collection(Edm.Single)',
          dimensions: 2,
          vectorSearchProfile: 'p',
          retrievable: false,
        },
      ],
      vectorSearch: {
        algorithms: [{ name: 'a', kind: 'exhaustiveKnn' }],
        profiles: [{ name: 'p', algorithm: 'a' }],
      },
    });
    const client = new SearchClient<{ id: string; content: string; v: number[] }>(
      sim.endpoints.search,
      'ledger-docs',
      new AzureKeyCredential(sim.keys.search),
      { allowInsecureConnection: true },
    );
    await client.uploadDocuments([{ id: 'a', content: 'alpha', v: [1, 0] }]);
    expect(sim.ledger.indexNames()).toEqual(['ledger-docs']);
    expect(sim.ledger.documents('ledger-docs')).toEqual([{ id: 'a', content: 'alpha', v: [1, 0] }]);
    expect(sim.ledger.documents('missing')).toBeUndefined();
    sim.reset();
    expect(sim.ledger.indexNames()).toEqual([]);
    expect(sim.ledger.entries()).toEqual([]);
  });
});
