/**
 * The Azure OpenAI embedder against the simulator, over real HTTP with the real `openai` client:
 * cross-file batching, every throttle header variant, quota exhaustion, the on-disk cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AzureOpenAI } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract/errors';
import {
  createServiceLimiters,
  type LimiterRegistry,
} from '../../electron/engine/pipeline/scheduler/limiter-registry';
import type { OpenAiConfig } from '../../electron/engine/providers/azure/azure-config';
import type { AzureOpenAiEmbedder } from '../../electron/engine/providers/azure/openai-embedder';
import {
  type AzureEmbedderSetup,
  createAzureOpenAiEmbedder,
} from '../../electron/engine/providers/azure/openai-embedder-setup';
import { type AzureSim, startAzureSim } from '../azure-sim/index';

const DEPLOYMENT = 'text-embedding-3-small';
const DIMENSIONS = 256;

/** Deterministic prose: `count` distinct texts of 40-120 words. */
function makeTexts(count: number, seed: number): string[] {
  const words = [
    'quarry',
    'granite',
    'invoice',
    'contract',
    'river',
    'lantern',
    'harvest',
    'meridian',
    'copper',
    'signal',
    'archive',
    'ledger',
    'orchard',
    'delta',
    'summit',
    'beacon',
    'harbor',
    'canvas',
    'timber',
    'falcon',
    'glacier',
    'pepper',
    'velvet',
    'mosaic',
    'tundra',
    'cobalt',
    'saffron',
    'quartz',
    'nebula',
    'willow',
  ];
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, (_, i) => {
    const length = 40 + Math.floor(next() * 80);
    const body = Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ');
    return `Document ${seed}-${i}. ${body}.`;
  });
}

function split<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

