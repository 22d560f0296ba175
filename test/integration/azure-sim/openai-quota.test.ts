/** The realistic profile's per-deployment TPM/RPM buckets, as the openai client sees them. */
import { AzureOpenAI, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';

describe('Azure OpenAI quotas (realistic profile)', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim({
      profile: 'realistic',
      openAiDeployments: [
        // 12K TPM -> 72 RPM, enforced as 12 requests per 10 s.
        {
          name: 'small-quota',
          model: 'text-embedding-3-small',
          kind: 'embeddings',
          dimensions: 1536,
          tokensPerMinute: 12_000,
        },
        {
          name: 'token-quota',
          model: 'text-embedding-3-small',
          kind: 'embeddings',
          dimensions: 1536,
          tokensPerMinute: 6_000,
        },
      ],
    });
  });
  afterAll(async () => {
    await sim.close();
  });

  const client = (deployment: string) =>
    new AzureOpenAI({
      endpoint: sim.endpoints.openai,
      apiKey: sim.keys.openai,
      apiVersion: '2024-10-21',
      deployment,
      maxRetries: 0,
    });

  it('remaining requests and tokens count down, then RPM overflow returns 429 with Retry-After and retry-after-ms', async () => {
    const c = client('small-quota');
    const remaining: number[] = [];
    let throttled: RateLimitError | undefined;
    for (let i = 0; i < 20 && !throttled; i++) {
      try {
        const { response } = await c.embeddings
          .create({ model: 'small-quota', input: `request ${i}` })
          .withResponse();
        remaining.push(Number(response.headers.get('x-ratelimit-remaining-requests')));
      } catch (error) {
        throttled = error as RateLimitError;
      }
    }
    expect(remaining.slice(0, 3)).toEqual([11, 10, 9]);
    expect(throttled).toBeInstanceOf(RateLimitError);
    expect(throttled?.code).toBe('RateLimitReached');
    const retryAfterMs = Number(throttled?.headers?.get('retry-after-ms'));
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual((1000 * 60) / 72 + 50);
    expect(Number(throttled?.headers?.get('retry-after'))).toBe(Math.ceil(retryAfterMs / 1000));
    expect(throttled?.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(sim.ledger.entries().at(-1)?.notes).toMatchObject({ quotaThrottle: true });
  });

  it('a TPM overflow is throttled by tokens, and the deployment recovers after the advertised wait', async () => {
    const c = client('token-quota');
    const big = 'lorem '.repeat(3000); // ~3000 tokens of a 6000-token bucket
    await c.embeddings.create({ model: 'token-quota', input: big });
    await c.embeddings.create({ model: 'token-quota', input: big });
    const error = await c.embeddings.create({ model: 'token-quota', input: big }).then(
      () => undefined,
      (e: unknown) => e as RateLimitError,
    );
    expect(error?.status).toBe(429);
    const waitMs = Number(error?.headers?.get('retry-after-ms'));
    expect(waitMs).toBeGreaterThan(1000);
    // 100 tokens/s refill: a small request fits again after a short wait.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(c.embeddings.create({ model: 'token-quota', input: 'tiny' })).resolves.toBeDefined();
  });
});
