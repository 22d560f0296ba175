/**
 * What the simulator saw of one pipeline run: requests per service, throttled replies, Retry-After
 * violations, embedding batch sizes, and which files ended up in the pipeline's index.
 */
import type { LedgerEntry, ServiceName, SimLedger } from '../azure-sim/core/types';
import { SERVICE_NAMES } from '../azure-sim/core/types';

export type ServiceCounts = Record<ServiceName, number>;

export interface LedgerStats {
  requests: ServiceCounts;
  /** 429s, plus AI Search's 503 load shedding (its way of throttling). */
  throttled: number;
  throttledByService: ServiceCounts;
  retryAfterViolations: number;
  violationsByService: ServiceCounts;
  violations: { route: string; earlyByMs: number; afterThrottleReplyMs: number }[];
  embeddingRequests: number;
  /** Over successful embedding requests. */
  meanInputsPerEmbeddingRequest: number | null;
  /** Tokens of successful embedding requests. */
  embeddedTokens: number;
}

const zeroCounts = (): ServiceCounts =>
  Object.fromEntries(SERVICE_NAMES.map((name) => [name, 0])) as ServiceCounts;

function isThrottle(entry: LedgerEntry): boolean {
  return entry.status === 429 || (entry.status === 503 && entry.notes?.quotaThrottle === true);
}

export function ledgerStats(ledger: SimLedger): LedgerStats {
  const requests = zeroCounts();
  const throttledByService = zeroCounts();
  let embeddingRequests = 0;
  let embeddingInputs = 0;
  let embeddedTokens = 0;
  for (const entry of ledger.entries()) {
    if (entry.service === 'unknown') continue;
    requests[entry.service] += 1;
    if (isThrottle(entry)) throttledByService[entry.service] += 1;
    if (entry.route === 'openai.embeddings' && entry.status === 200) {
      embeddingRequests += 1;
      embeddingInputs += Number(entry.notes?.inputs ?? 0);
      embeddedTokens += Number(entry.notes?.tokens ?? 0);
    }
  }
  const violationsByService = ledger.violationCounts();
  const sum = (counts: ServiceCounts) => SERVICE_NAMES.reduce((total, name) => total + counts[name], 0);
  return {
    requests,
    throttled: sum(throttledByService),
    throttledByService,
    retryAfterViolations: sum(violationsByService),
    violationsByService,
    // Which request came early, by how much, and how long after the throttle reply it arrived.
    violations: ledger.violations().map(({ route, earlyByMs, afterThrottleReplyMs }) => ({
      route,
      earlyByMs: Math.round(earlyByMs),
      afterThrottleReplyMs: Math.round(afterThrottleReplyMs),
    })),
    embeddingRequests,
    meanInputsPerEmbeddingRequest: embeddingRequests > 0 ? embeddingInputs / embeddingRequests : null,
    embeddedTokens,
  };
}

export interface IndexCoverage {
  indexName: string;
  documents: number;
  /** Files of the run with at least one document in the index. */
  filesIndexed: number;
  /** Files of the run with none. */
  missing: string[];
}

/** Which of `files` have documents in `indexName`, reading each document's source with `sourceOf`. */
export function indexCoverage(
  ledger: SimLedger,
  indexName: string,
  files: readonly string[],
  sourceOf: (document: Record<string, unknown>) => unknown,
): IndexCoverage {
  const documents = ledger.documents(indexName) ?? [];
  const sources = new Set(documents.map((document) => String(sourceOf(document))));
  const missing = files.filter((file) => !sources.has(file));
  return { indexName, documents: documents.length, filesIndexed: files.length - missing.length, missing };
}
