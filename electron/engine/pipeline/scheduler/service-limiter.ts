import { setMaxListeners } from 'node:events';
/**
 * One service's limiter (DESIGN.md "Per-service limiters"): a p-queue holds callers and caps
 * requests in flight at the AIMD limit; an admission step paces starts with token buckets
 * (requests/s and tokens/min) and holds everyone back while the service's shared pause runs.
 *
 * Retries are a small loop here rather than p-retry: a throttle must wait for the SHARED pause
 * (not a per-request delay) and must give its concurrency slot back while waiting, so each
 * attempt is its own queue task; p-retry would keep the slot and apply its own delays.
 */
import PQueue from 'p-queue';
import { QuarryError } from '../../../contract/errors';
import type { EngineLog, LogFields } from '../../logging/types';
import { AimdConcurrency } from './aimd';
import { type AttemptObservation, observeAttempt } from './attempt-observation';
import { describeDuration, SERVICE_LABELS } from './service-labels';
import { SharedPause } from './shared-pause';
import { TokenBucket } from './token-bucket';
import { Turnstile } from './turnstile';
import type {
  HeaderReader,
  RunOptions,
  ServiceLimiter,
  ServiceName,
  ServiceQuota,
  ServiceStateSnapshot,
} from './types';
import { backoffMs, waitMs } from './wait';

export interface ServiceLimiterTuning {
  /** Longest wait a service may ask for before the request fails with `quota_exhausted`. */
  maxWaitInMs: number;
  /** Retries of retryable `network`/`service` errors (each with its own backoff). */
  maxRetries: number;
  /** Throttled retries of one request before it gives up with `rate_limited`. */
  maxThrottleRetries: number;
  retryBaseDelayInMs: number;
  retryMaxDelayInMs: number;
  /** Shared pause after a 429/503 that named no wait (exponential per throttle event). */
  throttleBaseDelayInMs: number;
  throttleMaxDelayInMs: number;
  /** Successes that earn +1 concurrency (default: the current limit, one full window). */
  successesPerIncrease: number | undefined;
  /** Request bucket size (default: one second's worth of requestsPerSecond). */
  requestBurst: number | undefined;
  /** Token bucket size (default: one minute's worth: Azure's token quota is per minute). */
  tokenBurst: number | undefined;
}

export const DEFAULT_LIMITER_TUNING: ServiceLimiterTuning = {
  maxWaitInMs: 60_000,
  maxRetries: 3,
  maxThrottleRetries: 20,
  retryBaseDelayInMs: 500,
  retryMaxDelayInMs: 8_000,
  throttleBaseDelayInMs: 1_000,
  throttleMaxDelayInMs: 30_000,
  successesPerIncrease: undefined,
  requestBurst: undefined,
  tokenBurst: undefined,
};

export interface ServiceLimiterOptions extends Partial<ServiceLimiterTuning> {
  /** Shared with limiters whose throttles must hold this one back too (same quota window). */
  pause?: SharedPause;
  /** Turns what a request threw into a QuarryError (e.g. the Azure error mapper). */
  mapError?: (error: unknown) => unknown;
  /** Service log: requests, throttles, waits, retries, pauses (never request content). */
  log?: EngineLog;
  now?: () => number;
  random?: () => number;
}

export type StateListener = (snapshot: ServiceStateSnapshot) => void;

const NEVER_ABORTED = new AbortController().signal;
// Shared by every request made without a caller signal: many listeners are expected.
setMaxListeners(0, NEVER_ABORTED);

export class QuotaServiceLimiter implements ServiceLimiter {
  private readonly tuning: ServiceLimiterTuning;
  private readonly queue: PQueue;
  private readonly aimd: AimdConcurrency;
  private readonly requestBucket: TokenBucket | undefined;
  private readonly tokenBucket: TokenBucket | undefined;
  private readonly pause: SharedPause;
  private readonly turnstile = new Turnstile();
  private readonly mapError: (error: unknown) => unknown;
  private readonly log: EngineLog | undefined;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly listeners = new Set<StateListener>();
  private readonly stopWatchingPause: () => void;

  private active = 0;
  private inFlight = 0;
  private requestCount = 0;
  private throttleCount = 0;
  /** Attempts are numbered; a throttle of an attempt that started before the last reaction is the same event. */
  private attemptSeq = 0;
  private lastReactionSeq = 0;
  private unhintedStreak = 0;
  private lastThrottle: QuarryError | undefined;
  private lastEmittedKey = '';
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** The pause end last reported as over, so each pause logs one resume per limiter. */
  private loggedResumeAt = 0;

