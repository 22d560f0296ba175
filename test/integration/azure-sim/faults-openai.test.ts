/** Every request-level fault class, as the real `openai` client receives it from the sim. */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  AzureOpenAI,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, type FaultRule, startAzureSim } from '../../azure-sim/index';

const EMBEDDINGS = 'text-embedding-3-small';

describe('faults seen through the openai client', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim({ seed: 7 });
  });
  afterEach(() => {
    sim.setScenario({ rules: [] });
    sim.reset();
  });
  afterAll(async () => {
    await sim.close();
  });

  const client = (options: { maxRetries?: number; timeout?: number; deployment?: string } = {}) =>
    new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment: options.deployment ?? EMBEDDINGS,
      maxRetries: options.maxRetries ?? 0,
      ...(options.timeout ? { timeout: options.timeout } : {}),
    });
  const embed = (c: AzureOpenAI) => c.embeddings.create({ model: EMBEDDINGS, input: 'fault injection' });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  const once = (rule: Omit<FaultRule, 'route' | 'times'>) =>
    sim.setScenario({ rules: [{ route: 'openai.embeddings', times: 1, ...rule }] });

  it('throttle with Retry-After seconds: RateLimitError carrying the header and the RateLimitReached body', async () => {
    once({ fault: 'throttle', retryAfter: 'seconds', retryAfterMs: 2000 });
    const error = await failure(embed(client()));
    expect(error).toBeInstanceOf(RateLimitError);
    const e = error as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('2');
    expect(e.headers?.get('retry-after-ms')).toBeNull();
    expect(e.code).toBe('RateLimitReached');
    expect(e.message).toContain('Please retry after 2 seconds');
    expect(e.headers?.get('apim-request-id')).toBeTruthy();
  });

  it('throttle with an HTTP-date Retry-After: the client waits until that date, no violation', async () => {
    once({ fault: 'throttle', retryAfter: 'httpDate', retryAfterMs: 500 });
    const result = await embed(client({ maxRetries: 1 }));
    expect(result.data).toHaveLength(1);
    const [first, second] = sim.ledger.entries();
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect(second && first && second.receivedAtMs - first.finishedAtMs).toBeGreaterThanOrEqual(400);
    expect(sim.ledger.violationCounts().openai).toBe(0);
  });

  it('throttle with retry-after-ms: the client waits that long and retries', async () => {
    once({ fault: 'throttle', retryAfter: 'ms', retryAfterMs: 300 });
    await embed(client({ maxRetries: 1 }));
    const [first, second] = sim.ledger.entries();
    expect(first?.retryAfterMs).toBe(300);
    expect(second && first && second.receivedAtMs - first.finishedAtMs).toBeGreaterThanOrEqual(290);
    expect(sim.ledger.violationCounts().openai).toBe(0);
  });

  it('throttle with x-ms-retry-after-ms only: the header reaches the client', async () => {
    once({ fault: 'throttle', retryAfter: 'xMsMs', retryAfterMs: 250 });
    const e = (await failure(embed(client()))) as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.headers?.get('x-ms-retry-after-ms')).toBe('250');
    expect(e.headers?.get('retry-after')).toBeNull();
  });

  it('throttle without any retry hint', async () => {
    once({ fault: 'throttle', retryAfter: 'none' });
    const e = (await failure(embed(client()))) as RateLimitError;
    expect(e.status).toBe(429);
    for (const name of ['retry-after', 'retry-after-ms', 'x-ms-retry-after-ms'])
      expect(e.headers?.get(name)).toBeNull();
  });

  it('quota exhausted: 429 asking for a day', async () => {
    once({ fault: 'quotaExhausted' });
    const e = (await failure(embed(client()))) as RateLimitError;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('86400');
    expect(e.headers?.get('retry-after-ms')).toBe('86400000');
    expect(e.message).toContain('Please retry after 86400 seconds');
  });

  it('503 without and with Retry-After', async () => {
    once({ fault: 'unavailable' });
    const plain = (await failure(embed(client()))) as APIError;
    expect(plain).toBeInstanceOf(InternalServerError);
    expect(plain.status).toBe(503);
    expect(plain.headers?.get('retry-after')).toBeNull();

    once({ fault: 'unavailable', retryAfter: 'seconds', retryAfterMs: 3000 });
    const hinted = (await failure(embed(client()))) as APIError;
    expect(hinted.status).toBe(503);
    expect(hinted.headers?.get('retry-after')).toBe('3');
  });

  it('500 internal error, retried by the client when allowed', async () => {
    once({ fault: 'internalError' });
    const e = (await failure(embed(client()))) as APIError;
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.status).toBe(500);
    once({ fault: 'internalError' });
    await expect(embed(client({ maxRetries: 1 }))).resolves.toBeDefined();
  });

  it('connection reset: APIConnectionError, ledger outcome reset', async () => {
    once({ fault: 'connectionReset' });
    const e = await failure(embed(client()));
    expect(e).toBeInstanceOf(APIConnectionError);
    expect(sim.ledger.entries()[0]?.outcome).toBe('reset');
  });

  it('stalled response: the client times out; a bounded stall only delays the answer', async () => {
    once({ fault: 'stall' });
    const e = await failure(embed(client({ timeout: 300 })));
    expect(e).toBeInstanceOf(APIConnectionTimeoutError);
    await expect.poll(() => sim.ledger.entries()[0]?.outcome).toBe('stalled');

    sim.ledger.clear();
    once({ fault: 'stall', stallMs: 300 });
    const started = Date.now();
    await embed(client());
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.ledger.entries()[0]?.fault).toBe('stall');
  });

  it('truncated SSE stream: the client sees the connection drop before [DONE]', async () => {
    sim.setScenario({ rules: [{ route: 'openai.chat', fault: 'truncateStream', afterChunks: 3, times: 1 }] });
    const chat = client({ deployment: 'gpt-4o-mini' });
    const stream = await chat.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        {
          role: 'user',
          content: '[1] Truncation cuts streams short. Clients must notice it.\n\nWhat cuts streams?',
        },
      ],
    });
    let text = '';
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(consume()).rejects.toThrow();
    expect(text).toBe('Truncation');
    await expect.poll(() => sim.ledger.entries()[0]?.outcome).toBe('truncated');
  });

  it('truncated SSE stream that ends cleanly: no [DONE], partial text', async () => {
    sim.setScenario({
      rules: [{ route: 'openai.chat', fault: 'truncateStream', afterChunks: 3, ending: 'end', times: 1 }],
    });
    const response = await fetch(
      `${sim.baseUrl}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
        body: JSON.stringify({
          stream: true,
          messages: [{ role: 'user', content: '[1] Alpha beta gamma.\n\nalpha?' }],
        }),
      },
    );
    const body = await response.text();
    expect(body.match(/^data: /gm)).toHaveLength(3);
    expect(body).not.toContain('[DONE]');
  });
});
