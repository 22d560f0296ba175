/**
 * Interfaces of the per-service scheduling layer (DESIGN.md "Per-service limiters"). Providers
 * wrap every paid HTTP call in `limiter.run(...)`; the limiter owns concurrency, pacing, the shared
 * pause on 429/503 and the retry policy, so SDK-level retries stay off.
 */

/** One limiter per external service and operation kind. */
export type ServiceName =
  | 'documentIntelligence.analyze'
  | 'documentIntelligence.poll'
  | 'vision'
  | 'embeddings'
  | 'search.index'
  | 'search.query'
  | 'chat';

export interface ServiceQuota {
  /** Requests per second the service allows (token bucket refill rate). */
  requestsPerSecond: number;
  /** Tokens per minute (Azure OpenAI); undefined where the service has no token quota. */
  tokensPerMinute?: number;
  /** Upper bound of requests in flight; AIMD moves the current limit between 1 and this. */
  maxConcurrency: number;
}

export interface ServiceStateSnapshot {
  service: ServiceName;
  state: 'ok' | 'throttled' | 'unavailable';
  /** Epoch ms when a throttle pause ends, or null. */
  resumeAt: number | null;
  concurrency: number;
  inFlight: number;
  queued: number;
  /** Counters since start, for benchmarks and the UI. */
  requests: number;
  throttled: number;
}

export interface RunOptions {
  abortSignal?: AbortSignal;
  /** Tokens this request consumes (embeddings/chat), for token-per-minute pacing. */
  tokens?: number;
}

export interface ServiceLimiter {
  readonly service: ServiceName;
  /**
   * Runs `request` when the service has capacity. A thrown throttle (QuarryError `rate_limited`
   * with its `retryAfterMs`) pauses the WHOLE service until that time, halves concurrency, and retries
   * the request; waits longer than the cap fail with `quota_exhausted`. Other retryable errors
   * are retried with backoff a bounded number of times; the rest are rethrown as is.
   * `request` receives a signal that aborts when the caller's signal does.
   */
  run<T>(request: (signal: AbortSignal) => Promise<T>, options?: RunOptions): Promise<T>;
  /** Feeds `x-ratelimit-remaining-*` style hints from a successful response. */
  observeHeaders?(headers: HeaderReader): void;
  snapshot(): ServiceStateSnapshot;
}

/** Minimal header access shared by fetch Headers, Azure core headers and plain records. */
export interface HeaderReader {
  get(name: string): string | null | undefined;
}