  constructor(
    readonly service: ServiceName,
    readonly quota: ServiceQuota,
    options: ServiceLimiterOptions = {},
  ) {
    const { pause, mapError, log, now, random, ...tuning } = options;
    this.log = log;
    this.tuning = { ...DEFAULT_LIMITER_TUNING, ...definedOnly(tuning) };
    this.now = now ?? (() => Date.now());
    this.random = random ?? Math.random;
    this.mapError = mapError ?? ((error) => error);
    this.pause = pause ?? new SharedPause();
    this.aimd = new AimdConcurrency(quota.maxConcurrency, {
      ...(this.tuning.successesPerIncrease !== undefined
        ? { successesPerIncrease: this.tuning.successesPerIncrease }
        : {}),
    });
    this.queue = new PQueue({ concurrency: this.aimd.limit });
    if (Number.isFinite(quota.requestsPerSecond)) {
      const burst = this.tuning.requestBurst ?? Math.max(1, quota.requestsPerSecond);
      this.requestBucket = new TokenBucket(quota.requestsPerSecond, burst, this.now);
    }
    if (quota.tokensPerMinute !== undefined && Number.isFinite(quota.tokensPerMinute)) {
      const burst = this.tuning.tokenBurst ?? quota.tokensPerMinute;
      this.tokenBucket = new TokenBucket(quota.tokensPerMinute / 60, burst, this.now);
    }
    this.stopWatchingPause = this.pause.onChange(() => this.onPauseChanged());
    this.lastEmittedKey = stateKey(this.snapshot());
  }

  async run<T>(request: (signal: AbortSignal) => Promise<T>, options: RunOptions = {}): Promise<T> {
    const callerSignal = options.abortSignal;
    const tokens = Math.max(0, options.tokens ?? 0);
    this.active += 1;
    let throttles = 0;
    let failures = 0;
    try {
      for (;;) {
        if (callerSignal?.aborted) throw cancelledError(callerSignal.reason);
        let attempt = 0;
        try {
          return await this.queue.add(
            async () => {
              await this.admit(tokens, callerSignal);
              attempt = this.startAttempt();
              return await this.execute(request, attempt, callerSignal);
            },
            { ...(callerSignal ? { signal: callerSignal } : {}), priority: throttles + failures > 0 ? 1 : 0 },
          );
        } catch (raw) {
          if (callerSignal?.aborted) throw cancelledError(callerSignal.reason, raw);
          if (attempt === 0) throw raw; // refused before sending (quota_exhausted), nothing to retry
          const error = this.mapError(raw);
          if (!(error instanceof QuarryError)) throw error;
          if (error.code === 'rate_limited') {
            throttles += 1;
            const pauseMs = this.onThrottle(error, attempt);
            if (pauseMs > this.tuning.maxWaitInMs) throw this.quotaExhausted(pauseMs, error);
            if (throttles > this.tuning.maxThrottleRetries) throw this.gaveUp(throttles, error);
            this.write('info', 'request.retry', { after: 'throttle', throttles, waitInMs: pauseMs });
            continue;
          }
          if (error.retryable && (error.code === 'network' || error.code === 'service')) {
            failures += 1;
            if (failures > this.tuning.maxRetries) {
              this.write('warn', 'request.gave_up', { failures, ...errorFields(error) });
              throw error;
            }
            const delay = backoffMs(
              failures,
              this.tuning.retryBaseDelayInMs,
              this.tuning.retryMaxDelayInMs,
              this.random,
            );
            this.write('info', 'request.retry', {
              after: error.code,
              failures,
              backoffInMs: Math.round(delay),
              ...errorFields(error),
            });
            try {
              await waitMs(delay, callerSignal ? { abortSignal: callerSignal } : {});
            } catch (abortReason) {
              throw cancelledError(abortReason, error);
            }
            continue;
          }
          throw error;
        }
      }
    } finally {
      this.active -= 1;
      this.emitIfChanged();
    }
  }

  observeHeaders(headers: HeaderReader): void {
    // Azure OpenAI reports its own bucket levels; when they are lower than ours, slow down now
    // instead of learning it from a 429.
    const remainingRequests = nonNegativeInteger(headers.get('x-ratelimit-remaining-requests'));
    if (remainingRequests !== undefined) this.requestBucket?.clampTo(remainingRequests);
    const remainingTokens = nonNegativeInteger(headers.get('x-ratelimit-remaining-tokens'));
    if (remainingTokens !== undefined) this.tokenBucket?.clampTo(remainingTokens);
  }

