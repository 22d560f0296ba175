/**
 * Document Intelligence faults as the real client and its poller meet them: an operation that
 * ends `failed`, one that never finishes (abortable), and 429s on analyze and on polls, from
 * scenario rules and from the S0-style quota buckets.
 */

import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import DocumentIntelligence, {
  type AnalyzeOperationOutput,
  type DocumentIntelligenceClient,
  getLongRunningPoller,
  isUnexpected,
} from '@azure-rest/ai-document-intelligence';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeNumberedPdf } from '../../azure-sim/content/fixtures';
import { instantProfile } from '../../azure-sim/core/profiles';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function clientWithCapture(sim: AzureSim): { client: DocumentIntelligenceClient; seen: Seen[] } {
  const client = DocumentIntelligence(
    sim.endpoints.documentIntelligence,
    { key: sim.keys.documentIntelligence },
    { allowInsecureConnection: true },
  );
  const seen: Seen[] = [];
  const policy: PipelinePolicy = {
    name: 'capture',
    async sendRequest(request, next) {
      const response = await next(request);
      seen.push({
        status: response.status,
        headers: response.headers.toJSON(),
        body: response.bodyAsText ?? '',
      });
      return response;
    },
  };
  // Per retry: every attempt, including the ones the retry policy repeats, is captured.
  client.pipeline.addPolicy(policy, { phase: 'Retry' });
  return { client, seen };
}

/** Posts a one-page PDF; the poller comes back wrapped because it is itself awaitable. */
async function startAnalyze(client: DocumentIntelligenceClient) {
  const initial = await client
    .path('/documentModels/{modelId}:analyze', 'prebuilt-read')
    .post({ contentType: 'application/pdf', body: await makeNumberedPdf(1) });
  if (isUnexpected(initial)) throw new Error(`analyze refused with ${initial.status}`);
  return { poller: getLongRunningPoller(client, initial) };
}

describe('Document Intelligence LRO and throttling faults', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim();
  });
  afterEach(() => {
    sim.setScenario({ rules: [] });
    sim.reset();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('an operation that ends failed reaches the poller as the service sends it', async () => {
    sim.setScenario({
      rules: [
        {
          route: 'documentIntelligence.analyze',
          fault: 'lroFailed',
          times: 1,
          errorCode: 'InternalServerError',
          errorMessage: 'An unexpected error occurred.',
        },
      ],
    });
    const { client, seen } = clientWithCapture(sim);
    const { poller } = await startAnalyze(client);
    await expect(poller.pollUntilDone()).rejects.toThrow(
      'The long-running operation has failed. InternalServerError. An unexpected error occurred.',
    );
    const last = JSON.parse(seen.at(-1)!.body) as AnalyzeOperationOutput;
    expect(last.status).toBe('failed');
    expect(last.error).toEqual({
      code: 'InternalServerError',
      message: 'An unexpected error occurred.',
      details: [{ code: 'InternalServerError', message: 'An unexpected error occurred.' }],
    });
    expect(last).not.toHaveProperty('analyzeResult');
    expect(seen.at(-1)!.headers).not.toHaveProperty('retry-after');
    expect(sim.faultCounts()).toEqual([1]);
  });

  it('an operation that never finishes keeps answering running and can be aborted by the client', async () => {
    sim.setScenario({
      rules: [{ route: 'documentIntelligence.analyze', fault: 'lroNeverFinishes', times: 1 }],
    });
    const { client } = clientWithCapture(sim);
    const { poller } = await startAnalyze(client);
    const started = Date.now();
    await expect(poller.pollUntilDone({ abortSignal: AbortSignal.timeout(2_500) })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    const polls = sim.ledger.entries().filter((entry) => entry.route === 'documentIntelligence.poll');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((poll) => poll.notes?.status === 'running')).toBe(true);
    // The poller waited the advertised second between polls.
    expect(sim.ledger.violations()).toEqual([]);
  });

  it('a 429 on analyze carries Retry-After; the client waits it out and the analysis succeeds', async () => {
    sim.setScenario({
      rules: [{ route: 'documentIntelligence.analyze', fault: 'throttle', times: 1, retryAfterMs: 1_000 }],
    });
    const { client, seen } = clientWithCapture(sim);
    const started = Date.now();
    const result = await (await startAnalyze(client)).poller.pollUntilDone();
    expect(isUnexpected(result)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const throttled = seen[0]!;
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(JSON.parse(throttled.body)).toEqual({
      error: { code: '429', message: 'Rate limit is exceeded. Try again in 1 seconds.' },
    });
    expect(seen[1]!.status).toBe(202);
    expect(sim.ledger.violations()).toEqual([]);
  });

  it('a 429 on a poll carries Retry-After; the poller retries and completes', async () => {
    sim.setScenario({
      rules: [{ route: 'documentIntelligence.poll', fault: 'throttle', times: 1, retryAfterMs: 1_000 }],
    });
    const { client, seen } = clientWithCapture(sim);
    const done = await (await startAnalyze(client)).poller.pollUntilDone();
    expect((done.body as AnalyzeOperationOutput).status).toBe('succeeded');
    expect(seen.map((exchange) => exchange.status)).toEqual([202, 429, 200]);
    expect(seen[1]!.headers['retry-after']).toBe('1');
    const entries = sim.ledger.entries();
    expect(entries.map((entry) => [entry.route, entry.status])).toEqual([
      ['documentIntelligence.analyze', 202],
      ['documentIntelligence.poll', 429],
      ['documentIntelligence.poll', 200],
    ]);
    expect(entries[1]!.retryAfterMs).toBe(1_000);
    expect(sim.ledger.violations()).toEqual([]);
  });
});

describe('Document Intelligence quotas (token buckets)', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    // A scaled-down S0: 2 analyze requests per second, 3 polls per second.
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        quotas: {
          'documentIntelligence.analyze': { capacity: 2, refillPerSecond: 2 },
          'documentIntelligence.poll': { capacity: 3, refillPerSecond: 3 },
        },
      },
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('throttles analyze and poll bursts over the bucket with Retry-After, and every document still completes', async () => {
    const { client } = clientWithCapture(sim);
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => (await startAnalyze(client)).poller.pollUntilDone()),
    );
    expect(results.map((done) => (done.body as AnalyzeOperationOutput).status)).toEqual(
      Array(5).fill('succeeded'),
    );
    const throttles = sim.ledger.entries().filter((entry) => entry.status === 429);
    expect(throttles.some((entry) => entry.route === 'documentIntelligence.analyze')).toBe(true);
    for (const entry of throttles) {
      expect(entry.retryAfterMs).toBeGreaterThan(0);
      expect(entry.notes?.quotaThrottle).toBe(true);
    }
    // No assertion on ledger violations here: the ledger counts a Retry-After per service (as
    // Quarry pauses a whole service), while five independent SDK pollers each wait only for themselves.
  });
});
