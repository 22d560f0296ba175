import type { LatencyModel, OpenAiDeployment, ProfileName, QuotaRule, SimProfile } from './types';

const none: LatencyModel = { baseMs: 0, perUnitMs: 0, jitterRatio: 0 };

/** No latency, quotas no test will reach (OpenAI still reports rate-limit headers). */
export const instantProfile: SimProfile = {
  name: 'instant',
  latency: {},
  quotas: {},
  openAiTokensPerMinute: 100_000_000,
};

/**
 * Standard tiers as the protocol doc describes them: OpenAI 120K TPM per deployment (the
 * recording's headers fit that), DI S0 15 analyze/s and 50 polls/s, Vision S1 20/s, Search S1
 * management 6/s. Latencies are typical observed orders of magnitude, with 20% jitter.
 */
export const realisticProfile: SimProfile = {
  name: 'realistic',
  latency: {
    'openai.embeddings': { baseMs: 60, perUnitMs: 0.02, jitterRatio: 0.2 },
    'openai.chat': { baseMs: 250, perUnitMs: 12, jitterRatio: 0.2 },
    'documentIntelligence.analyze': { baseMs: 1200, perUnitMs: 350, jitterRatio: 0.2 },
    'documentIntelligence.request': { baseMs: 60, perUnitMs: 0, jitterRatio: 0.2 },
    'vision.analyze': { baseMs: 450, perUnitMs: 0, jitterRatio: 0.2 },
    'search.query': { baseMs: 35, perUnitMs: 0, jitterRatio: 0.2 },
    'search.index': { baseMs: 30, perUnitMs: 0.4, jitterRatio: 0.2 },
    'search.management': { baseMs: 250, perUnitMs: 0, jitterRatio: 0.2 },
  },
  quotas: {
    'documentIntelligence.analyze': { capacity: 15, refillPerSecond: 15 },
    'documentIntelligence.poll': { capacity: 50, refillPerSecond: 50 },
    'vision.analyze': { capacity: 20, refillPerSecond: 20 },
    'search.query': { capacity: 100, refillPerSecond: 100 },
    'search.index': { capacity: 50, refillPerSecond: 50 },
    'search.management': { capacity: 6, refillPerSecond: 6 },
  },
  openAiTokensPerMinute: 120_000,
};

export const PROFILES: Readonly<Record<ProfileName, SimProfile>> = {
  instant: instantProfile,
  realistic: realisticProfile,
};

export function isProfileName(value: string): value is ProfileName {
  return value === 'instant' || value === 'realistic';
}

/** Latency for `units` of work, jittered by the caller's random draw in [0, 1). */
export function latencyMs(model: LatencyModel | undefined, units: number, random: number): number {
  const m = model ?? none;
  const total = m.baseMs + m.perUnitMs * Math.max(0, units);
  const jitter = 1 + m.jitterRatio * (random * 2 - 1);
  return Math.max(0, Math.round(total * jitter));
}

/**
 * Azure OpenAI quota for one deployment: TPM bucket over a minute, RPM (6 per 1000 TPM)
 * enforced over 10-second windows as the service does.
 */
export function openAiRules(
  profile: SimProfile,
  deployment: OpenAiDeployment | undefined,
): { tokens: QuotaRule; requests: QuotaRule } {
  const tokensPerMinute = deployment?.tokensPerMinute ?? profile.openAiTokensPerMinute;
  const requestsPerMinute = Math.max(6, Math.floor((tokensPerMinute * 6) / 1000));
  return {
    tokens: { capacity: tokensPerMinute, refillPerSecond: tokensPerMinute / 60 },
    requests: {
      capacity: Math.max(1, Math.floor(requestsPerMinute / 6)),
      refillPerSecond: requestsPerMinute / 60,
    },
  };
}
