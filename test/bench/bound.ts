/**
 * The fastest any pipeline could ingest a corpus against a simulator profile: per service, the work
 * the corpus needs divided by that service's quota (after the token bucket's initial burst, which
 * the simulator fills at start), and the critical path of the slowest single file (its Document
 * Intelligence processing time plus one embedding and one upload call). The largest term bounds
 * the run. Latencies are the profile's nominal (unjittered) values.
 */
import { openAiRules } from '../azure-sim/core/profiles';
import type { LatencyModel, QuotaRule, SimProfile } from '../azure-sim/core/types';
import type { CorpusFile } from './corpus';

/** Azure OpenAI embeddings limits per request (inputs, tokens), as the service enforces them. */
const MAX_INPUTS_PER_EMBEDDING_REQUEST = 2048;
const MAX_TOKENS_PER_EMBEDDING_REQUEST = 300_000;
/** Azure AI Search: at most 1,000 actions per indexing batch. */
const MAX_DOCS_PER_INDEX_BATCH = 1000;
/** Chunk size the bound assumes (Quarry's default target); only the request counts depend on it. */
const CHUNK_TOKENS = 500;

export interface BoundTerm {
  /** e.g. `openai.tokens`, `documentIntelligence.analyze`, `criticalPath`. */
  name: string;
  /** Units of work (requests, tokens) or, for the critical path, milliseconds. */
  work: number;
  unit: string;
  /** Sustained rate per second (undefined for the critical path). */
  ratePerSecond?: number;
  /** Units the bucket holds at start. */
  burst?: number;
  ms: number;
}

export interface QuotaBound {
  boundMs: number;
  /** The term that sets the bound. */
  limitedBy: string;
  terms: BoundTerm[];
}

function quotaTerm(name: string, unit: string, work: number, rule: QuotaRule | undefined): BoundTerm {
  if (!rule) return { name, work, unit, ms: 0 };
  const ms = (Math.max(0, work - rule.capacity) / rule.refillPerSecond) * 1000;
  return { name, work, unit, ratePerSecond: rule.refillPerSecond, burst: rule.capacity, ms };
}

function nominalMs(model: LatencyModel | undefined, units: number): number {
  return model ? model.baseMs + model.perUnitMs * units : 0;
}

/** Time from the analyze POST to a poll that sees `succeeded`, for one file. */
function documentIntelligenceMs(profile: SimProfile, pages: number): number {
  const request = nominalMs(profile.latency['documentIntelligence.request'], 1);
  // POST, processing, then the poll that finds it done.
  return request + nominalMs(profile.latency['documentIntelligence.analyze'], pages) + request;
}

export function fileCriticalPathMs(profile: SimProfile, file: CorpusFile): number {
  const read =
    file.route === 'documentIntelligence'
      ? documentIntelligenceMs(profile, file.pages)
      : file.route === 'vision'
        ? nominalMs(profile.latency['vision.analyze'], 1)
        : 0;
  const chunks = Math.max(1, Math.ceil(file.textTokens / CHUNK_TOKENS));
  return (
    read +
    nominalMs(profile.latency['openai.embeddings'], file.textTokens) +
    nominalMs(profile.latency['search.index'], chunks)
  );
}

/** The lower bound for ingesting `files` against `profile` (one embedding deployment). */
export function quotaLowerBound(files: readonly CorpusFile[], profile: SimProfile): QuotaBound {
  const tokens = files.reduce((sum, f) => sum + f.textTokens, 0);
  const chunks = files.reduce((sum, f) => sum + Math.max(1, Math.ceil(f.textTokens / CHUNK_TOKENS)), 0);
  const diFiles = files.filter((f) => f.route === 'documentIntelligence').length;
  const visionFiles = files.filter((f) => f.route === 'vision').length;
  const openAi = openAiRules(profile, undefined);
  const embeddingRequests = Math.max(
    Math.ceil(chunks / MAX_INPUTS_PER_EMBEDDING_REQUEST),
    Math.ceil(tokens / MAX_TOKENS_PER_EMBEDDING_REQUEST),
  );
  const criticalPathMs = files.reduce((max, f) => Math.max(max, fileCriticalPathMs(profile, f)), 0);
  const terms: BoundTerm[] = [
    quotaTerm('openai.tokens', 'tokens', tokens, openAi.tokens),
    quotaTerm('openai.requests', 'requests', embeddingRequests, openAi.requests),
    quotaTerm(
      'documentIntelligence.analyze',
      'requests',
      diFiles,
      profile.quotas['documentIntelligence.analyze'],
    ),
    // Every operation needs at least the one poll that sees it finished.
    quotaTerm('documentIntelligence.poll', 'requests', diFiles, profile.quotas['documentIntelligence.poll']),
    quotaTerm('vision.analyze', 'requests', visionFiles, profile.quotas['vision.analyze']),
    quotaTerm(
      'search.index',
      'batches',
      Math.ceil(chunks / MAX_DOCS_PER_INDEX_BATCH),
      profile.quotas['search.index'],
    ),
    { name: 'criticalPath', work: criticalPathMs, unit: 'ms', ms: criticalPathMs },
  ];
  const limiting = terms.reduce((a, b) => (b.ms > a.ms ? b : a));
  return { boundMs: Math.round(limiting.ms), limitedBy: limiting.name, terms };
}
