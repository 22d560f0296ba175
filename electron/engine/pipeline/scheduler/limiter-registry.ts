/**
 * The set of per-service limiters for one engine: sized from configured quotas over defaults
 * for standard tiers, with throttle pauses shared between limiters that hit the same service.
 */
import type { EngineLog } from '../../logging/types';
import {
  QuotaServiceLimiter,
  type ServiceLimiterOptions,
  type ServiceLimiterTuning,
} from './service-limiter';
import { SharedPause } from './shared-pause';
import type { ServiceLimiter, ServiceName, ServiceQuota, ServiceStateSnapshot } from './types';

/**
 * Standard tiers: Document Intelligence S0 (15 analyze/s, 50 polls/s), Vision S1 (10 TPS),
 * Azure OpenAI text-embedding-3 at 350K TPM / 2,100 RPM, a small chat deployment (30K TPM / 180
 * RPM), AI Search S1 (indexing and queries are load-throttled with 503s: moderate starting points).
 */
export const DEFAULT_SERVICE_QUOTAS: Readonly<Record<ServiceName, ServiceQuota>> = {
  'documentIntelligence.analyze': { requestsPerSecond: 15, maxConcurrency: 15 },
  'documentIntelligence.poll': { requestsPerSecond: 50, maxConcurrency: 25 },
  vision: { requestsPerSecond: 10, maxConcurrency: 10 },
  embeddings: { requestsPerSecond: 35, tokensPerMinute: 350_000, maxConcurrency: 8 },
  'search.index': { requestsPerSecond: 10, maxConcurrency: 4 },
  'search.query': { requestsPerSecond: 20, maxConcurrency: 8 },
  chat: { requestsPerSecond: 3, tokensPerMinute: 30_000, maxConcurrency: 4 },
};

export const SERVICE_NAMES: readonly ServiceName[] = [
  'documentIntelligence.analyze',
  'documentIntelligence.poll',
  'vision',
  'embeddings',
  'search.index',
  'search.query',
  'chat',
];

/**
 * Limiters that talk to the same Azure resource wait out each other's 429/503: DI analyze and
 * polls share one resource, Search indexing and queries share one search service.
 */
export const DEFAULT_PAUSE_GROUPS: readonly (readonly ServiceName[])[] = [
  ['documentIntelligence.analyze', 'documentIntelligence.poll'],
  ['search.index', 'search.query'],
];

export interface LimiterRegistryOptions extends Partial<ServiceLimiterTuning> {
  pauseGroups?: readonly (readonly ServiceName[])[];
  /** Maps what a request threw into a QuarryError (e.g. `toQuarryError` of the Azure provider). */
  mapError?: (error: unknown, service: ServiceName) => unknown;
  /** Service log every limiter writes its requests, throttles, waits and retries to. */
  log?: EngineLog;
  /** Per-service tuning on top of the shared tuning above. */
  perService?: Partial<Record<ServiceName, Partial<ServiceLimiterTuning>>>;
  now?: () => number;
  random?: () => number;
}

export interface LimiterRegistry {
  get(service: ServiceName): ServiceLimiter;
  snapshots(): ServiceStateSnapshot[];
  /** Every limiter's state transitions, e.g. to tell the UI "Document Intelligence throttled — resuming in 3 s". */
  onStateChange(listener: (snapshot: ServiceStateSnapshot) => void): () => void;
  /** Stops timers and refuses work that has not started. */
  dispose(): void;
}

export function createServiceLimiters(
  quotas: Partial<Record<ServiceName, ServiceQuota>> = {},
  options: LimiterRegistryOptions = {},
): LimiterRegistry {
  const { pauseGroups = DEFAULT_PAUSE_GROUPS, mapError, log, perService, now, random, ...tuning } = options;
  const pauses = new Map<ServiceName, SharedPause>();
  for (const group of pauseGroups) {
    const pause = new SharedPause();
    for (const service of group) if (!pauses.has(service)) pauses.set(service, pause);
  }
  const limiters = new Map<ServiceName, QuotaServiceLimiter>();
  for (const service of SERVICE_NAMES) {
    const quota = { ...DEFAULT_SERVICE_QUOTAS[service], ...quotas[service] };
    const limiterOptions: ServiceLimiterOptions = {
      ...tuning,
      ...perService?.[service],
      ...(pauses.get(service) ? { pause: pauses.get(service) } : {}),
      ...(mapError ? { mapError: (error: unknown) => mapError(error, service) } : {}),
      ...(log ? { log } : {}),
      ...(now ? { now } : {}),
      ...(random ? { random } : {}),
    };
    limiters.set(service, new QuotaServiceLimiter(service, quota, limiterOptions));
  }
  const listeners = new Set<(snapshot: ServiceStateSnapshot) => void>();
  // Subscribed only while someone listens, so idle limiters keep no resume timers.
  let unsubscribes: (() => void)[] = [];
  const forward = (snapshot: ServiceStateSnapshot): void => {
    for (const listener of [...listeners]) listener(snapshot);
  };
  const stopForwarding = (): void => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    unsubscribes = [];
  };

  return {
    get(service) {
      const limiter = limiters.get(service);
      if (!limiter) throw new RangeError(`No limiter for service ${service}`);
      return limiter;
    },
    snapshots: () => [...limiters.values()].map((limiter) => limiter.snapshot()),
    onStateChange(listener) {
      if (listeners.size === 0) {
        unsubscribes = [...limiters.values()].map((limiter) => limiter.onStateChange(forward));
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopForwarding();
      };
    },
    dispose() {
      stopForwarding();
      for (const limiter of limiters.values()) limiter.dispose();
      listeners.clear();
    },
  };
}