describe('Azure OpenAI embedder against the simulator', () => {
  let sim: AzureSim;
  let root: string;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    // The sim runs in this process: while it computes one answer, requests our client already
    // put on the wire wait unparsed, so their arrival stamp lags. 250 ms of grace tells those
    // in-flight requests from ones sent after a throttle reply (the limiter's own pause
    // semantics are pinned down with fake timers in test/unit/service-limiter.test.ts).
    sim = await startAzureSim({ seed: 11, inFlightGraceMs: 250 });
    root = await mkdtemp(path.join(os.tmpdir(), 'quarry-embedder-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    sim.setScenario({ rules: [] });
    sim.reset();
  });
  afterAll(async () => {
    await sim.close();
    await rm(root, { recursive: true, force: true });
  });

  const config = (overrides: Partial<OpenAiConfig> = {}): OpenAiConfig => ({
    endpoint: sim.endpoints.openai,
    auth: { kind: 'key', key: sim.keys.openai },
    apiVersion: '2024-10-21',
    embeddingDeployment: DEPLOYMENT,
    chatDeployment: null,
    embeddingDimensions: DIMENSIONS,
    ...overrides,
  });

  let dirCount = 0;
  const freshDataDir = (): string => {
    dirCount += 1;
    return path.join(root, `data-${dirCount}`);
  };

  async function embedder(
    options: {
      dataDir?: string;
      registry?: LimiterRegistry;
      tuning?: AzureEmbedderSetup['tuning'];
      config?: Partial<OpenAiConfig>;
      timeoutInMs?: number;
      /** Called as each HTTP request leaves the client. */
      onSend?: () => void;
    } = {},
  ): Promise<{ embedder: AzureOpenAiEmbedder; registry: LimiterRegistry }> {
    // The instant sim allows 100M TPM; the default quota (350K TPM) would pace these tests for seconds.
    const registry =
      options.registry ??
      createServiceLimiters(
        { embeddings: { requestsPerSecond: 100, tokensPerMinute: 50_000_000, maxConcurrency: 8 } },
        { maxWaitInMs: 10_000, throttleBaseDelayInMs: 300, retryBaseDelayInMs: 100 },
      );
    const created = await createAzureOpenAiEmbedder({
      config: config(options.config),
      limiter: registry.get('embeddings'),
      dataDir: options.dataDir ?? freshDataDir(),
      ...(options.tuning ? { tuning: options.tuning } : {}),
      ...(options.timeoutInMs ? { timeoutInMs: options.timeoutInMs } : {}),
      ...(options.onSend ? { client: instrumentedClient(options.onSend) } : {}),
    });
    cleanups.push(async () => {
      await created.close();
      registry.dispose();
    });
    return { embedder: created, registry };
  }

  /** The client the setup would build, reporting each request as it leaves. */
  const instrumentedClient = (onSend: () => void): AzureOpenAI =>
    new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: DEPLOYMENT,
      maxRetries: 0,
      fetch: (url, init) => {
        onSend();
        return fetch(url, init);
      },
    });

  const embeddingRequests = () => sim.ledger.entries().filter((e) => e.route === 'openai.embeddings');

  it('packs 1,000 texts from 50 concurrent callers into a few large requests, each caller getting its own vectors in order', async () => {
    const { embedder: e } = await embedder();
    const texts = makeTexts(1000, 1);
    const callers = split(texts, 50);
    const results = await Promise.all(callers.map((batch) => e.embed(batch)));

    const requests = embeddingRequests();
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(requests.every((r) => r.status === 200)).toBe(true);
    expect(e.stats.requests).toBe(requests.length);
    expect(e.stats.meanInputsPerRequest).toBeGreaterThanOrEqual(1000 / 3);
    results.forEach((vectors, i) => {
      expect(vectors).toHaveLength(callers[i]?.length ?? -1);
      for (const vector of vectors) expect(vector).toHaveLength(DIMENSIONS);
    });

    // Routing: compare a few vectors with what the service gives for that text alone.
    const direct = new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: DEPLOYMENT,
      maxRetries: 0,
    });
    for (const [caller, position] of [
      [0, 0],
      [17, 5],
      [49, 19],
    ] as const) {
      const text = callers[caller]?.[position] ?? '';
      const response = await direct.embeddings.create({
        model: DEPLOYMENT,
        input: [text],
        dimensions: DIMENSIONS,
      });
      const expected = response.data[0]?.embedding ?? [];
      const actual = results[caller]?.[position] ?? [];
      expect(actual).toHaveLength(expected.length);
      actual.forEach((value, k) => {
        expect(value).toBeCloseTo(expected[k] ?? Number.NaN, 6);
      });
    }
    console.log(
      `[embedder] 1000 texts / 50 callers: ${requests.length} requests, mean ${e.stats.meanInputsPerRequest.toFixed(1)} inputs per request, ${e.stats.tokens} tokens`,
    );
  });

  it('keeps requests within the token budget and the input limit', async () => {
    const { embedder: e } = await embedder({
      tuning: { maxTokensPerRequest: 20_000, maxInputsPerRequest: 300 },
    });
    const texts = makeTexts(1000, 2);
    await Promise.all(split(texts, 50).map((batch) => e.embed(batch)));
    const requests = embeddingRequests();
    for (const request of requests) {
      const tokens = Number(request.notes?.tokens);
      expect(tokens).toBeGreaterThan(0);
      expect(tokens).toBeLessThanOrEqual(20_000);
      expect(Number(request.notes?.inputs)).toBeLessThanOrEqual(300);
    }
    expect(e.stats.largestRequest).toBeLessThanOrEqual(300);
    expect(e.stats.inputs).toBe(1000);
    expect(requests.length).toBe(e.stats.requests);
  });

  it('survives 429s with every Retry-After variant and 503s: everything embedded, zero Retry-After violations', async () => {
    const sends: number[] = [];
    const { embedder: e, registry } = await embedder({
      tuning: { maxInputsPerRequest: 40 },
      onSend: () => sends.push(Date.now()),
    });
    // When the client learned of each pause, and until when it lasts.
    const pauses: Array<{ learnedAt: number; until: number }> = [];
    const stopWatching = registry.onStateChange((snapshot) => {
      if (snapshot.resumeAt !== null) pauses.push({ learnedAt: Date.now(), until: snapshot.resumeAt });
    });
    cleanups.push(stopWatching);
    // Warm up (sockets, tokenizer) so the first wave is not stamped late by one-off setup work.
    await e.embed(['warm up']);
    sim.setScenario({
      rules: [
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: 'seconds',
          retryAfterMs: 1000,
          times: 1,
        },
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: 'httpDate',
          retryAfterMs: 800,
          times: 1,
          after: 1,
        },
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: 'ms',
          retryAfterMs: 600,
          times: 1,
          after: 2,
        },
        {
          route: 'openai.embeddings',
          fault: 'throttle',
          retryAfter: 'xMsMs',
          retryAfterMs: 700,
          times: 1,
          after: 3,
        },
        { route: 'openai.embeddings', fault: 'throttle', retryAfter: 'none', times: 1, after: 4 },
        {
          route: 'openai.embeddings',
          fault: 'unavailable',
          retryAfter: 'seconds',
          retryAfterMs: 500,
          times: 1,
          after: 5,
        },
        { route: 'openai.embeddings', fault: 'unavailable', times: 1, after: 6 },
        { route: 'openai.embeddings', fault: 'internalError', times: 1, after: 7 },
        { route: 'openai.embeddings', fault: 'connectionReset', times: 1, after: 8 },
      ],
    });
    sim.ledger.clear();
    const texts = makeTexts(1000, 3);
    const started = Date.now();
    const results = await Promise.all(split(texts, 50).map((batch) => e.embed(batch)));
    const elapsedMs = Date.now() - started;

    expect(results.flat()).toHaveLength(1000);
    expect(results.flat().every((v) => v.length === DIMENSIONS)).toBe(true);
    expect(sim.faultCounts()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(sim.ledger.violations()).toEqual([]);
    expect(sim.ledger.violationCounts().openai).toBe(0);
    // The client's own view, free of the sim's arrival stamping: nothing left while it knew of a pause.
    expect(pauses.length).toBeGreaterThanOrEqual(5);
    const sentDuringPause = sends.filter((at) => pauses.some((p) => at >= p.learnedAt && at < p.until));
    expect(sentDuringPause).toEqual([]);
    const requests = embeddingRequests();
    const throttles = requests.filter((r) => r.status === 429 || r.status === 503);
    expect(throttles).toHaveLength(7);
    expect(registry.get('embeddings').snapshot().throttled).toBe(7);
    console.log(
      `[embedder] faults: ${requests.length} requests (${throttles.length} throttled), mean ${e.stats.meanInputsPerRequest.toFixed(1)} inputs per request, 0 violations, ${elapsedMs} ms`,
    );
  });

  it('fails with quota_exhausted quickly when the quota is used up, without hammering the service', async () => {
    sim.setScenario({ rules: [{ route: 'openai.embeddings', fault: 'quotaExhausted' }] });
    const { embedder: e, registry } = await embedder({ tuning: { maxInputsPerRequest: 100 } });
    const texts = makeTexts(600, 4);
    const started = Date.now();
    const outcomes = await Promise.allSettled(split(texts, 30).map((batch) => e.embed(batch)));
    const elapsedMs = Date.now() - started;

    expect(elapsedMs).toBeLessThan(5_000);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status !== 'rejected') continue;
      expect(outcome.reason).toBeInstanceOf(QuarryError);
      expect((outcome.reason as QuarryError).code).toBe('quota_exhausted');
      expect((outcome.reason as QuarryError).message).toMatch(/Raise the quota/);
    }
    // The first answer said "come back tomorrow": only the first wave already in flight
    // (at most maxConcurrency requests) reached the service; nothing was sent after it.
    const requests = embeddingRequests();
    expect(requests.length).toBeLessThanOrEqual(8);
    expect(requests.every((r) => r.status === 429)).toBe(true);
    expect(sim.ledger.violationCounts().openai).toBe(0);
    expect(registry.get('embeddings').snapshot().state).toBe('unavailable');
  });

  it('makes zero requests when rerun over unchanged text (the on-disk cache), with identical vectors', async () => {
    const dataDir = freshDataDir();
    const texts = makeTexts(500, 5);
    const first = await embedder({ dataDir });
    const firstVectors = await Promise.all(split(texts, 25).map((batch) => first.embedder.embed(batch)));
    await first.embedder.close();
    expect(embeddingRequests().length).toBeGreaterThan(0);

    sim.ledger.clear();
    const second = await embedder({ dataDir });
    const secondVectors = await Promise.all(split(texts, 25).map((batch) => second.embedder.embed(batch)));
    expect(embeddingRequests()).toHaveLength(0);
    expect(second.embedder.stats.cacheHits).toBe(500);
    expect(second.embedder.stats.requests).toBe(0);
    expect(secondVectors).toEqual(firstVectors);
  });

  it('sends a text shared by many callers once', async () => {
    const { embedder: e } = await embedder();
    const shared = 'The same boilerplate footer appears in every file.';
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => e.embed([`unique text number ${i}`, shared])),
    );
    expect(e.stats.inputs).toBe(21);
    expect(new Set(results.map((r) => JSON.stringify(r[1]))).size).toBe(1);
  });

  it('a caller that aborts gets cancelled; the others in its batch still get their vectors', async () => {
    const { embedder: e } = await embedder({ tuning: { lingerInMs: 50 } });
    const controller = new AbortController();
    const leaving = e.embed(makeTexts(10, 6), { abortSignal: controller.signal });
    const staying = e.embed(makeTexts(10, 7));
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'cancelled' });
    const vectors = await staying;
    expect(vectors).toHaveLength(10);
    expect(embeddingRequests()).toHaveLength(1);
  });

  it('truncates an input over the per-input token limit instead of failing the batch', async () => {
    const { embedder: e } = await embedder();
    const huge = Array.from({ length: 9_000 }, (_, i) => `w${i}`).join(' ');
    const [vector, other] = await e.embed([huge, 'a short text']);
    expect(vector).toHaveLength(DIMENSIONS);
    expect(other).toHaveLength(DIMENSIONS);
    expect(e.stats.truncatedInputs).toBe(1);
    expect(embeddingRequests().every((r) => r.status === 200)).toBe(true);
  });

  it('a stalled response times out and is retried', async () => {
    sim.setScenario({ rules: [{ route: 'openai.embeddings', fault: 'stall', times: 1 }] });
    const { embedder: e } = await embedder({ timeoutInMs: 500 });
    const vectors = await e.embed(makeTexts(5, 8));
    expect(vectors).toHaveLength(5);
    expect(sim.faultCounts()).toEqual([1]);
  });

  it('an unknown deployment is invalid_input naming the deployment', async () => {
    const { embedder: e } = await embedder({ config: { embeddingDeployment: 'no-such-deployment' } });
    const error = await e.embed(['hello']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuarryError);
    expect((error as QuarryError).code).toBe('invalid_input');
    expect((error as QuarryError).message).toContain("deployment 'no-such-deployment' not found");
    expect((error as QuarryError).requestId).toBeTruthy();
  });

  it('a wrong key is auth naming the variable to check', async () => {
    const { embedder: e } = await embedder({ config: { auth: { kind: 'key', key: 'wrong' } } });
    const error = await e.embed(['hello']).catch((caught: unknown) => caught);
    expect((error as QuarryError).code).toBe('auth');
    expect((error as QuarryError).message).toContain('AZURE_OPENAI_API_KEY');
  });

  it('learns the vector size with one probe when the settings do not say, and caches the probe', async () => {
    const dataDir = freshDataDir();
    const registry = createServiceLimiters();
    cleanups.push(() => registry.dispose());
    const setup = {
      config: config({ embeddingDeployment: 'text-embedding-3-large', embeddingDimensions: null }),
      limiter: registry.get('embeddings'),
      dataDir,
    };
    const first = await createAzureOpenAiEmbedder(setup);
    expect(first.dimensions).toBe(3072);
    const [vector] = await first.embed(['probe me']);
    expect(vector).toHaveLength(3072);
    await first.close();
    sim.ledger.clear();
    const second = await createAzureOpenAiEmbedder(setup);
    expect(second.dimensions).toBe(3072);
    expect(embeddingRequests()).toHaveLength(0);
    await second.close();
  });
});
