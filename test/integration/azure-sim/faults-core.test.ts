/** Core pieces behind the faults: retry hint headers, token buckets, clean shutdown. */
import { describe, expect, it } from 'vitest';
import { createQuotaBuckets } from '../../azure-sim/core/quotas';
import { advertisedRetryAt, retryAfterHeaders } from '../../azure-sim/core/retry-headers';
import { startAzureSim } from '../../azure-sim/index';

describe('retry hint headers', () => {
  const now = Date.parse('2025-01-01T00:00:00.400Z');

  it('renders each variant, rounding up so a client never returns early', () => {
    expect(retryAfterHeaders(['seconds', 'ms', 'xMsMs'], 1500, now)).toEqual({
      'Retry-After': '2',
      'retry-after-ms': '1500',
      'x-ms-retry-after-ms': '1500',
    });
    expect(retryAfterHeaders('httpDate', 1500, now)).toEqual({
      'Retry-After': 'Wed, 01 Jan 2025 00:00:02 GMT',
    });
    expect(retryAfterHeaders('none', 1500, now)).toEqual({});
  });

  it('reads back the earliest moment any hint allows', () => {
    expect(advertisedRetryAt({ 'Retry-After': '2', 'retry-after-ms': '1500' }, now)).toBe(now + 1500);
    expect(advertisedRetryAt({ 'retry-after': 'Wed, 01 Jan 2025 00:00:02 GMT' }, now)).toBe(
      Date.parse('2025-01-01T00:00:02Z'),
    );
    expect(advertisedRetryAt({ 'content-type': 'application/json' }, now)).toBeUndefined();
  });
});

describe('token buckets', () => {
  it('take all-or-nothing, refill over time, and say how long to wait', () => {
    let t = 0;
    const buckets = createQuotaBuckets(
      (name) =>
        name === 'openai.requests'
          ? { capacity: 2, refillPerSecond: 1 }
          : { capacity: 100, refillPerSecond: 10 },
      () => t,
    );
    const take = (tokens: number) =>
      buckets.take([
        { name: 'openai.requests', cost: 1, scope: 'd' },
        { name: 'openai.tokens', cost: tokens, scope: 'd' },
      ]);
    expect(take(60)).toMatchObject({
      allowed: true,
      remaining: { 'openai.requests': 1, 'openai.tokens': 40 },
    });
    // Tokens are short: nothing is taken, the wait is for 20 more tokens at 10/s.
    expect(take(60)).toMatchObject({ allowed: false, retryAfterMs: 2000 });
    expect(buckets.remaining('openai.requests', 'd')).toBe(1);
    t = 2000;
    expect(take(60)).toMatchObject({ allowed: true });
    // A cost larger than the bucket waits for a full bucket, then passes.
    expect(buckets.take([{ name: 'openai.tokens', cost: 500, scope: 'other' }])).toMatchObject({
      allowed: true,
    });
    expect(buckets.remaining('documentIntelligence.poll')).toBe(100);
  });
});

describe('shutdown', () => {
  it('close() ends stalled exchanges and stops listening', async () => {
    const sim = await startAzureSim({ scenario: { rules: [{ route: '*', fault: 'stall' }] } });
    const stalled = fetch(`${sim.baseUrl}/indexes?api-version=2024-07-01`, {
      headers: { 'api-key': sim.keys.search },
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request is now held by the sim
    const started = Date.now();
    await sim.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(stalled).rejects.toThrow();
    await expect(fetch(`${sim.baseUrl}/indexes`)).rejects.toThrow();
    expect(sim.ledger.entries()[0]?.outcome).toBe('stalled');
  });
});
