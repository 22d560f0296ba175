import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuarryError } from '../../electron/contract/errors';
import { createServiceLimiters } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import {
  QuotaServiceLimiter,
  type ServiceLimiterOptions,
} from '../../electron/engine/pipeline/scheduler/service-limiter';
import type { ServiceQuota, ServiceStateSnapshot } from '../../electron/engine/pipeline/scheduler/types';

const T0 = Date.UTC(2030, 0, 1);

function limiter(
  quota: Partial<ServiceQuota> = {},
  options: ServiceLimiterOptions = {},
): QuotaServiceLimiter {
  return new QuotaServiceLimiter(
    'vision',
    { requestsPerSecond: 1000, maxConcurrency: 4, ...quota },
    { random: () => 0, ...options },
  );
}

function throttle(retryAfterMs?: number): QuarryError {
  return new QuarryError('rate_limited', 'throttled', {
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    requestId: 'req-429',
  });
}

/** Settles a promise into a plain result so a rejection never goes unhandled under fake timers. */
function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function elapsed(): number {
  return Date.now() - T0;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('shared pause on a throttle', () => {
  it('starts no request of the service until the requested time, then retries the throttled one', async () => {
    const lim = limiter({ maxConcurrency: 4 });
    const starts: Array<{ id: number; at: number }> = [];
    let throttled = false;
    const run = (id: number) =>
      settle(
        lim.run(async () => {
          starts.push({ id, at: elapsed() });
          if (id === 0 && !throttled) {
            throttled = true;
            await new Promise((resolve) => setTimeout(resolve, 10));
            throw throttle(2_000);
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
          return id;
        }),
      );
    const results = Promise.all(Array.from({ length: 10 }, (_, id) => run(id)));
    await vi.advanceTimersByTimeAsync(10_000);
    const settled = await results;

    expect(settled.every((r) => r.ok)).toBe(true);
    expect(settled.map((r) => (r.ok ? r.value : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The first wave (4 in flight) started at 0; the throttle came back at 10 ms; nothing started
    // before 10 ms + 2 s; request 0 was sent again.
    const firstWave = starts.filter((s) => s.at === 0).map((s) => s.id);
    expect(firstWave).toEqual([0, 1, 2, 3]);
    const later = starts.filter((s) => s.at > 0);
    expect(later.map((s) => s.id).sort((a, b) => a - b)).toEqual([0, 4, 5, 6, 7, 8, 9]);
    expect(Math.min(...later.map((s) => s.at))).toBe(2_010);
    expect(starts.filter((s) => s.id === 0)).toHaveLength(2);
    expect(lim.snapshot()).toMatchObject({ state: 'ok', throttled: 1, requests: 11, inFlight: 0, queued: 0 });
  });

  it('waits an exponential, jittered pause when the service named no wait', async () => {
    const lim = limiter({ maxConcurrency: 1 }, { throttleBaseDelayInMs: 1_000, random: () => 0 });
    const starts: number[] = [];
    let calls = 0;
    const result = settle(
      lim.run(async () => {
        starts.push(elapsed());
        calls += 1;
        if (calls <= 2) throw throttle(undefined);
        return 'done';
      }),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await result).toEqual({ ok: true, value: 'done' });
    // random() = 0 -> half of 1 s, then half of 2 s.
    expect(starts).toEqual([0, 500, 1_500]);
  });

  it('holds back the other limiters of the same pause group', async () => {
    const registry = createServiceLimiters({}, { random: () => 0 });
    const analyze = registry.get('documentIntelligence.analyze');
    const poll = registry.get('documentIntelligence.poll');
    const search = registry.get('search.query');
    let thrown = false;
    const analyzed = settle(
      analyze.run(async () => {
        if (!thrown) {
          thrown = true;
          throw throttle(3_000);
        }
        return elapsed();
      }),
    );
    await vi.advanceTimersByTimeAsync(1);
    const polledAt = settle(poll.run(async () => elapsed()));
    const searchedAt = settle(search.run(async () => elapsed()));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await searchedAt).toEqual({ ok: true, value: 1 });
    const polled = await polledAt;
    const analyzedResult = await analyzed;
    expect(polled.ok && polled.value).toBeGreaterThanOrEqual(3_000);
    expect(analyzedResult.ok && analyzedResult.value).toBeGreaterThanOrEqual(3_000);
    registry.dispose();
  });
});

describe('AIMD concurrency', () => {
  it('halves once per throttle event and adds one after a window of successes', async () => {
    const lim = limiter({ maxConcurrency: 8 });
    let inFlight = 0;
    let peak = 0;
    let throttles = 0;
    const job = () =>
      settle(
        lim.run(async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 50));
            // The whole first burst of 8 is throttled: one congestion event, not eight halvings.
            if (throttles < 8) {
              throttles += 1;
              throw throttle(1_000);
            }
            return true;
          } finally {
            inFlight -= 1;
          }
        }),
      );
    const jobs = Array.from({ length: 8 }, job);
    await vi.advanceTimersByTimeAsync(60);
    expect(lim.snapshot().concurrency).toBe(4);
    peak = 0;
    await vi.advanceTimersByTimeAsync(1_000);
    // After the pause only the halved limit runs at once.
    expect(peak).toBe(4);
    await vi.advanceTimersByTimeAsync(1_000);
    const results = await Promise.all(jobs);
    expect(results.every((r) => r.ok)).toBe(true);
    // Eight successes at limit 4: +1 after the first four, +1 after the next five is not reached.
    expect(lim.snapshot().concurrency).toBe(5);
  });

  it('never goes below one', async () => {
    const lim = limiter({ maxConcurrency: 2 });
    let calls = 0;
    const result = settle(
      lim.run(async () => {
        calls += 1;
        if (calls <= 3) throw throttle(10);
        return lim.snapshot().concurrency;
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toEqual({ ok: true, value: 1 });
    // One success is a full window at limit 1: back to 2.
    expect(lim.snapshot().concurrency).toBe(2);
  });
});

describe('capped waits', () => {
  it('fails with quota_exhausted at once when the service asks for longer than the cap, and so do the queued requests', async () => {
    const lim = limiter({ maxConcurrency: 1 }, { maxWaitInMs: 60_000 });
    let calls = 0;
    const first = settle(
      lim.run(async () => {
        calls += 1;
        throw throttle(86_400_000);
      }),
    );
    const queued = Array.from({ length: 5 }, () =>
      settle(
        lim.run(async () => {
          calls += 1;
          return 'should not run';
        }),
      ),
    );
    await vi.advanceTimersByTimeAsync(1);
    const results = [await first, ...(await Promise.all(queued))];
    expect(calls).toBe(1);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBeInstanceOf(QuarryError);
      const error = result.error as QuarryError;
      expect(error.code).toBe('quota_exhausted');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/Raise the quota/);
    }
    expect((results[0] as { error: QuarryError }).error.requestId).toBe('req-429');
    expect(lim.snapshot().state).toBe('unavailable');
    expect(elapsed()).toBeLessThan(10);
  });

  it('waits a pause up to the cap', async () => {
    const lim = limiter({}, { maxWaitInMs: 5_000 });
    let calls = 0;
    const result = settle(
      lim.run(async () => {
        calls += 1;
        if (calls === 1) throw throttle(5_000);
        return elapsed();
      }),
    );
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await result).toEqual({ ok: true, value: 5_000 });
  });

  it('gives up after too many throttles with rate_limited', async () => {
    const lim = limiter({}, { maxThrottleRetries: 3 });
    let calls = 0;
    const result = settle(
      lim.run(async () => {
        calls += 1;
        throw throttle(100);
      }),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    const settled = await result;
    expect(calls).toBe(4);
    expect(settled.ok).toBe(false);
    expect(!settled.ok && (settled.error as QuarryError).code).toBe('rate_limited');
  });
});

describe('retries of transient failures', () => {
  const networkError = () => new QuarryError('network', 'reset', { retryable: true });

  it('retries network errors a bounded number of times with backoff', async () => {
    const lim = limiter({}, { maxRetries: 3, retryBaseDelayInMs: 100, random: () => 1 });
    const starts: number[] = [];
    const result = settle(
      lim.run(async () => {
        starts.push(elapsed());
        if (starts.length <= 3) throw networkError();
        return 'ok';
      }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await result).toEqual({ ok: true, value: 'ok' });
    expect(starts).toEqual([0, 100, 300, 700]);
    expect(lim.snapshot().concurrency).toBe(4); // transient errors are not throttles
  });

  it('gives up after maxRetries and rethrows the last error', async () => {
    const lim = limiter({}, { maxRetries: 2, retryBaseDelayInMs: 10 });
    let calls = 0;
    const result = settle(
      lim.run(async () => {
        calls += 1;
        throw new QuarryError('service', 'HTTP 500', { retryable: true });
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    const settled = await result;
    expect(calls).toBe(3);
    expect(!settled.ok && (settled.error as QuarryError).code).toBe('service');
  });

  it('does not retry errors that are not retryable, and passes foreign errors through as is', async () => {
    const lim = limiter();
    const bad = new QuarryError('invalid_input', 'too big', { retryable: false });
    let calls = 0;
    const first = settle(
      lim.run(async () => {
        calls += 1;
        throw bad;
      }),
    );
    const foreign = new TypeError('boom');
    const second = settle(
      lim.run(async () => {
        calls += 1;
        throw foreign;
      }),
    );
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toEqual({ ok: false, error: bad });
    expect(await second).toEqual({ ok: false, error: foreign });
    expect(calls).toBe(2);
  });

  it('maps errors with mapError before deciding', async () => {
    const lim = limiter(
      {},
      {
        mapError: (error) =>
          error instanceof RangeError
            ? new QuarryError('rate_limited', 'mapped', { retryAfterMs: 250 })
            : error,
      },
    );
    const starts: number[] = [];
    const result = settle(
      lim.run(async () => {
        starts.push(elapsed());
        if (starts.length === 1) throw new RangeError('429');
        return 'ok';
      }),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result).toEqual({ ok: true, value: 'ok' });
    expect(starts).toEqual([0, 250]);
  });
});

describe('abort', () => {
  it('rejects a queued request with cancelled without running it', async () => {
    const lim = limiter({ maxConcurrency: 1 });
    const controller = new AbortController();
    let calls = 0;
    const blocker = settle(
      lim.run(async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }),
    );
    const queued = settle(
      lim.run(
        async () => {
          calls += 1;
        },
        { abortSignal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const settled = await queued;
    expect(!settled.ok && (settled.error as QuarryError).code).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(1_000);
    await blocker;
    expect(calls).toBe(1);
  });

  it('passes the signal to a running request and frees its slot at once', async () => {
    const lim = limiter({ maxConcurrency: 1 });
    const controller = new AbortController();
    let seenSignal: AbortSignal | undefined;
    const running = settle(
      lim.run(
        (signal) => {
          seenSignal = signal;
          return new Promise<never>(() => {}); // a request that ignores its signal
        },
        { abortSignal: controller.signal },
      ),
    );
    const next = settle(lim.run(async () => 'next'));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(seenSignal?.aborted).toBe(true);
    const settled = await running;
    expect(!settled.ok && (settled.error as QuarryError).code).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(10);
    expect(await next).toEqual({ ok: true, value: 'next' });
  });

  it('cancels a request waiting out a pause', async () => {
    const lim = limiter({ maxConcurrency: 2 });
    const controller = new AbortController();
    let calls = 0;
    const first = settle(
      lim.run(async () => {
        calls += 1;
        if (calls === 1) throw throttle(30_000);
        return 'first';
      }),
    );
    await vi.advanceTimersByTimeAsync(1);
    const waiting = settle(
      lim.run(
        async () => {
          calls += 1;
        },
        { abortSignal: controller.signal },
      ),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    const settled = await waiting;
    expect(!settled.ok && (settled.error as QuarryError).code).toBe('cancelled');
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(40_000);
    expect(await first).toEqual({ ok: true, value: 'first' });
    expect(calls).toBe(2);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const lim = limiter();
    const result = await settle(lim.run(async () => 1, { abortSignal: AbortSignal.abort() }));
    expect(!result.ok && (result.error as QuarryError).code).toBe('cancelled');
  });
});

describe('pacing', () => {
  it('starts requests at requestsPerSecond after the burst', async () => {
    const lim = limiter({ requestsPerSecond: 2, maxConcurrency: 10 });
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 6 }, () => settle(lim.run(async () => starts.push(elapsed())))),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await all;
    expect(starts).toEqual([0, 0, 500, 1_000, 1_500, 2_000]);
  });

  it('paces by tokens per minute when requests say how many tokens they use', async () => {
    // 60,000 TPM = 1,000 tokens/s; a bucket of 10 s worth.
    const lim = new QuotaServiceLimiter(
      'embeddings',
      { requestsPerSecond: 1000, tokensPerMinute: 60_000, maxConcurrency: 10 },
      { tokenBurst: 10_000 },
    );
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 4 }, () => settle(lim.run(async () => starts.push(elapsed()), { tokens: 6_000 }))),
    );
    await vi.advanceTimersByTimeAsync(30_000);
    await all;
    // 10,000 -> 4,000 (t=0); needs 6,000: +2 s -> 0 (t=2 s); +6 s (t=8 s); +6 s (t=14 s).
    expect(starts).toEqual([0, 2_000, 8_000, 14_000]);
  });

  it('lets a request bigger than the token bucket go once the bucket is full', async () => {
    const lim = new QuotaServiceLimiter(
      'embeddings',
      { requestsPerSecond: 1000, tokensPerMinute: 60_000, maxConcurrency: 10 },
      { tokenBurst: 1_000 },
    );
    const starts: number[] = [];
    const all = Promise.all(
      Array.from({ length: 2 }, () => settle(lim.run(async () => starts.push(elapsed()), { tokens: 3_000 }))),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await all;
    // The first leaves the bucket at -2,000; the next waits until it is full again (3 s).
    expect(starts).toEqual([0, 3_000]);
  });

  it('slows down when x-ratelimit-remaining-* says the service bucket is low', async () => {
    const lim = new QuotaServiceLimiter('embeddings', {
      requestsPerSecond: 10,
      tokensPerMinute: 600_000,
      maxConcurrency: 10,
    });
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '5',
      'x-ratelimit-remaining-tokens': '0',
    });
    lim.observeHeaders(headers);
    const started = settle(lim.run(async () => elapsed(), { tokens: 5_000 }));
    await vi.advanceTimersByTimeAsync(2_000);
    // 10,000 tokens/s refill: 5,000 tokens take 500 ms.
    expect(await started).toEqual({ ok: true, value: 500 });
  });
});

describe('state changes and timers', () => {
  it('announces throttled with the resume time, then ok', async () => {
    const registry = createServiceLimiters({}, { random: () => 0 });
    const events: ServiceStateSnapshot[] = [];
    const stop = registry.onStateChange((snapshot) => events.push(snapshot));
    const vision = registry.get('vision');
    let calls = 0;
    const result = settle(
      vision.run(async () => {
        calls += 1;
        if (calls === 1) throw throttle(3_000);
        return 'ok';
      }),
    );
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await result).ok).toBe(true);
    const throttled = events.find((e) => e.state === 'throttled');
    expect(throttled).toMatchObject({ service: 'vision', resumeAt: T0 + 3_000 });
    expect(events.at(-1)).toMatchObject({ service: 'vision', state: 'ok', resumeAt: null });
    stop();
    registry.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timers behind once everything settled', async () => {
    const registry = createServiceLimiters({ vision: { requestsPerSecond: 5, maxConcurrency: 2 } });
    const vision = registry.get('vision');
    let calls = 0;
    const all = Promise.all(
      Array.from({ length: 12 }, () =>
        settle(
          vision.run(async () => {
            calls += 1;
            if (calls === 3) throw throttle(700);
            if (calls === 5) throw new QuarryError('network', 'reset', { retryable: true });
            await new Promise((resolve) => setTimeout(resolve, 20));
            return calls;
          }),
        ),
      ),
    );
    await vi.advanceTimersByTimeAsync(20_000);
    const results = await all;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(registry.snapshots().find((s) => s.service === 'vision')).toMatchObject({
      requests: 14,
      throttled: 1,
      inFlight: 0,
      queued: 0,
    });
  });

  it('sizes limiters from configured quotas over the defaults', () => {
    const registry = createServiceLimiters({ embeddings: { requestsPerSecond: 12, maxConcurrency: 3 } });
    expect(registry.get('embeddings').snapshot().concurrency).toBe(3);
    expect(registry.get('documentIntelligence.analyze').snapshot().concurrency).toBe(15);
    registry.dispose();
  });
});
