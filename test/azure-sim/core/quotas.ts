import type { QuotaBuckets, QuotaCost, QuotaDecision, QuotaName, QuotaRule } from './types';

interface Bucket {
  readonly rule: QuotaRule;
  level: number;
  updatedAtMs: number;
}

/** Finds the rule for a bucket; undefined = unlimited. */
export type QuotaRuleResolver = (name: QuotaName, scope: string | undefined) => QuotaRule | undefined;

/** Token buckets keyed by quota name and scope, refilled continuously from the sim clock. */
export function createQuotaBuckets(resolveRule: QuotaRuleResolver, now: () => number): QuotaBuckets {
  const buckets = new Map<string, Bucket | null>();

  const bucketFor = (name: QuotaName, scope: string | undefined): Bucket | null => {
    const key = `${name}\u0000${scope ?? ''}`;
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      const rule = resolveRule(name, scope);
      bucket = rule ? { rule, level: rule.capacity, updatedAtMs: now() } : null;
      buckets.set(key, bucket);
    }
    if (bucket) {
      const t = now();
      bucket.level = Math.min(
        bucket.rule.capacity,
        bucket.level + ((t - bucket.updatedAtMs) / 1000) * bucket.rule.refillPerSecond,
      );
      bucket.updatedAtMs = t;
    }
    return bucket;
  };

  return {
    take(costs: readonly QuotaCost[]): QuotaDecision {
      const resolved = costs.map((c) => ({ cost: c, bucket: bucketFor(c.name, c.scope) }));
      let waitMs = 0;
      for (const { cost, bucket } of resolved) {
        // A cost above capacity could never fit: it waits for a full bucket and is then admitted.
        const needed = Math.min(cost.cost, bucket?.rule.capacity ?? 0) - (bucket?.level ?? 0);
        if (!bucket || needed <= 0) continue;
        waitMs = Math.max(waitMs, (needed / bucket.rule.refillPerSecond) * 1000);
      }
      const remaining: Partial<Record<QuotaName, number>> = {};
      if (waitMs > 0) {
        for (const { cost, bucket } of resolved)
          remaining[cost.name] = bucket ? Math.floor(bucket.level) : Infinity;
        return { allowed: false, retryAfterMs: Math.ceil(waitMs), remaining };
      }
      for (const { cost, bucket } of resolved) {
        if (bucket) bucket.level = Math.max(0, bucket.level - cost.cost);
        remaining[cost.name] = bucket ? Math.floor(bucket.level) : Infinity;
      }
      return { allowed: true, remaining };
    },
    remaining(name: QuotaName, scope?: string): number {
      const bucket = bucketFor(name, scope);
      return bucket ? Math.floor(bucket.level) : Infinity;
    },
  };
}