  snapshot(): ServiceStateSnapshot {
    const now = this.now();
    const pausedMs = this.pause.remainingMs(now);
    const state: ServiceStateSnapshot['state'] =
      pausedMs <= 0 ? 'ok' : pausedMs > this.tuning.maxWaitInMs ? 'unavailable' : 'throttled';
    return {
      service: this.service,
      state,
      resumeAt: pausedMs > 0 ? this.pause.resumeAt : null,
      concurrency: this.aimd.limit,
      inFlight: this.inFlight,
      queued: Math.max(0, this.active - this.inFlight),
      requests: this.requestCount,
      throttled: this.throttleCount,
    };
  }

  /** Hears state transitions (ok / throttled / unavailable, resume time, concurrency). */
  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.clearResumeTimer();
    };
  }

  /** Stops timers; work that has not started yet fails with `cancelled`, in-flight requests finish. */
  dispose(): void {
    this.disposed = true;
    this.clearResumeTimer();
    this.stopWatchingPause();
    this.listeners.clear();
  }

  /** Waits, in arrival order, until the pause is over and both buckets allow a start. */
  private async admit(tokens: number, abortSignal: AbortSignal | undefined): Promise<void> {
    await this.turnstile.enter(abortSignal);
    try {
      for (;;) {
        if (this.disposed)
          throw new QuarryError('cancelled', `${SERVICE_LABELS[this.service]} limiter was shut down`);
        const pausedMs = this.pause.remainingMs(this.now());
        if (pausedMs > this.tuning.maxWaitInMs) throw this.quotaExhausted(pausedMs, this.lastThrottle);
        const delay = Math.max(
          pausedMs,
          this.requestBucket?.waitMs(1) ?? 0,
          tokens > 0 ? (this.tokenBucket?.waitMs(tokens) ?? 0) : 0,
        );
        if (delay <= 0) {
          this.noteResumed();
          this.requestBucket?.take(1);
          if (tokens > 0) this.tokenBucket?.take(tokens);
          return;
        }
        await waitMs(delay, {
          ...(abortSignal ? { abortSignal } : {}),
          wakeOn: (wake) => this.pause.onChange(wake),
        });
      }
    } finally {
      this.turnstile.leave();
    }
  }

  private startAttempt(): number {
    this.attemptSeq += 1;
    this.requestCount += 1;
    this.emitIfChanged();
    return this.attemptSeq;
  }

  private async execute<T>(
    request: (signal: AbortSignal) => Promise<T>,
    attempt: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    this.inFlight += 1;
    const observation: AttemptObservation = { responses: 0 };
    const startedAt = this.now();
    this.write('info', 'request.start', { attempt, inFlight: this.inFlight, concurrency: this.aimd.limit });
    try {
      const result = await observeAttempt(observation, () => request(callerSignal ?? NEVER_ABORTED));
      this.write('info', 'request.finish', {
        attempt,
        outcome: 'ok',
        durationInMs: this.now() - startedAt,
        status: observation.status,
        requestId: observation.requestId,
      });
      this.onSuccess(attempt);
      return result;
    } catch (raw) {
      if (this.log) {
        const error = this.mapError(raw);
        this.write('warn', 'request.finish', {
          attempt,
          outcome: 'error',
          durationInMs: this.now() - startedAt,
          status: observation.status,
          ...errorFields(error),
          requestId: (error instanceof QuarryError ? error.requestId : undefined) ?? observation.requestId,
        });
      }
      throw raw;
    } finally {
      this.inFlight -= 1;
    }
  }

  private onSuccess(attempt: number): void {
    if (attempt > this.lastReactionSeq) this.unhintedStreak = 0;
    if (this.aimd.recordSuccess()) {
      this.queue.concurrency = this.aimd.limit;
      this.write('info', 'service.concurrency', { change: 'increase', concurrency: this.aimd.limit });
      this.emitIfChanged();
    }
  }

  /** Starts (or extends) the shared pause and backs off concurrency; returns the pause length. */
  private onThrottle(error: QuarryError, attempt: number): number {
    this.throttleCount += 1;
    this.lastThrottle = error;
    // Requests sent before our last reaction are echoes of the same congestion event.
    const newEvent = attempt > this.lastReactionSeq;
    if (newEvent) {
      this.lastReactionSeq = this.attemptSeq;
      if (error.retryAfterMs === undefined) this.unhintedStreak += 1;
      if (this.aimd.decrease()) {
        this.queue.concurrency = this.aimd.limit;
        this.write('info', 'service.concurrency', { change: 'decrease', concurrency: this.aimd.limit });
      }
    }
    const pauseMs =
      error.retryAfterMs ??
      backoffMs(
        Math.max(1, this.unhintedStreak),
        this.tuning.throttleBaseDelayInMs,
        this.tuning.throttleMaxDelayInMs,
        this.random,
      );
    // Extending never shortens a longer pause another request already asked for.
    this.pause.extendTo(this.now() + pauseMs);
    this.write('warn', 'service.throttled', {
      attempt,
      newEvent,
      retryAfterMs: error.retryAfterMs,
      waitInMs: pauseMs,
      pausedUntil: new Date(this.pause.resumeAt).toISOString(),
      ...errorFields(error),
    });
    this.emitIfChanged();
    return pauseMs;
  }

  private quotaExhausted(waitMs: number, cause: QuarryError | undefined): QuarryError {
    const label = SERVICE_LABELS[this.service];
    const resumeAt = new Date(this.now() + waitMs);
    this.write('error', 'service.quota_exhausted', {
      waitInMs: waitMs,
      maxWaitInMs: this.tuning.maxWaitInMs,
      requestId: cause?.requestId,
      retryAfterMs: cause?.retryAfterMs,
    });
    return new QuarryError(
      'quota_exhausted',
      `${label} asked to wait ${describeDuration(waitMs)}, longer than the ${describeDuration(this.tuning.maxWaitInMs)} ` +
        `Quarry waits for: its quota is used up. Raise the quota in the Azure portal (or lower Quarry's rate for this ` +
        `service), or try again after ${resumeAt.toISOString()}.`,
      {
        retryable: false,
        reason: 'wait_too_long',
        retryAfterMs: waitMs,
        ...(cause?.requestId ? { requestId: cause.requestId } : {}),
        cause,
      },
    );
  }

  private gaveUp(throttles: number, cause: QuarryError): QuarryError {
    return new QuarryError(
      'rate_limited',
      `${SERVICE_LABELS[this.service]} kept throttling this request (${throttles} times); giving up on it for now.`,
      {
        retryable: true,
        reason: 'too_many_throttles',
        ...(cause.requestId ? { requestId: cause.requestId } : {}),
        ...(cause.retryAfterMs !== undefined ? { retryAfterMs: cause.retryAfterMs } : {}),
        cause,
      },
    );
  }

  /** Logs the end of a pause once, when the first request after it is admitted. */
  private noteResumed(): void {
    const resumeAt = this.pause.resumeAt;
    if (!this.log || resumeAt <= this.loggedResumeAt) return;
    this.loggedResumeAt = resumeAt;
    this.write('info', 'service.resumed', { pausedUntil: new Date(resumeAt).toISOString() });
  }

  private write(level: 'info' | 'warn' | 'error', event: string, fields: LogFields): void {
    this.log?.write(level, event, { service: this.service, ...fields });
  }

  private onPauseChanged(): void {
    this.emitIfChanged();
    this.scheduleResumeNotice();
  }

  /** With listeners present, announce the end of a pause even when nobody is waiting. */
  private scheduleResumeNotice(): void {
    this.clearResumeTimer();
    if (this.listeners.size === 0) return;
    const remaining = this.pause.remainingMs(this.now());
    // An exhausted quota ('unavailable') has no countdown worth a timer.
    if (remaining <= 0 || remaining > this.tuning.maxWaitInMs) return;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      this.emitIfChanged();
    }, remaining + 1);
    this.resumeTimer.unref?.();
  }

  private clearResumeTimer(): void {
    if (this.resumeTimer !== undefined) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
  }

  private emitIfChanged(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.snapshot();
    const key = stateKey(snapshot);
    if (key === this.lastEmittedKey) return;
    this.lastEmittedKey = key;
    for (const listener of [...this.listeners]) {
      try {
        listener(snapshot);
      } catch {
        // A broken listener must not break scheduling.
      }
    }
  }
}

/** What a failure tells the log: its code, reason, status and request id (the message stays out). */
function errorFields(error: unknown): LogFields {
  if (!(error instanceof QuarryError)) return { code: 'unmapped' };
  const status = (error as { status?: unknown }).status;
  const serviceCode = (error as { serviceCode?: unknown }).serviceCode;
  return {
    code: error.code,
    reason: error.reason,
    requestId: error.requestId,
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof serviceCode === 'string' ? { serviceCode } : {}),
  };
}

function stateKey(snapshot: ServiceStateSnapshot): string {
  return `${snapshot.state}|${snapshot.resumeAt ?? ''}|${snapshot.concurrency}`;
}

function cancelledError(reason: unknown, cause: unknown = reason): QuarryError {
  if (reason instanceof QuarryError && reason.code === 'cancelled') return reason;
  return new QuarryError('cancelled', 'Cancelled', { retryable: false, cause });
}

function nonNegativeInteger(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
