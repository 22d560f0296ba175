import type { AzureServiceLimits, ServiceLimits } from '../../../contract';
import { DEFAULT_SERVICE_QUOTAS } from '../../pipeline/scheduler/limiter-registry';
import type { ServiceName, ServiceQuota } from '../../pipeline/scheduler/types';

/** Which limiters each service's limits in Settings size. */
const LIMITERS_OF: Record<keyof AzureServiceLimits, readonly ServiceName[]> = {
  openai: ['embeddings'],
  documentIntelligence: ['documentIntelligence.analyze'],
  vision: ['vision'],
  search: ['search.index', 'search.query'],
};

function merge(base: ServiceQuota, limits: ServiceLimits): ServiceQuota {
  return {
    requestsPerSecond: limits.requestsPerSecond ?? base.requestsPerSecond,
    maxConcurrency: limits.maxConcurrency ?? base.maxConcurrency,
    ...((limits.tokensPerMinute ?? base.tokensPerMinute) !== undefined
      ? { tokensPerMinute: limits.tokensPerMinute ?? base.tokensPerMinute }
      : {}),
  };
}

/** The limiters' quotas from the Settings view (blank fields keep the standard-tier defaults). */
export function quotasFromSettings(limits: AzureServiceLimits): Partial<Record<ServiceName, ServiceQuota>> {
  const quotas: Partial<Record<ServiceName, ServiceQuota>> = {};
  for (const service of Object.keys(LIMITERS_OF) as (keyof AzureServiceLimits)[]) {
    for (const limiter of LIMITERS_OF[service])
      quotas[limiter] = merge(DEFAULT_SERVICE_QUOTAS[limiter], limits[service]);
  }
  return quotas;
}
