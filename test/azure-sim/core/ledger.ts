import type { LedgerEntry, RetryAfterViolation, ServiceName, SimLedger, StoredDocumentSource } from './types';
import { SERVICE_NAMES } from './types';

/** The ledger plus the bookkeeping calls only the core makes. */
export interface CoreLedger extends SimLedger {
  /** Next arrival number. */
  nextSeq(): number;
  add(entry: LedgerEntry): void;
  /** The service told the client to come back no earlier than `untilMs` (sent at `sentAtMs`). */
  noteAdvertisedWait(service: ServiceName, untilMs: number, sentAtMs: number): void;
  /** Checks an arriving request against the service's advertised wait; records a violation. */
  checkArrival(
    service: ServiceName,
    route: string,
    requestId: string,
    arrivedAtMs: number,
  ): RetryAfterViolation | undefined;
}

export interface LedgerOptions {
  /**
   * Requests arriving within this many ms after a throttle reply was sent are treated as
   * already in flight when the client read the reply, not as violations.
   */
  readonly inFlightGraceMs: number;
}

export function createLedger(options: LedgerOptions): CoreLedger {
  let entries: LedgerEntry[] = [];
  let violations: RetryAfterViolation[] = [];
  let seq = 0;
  const waits = new Map<ServiceName, { untilMs: number; sentAtMs: number }>();
  let documentSource: StoredDocumentSource | undefined;

  return {
    nextSeq: () => {
      seq += 1;
      return seq;
    },
    add: (entry) => {
      entries.push(entry);
    },
    noteAdvertisedWait: (service, untilMs, sentAtMs) => {
      const current = waits.get(service);
      if (!current || untilMs > current.untilMs) waits.set(service, { untilMs, sentAtMs });
    },
    checkArrival: (service, route, requestId, arrivedAtMs) => {
      const wait = waits.get(service);
      if (!wait || arrivedAtMs >= wait.untilMs) return undefined;
      if (arrivedAtMs - wait.sentAtMs < options.inFlightGraceMs) return undefined;
      const violation: RetryAfterViolation = {
        service,
        route,
        requestId,
        arrivedAtMs,
        waitUntilMs: wait.untilMs,
        earlyByMs: wait.untilMs - arrivedAtMs,
        afterThrottleReplyMs: arrivedAtMs - wait.sentAtMs,
      };
      violations.push(violation);
      return violation;
    },
    entries: () => [...entries].sort((a, b) => a.seq - b.seq),
    violations: () => [...violations],
    violationCounts: () => {
      const counts = Object.fromEntries(SERVICE_NAMES.map((name) => [name, 0])) as Record<
        ServiceName,
        number
      >;
      for (const v of violations) counts[v.service] += 1;
      return counts;
    },
    documents: (indexName) => documentSource?.documents(indexName),
    indexNames: () => documentSource?.indexNames() ?? [],
    registerDocumentSource: (source) => {
      documentSource = source;
    },
    clear: () => {
      entries = [];
      violations = [];
      waits.clear();
    },
  };
}
