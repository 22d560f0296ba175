/**
 * The Azure simulator's plug-in contract. Every simulated service (OpenAI, Document
 * Intelligence, Vision, AI Search) is a `SimService`; the core (test/azure-sim/core/server.ts)
 * owns HTTP, request ids, auth, fault injection, quotas, latency, Retry-After bookkeeping and the
 * ledger, and calls the service only for requests that passed all of that.
 *
 * Request flow in the core, in this order:
 *   1. read the whole body, give the request an id and a receive time;
 *   2. find the service whose `owns(req)` is true (none -> plain 404);
 *   3. `routeOf(req)` names the route (undefined -> `errors.notFound`);
 *   4. count a Retry-After violation if the service had told the client to wait longer;
 *   5. `isAuthorized(req, keys)` (false -> `errors.unauthorized`);
 *   6. request-level faults for the route (throttle, unavailable, internalError, quotaExhausted,
 *      connectionReset, stall), see `REQUEST_FAULTS`;
 *   7. `handle(req, ctx)` — the service applies its own quotas (`ctx.quotas`, `ctx.throttled`),
 *      latency (`ctx.work`) and service-level faults (`ctx.faults.take`: itemErrors, lroFailed,
 *      lroNeverFinishes, contentFilter);
 *   8. response faults (truncateStream), `responseHeaders` merged under the reply's own headers,
 *      the reply written, a ledger entry recorded.
 *
 * Keep this file stable: services written by other engineers compile against it.
 */

/** The four simulated services. */
export type ServiceName = 'openai' | 'documentIntelligence' | 'vision' | 'search';

export const SERVICE_NAMES: readonly ServiceName[] = ['openai', 'documentIntelligence', 'vision', 'search'];

/** One API key per service (Search: the admin key). */
export type SimKeys = Readonly<Record<ServiceName, string>>;

// ---- requests and replies -------------------------------------------------------------------

/** An incoming HTTP request, fully read. */
export interface SimRequest {
  /** GUID the core generated; services put it in `apim-request-id` / `request-id`. */
  readonly id: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Percent-decoded path without the query, e.g. `/indexes('docs')/docs/search.post.search`. */
  readonly path: string;
  /** The path exactly as sent (still percent-encoded). */
  readonly rawPath: string;
  /** Query parameters (keys as sent; Azure matches `api-version` exactly). */
  readonly query: URLSearchParams;
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw request body (empty Buffer when none). */
  readonly body: Buffer;
  /** Epoch milliseconds at which the request head arrived. */
  readonly receivedAtMs: number;
}

/** What a reply carries. `json` and `text` get a Content-Type unless the reply sets one. */
export type SimBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  /**
   * Chunked body written as it is produced (SSE). Yield one SSE event (`data: …\n\n`) per chunk:
   * the truncateStream fault cuts between chunks. If the iterable throws, the core destroys the
   * socket, so the client sees a broken chunked body, as with a dropped connection.
   */
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<string | Buffer> };

/** A normal HTTP reply. */
export interface SimResponse {
  readonly status: number;
  /** Header names as they should appear on the wire; they win over `responseHeaders`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: SimBody;
  /** Free-form facts for the ledger entry (tokens counted, pages read, …). */
  readonly notes?: Readonly<Record<string, string | number | boolean>>;
}

/** A reply that breaks the connection instead of answering. */
export type SimConnectionAction =
  /** Destroy the socket without a response (the client sees ECONNRESET / "socket hang up"). */
  | { readonly connection: 'reset' }
  /** Send nothing for `forMs` (forever when omitted, until the client or the sim gives up). */
  | { readonly connection: 'stall'; readonly forMs?: number };

export type SimReply = SimResponse | SimConnectionAction;

export function isConnectionAction(reply: SimReply): reply is SimConnectionAction {
  return 'connection' in reply;
}

// ---- services -------------------------------------------------------------------------------

/** Error replies the core needs from a service, in that service's exact Azure envelope. */
export interface ServiceErrorEnvelopes {
  /** Bad or missing key (Cognitive Services gateway 401; Search 403). */
  unauthorized(req: SimRequest): SimResponse;
  /**
   * 429 in the service's envelope. Retry headers are added by the core according to the fault's
   * or the service's header variant; `retryAfterMs` is only for message text such as "Please
   * retry after 2 seconds". (Search's load throttling is a 503: use `unavailable` for that.)
   */
  throttled(req: SimRequest, retryAfterMs: number): SimResponse;
  /** 503 transient error. */
  unavailable(req: SimRequest): SimResponse;
  /** 500 unexpected error. */
  internalError(req: SimRequest): SimResponse;
  /** Unknown route under this service's prefix. */
  notFound(req: SimRequest): SimResponse;
}

export interface SimService {
  readonly name: ServiceName;
  /**
   * Which Retry-After headers this service sends on its 429s (quota buckets, `throttle` faults
   * without a `retryAfter`): OpenAI `Retry-After` + `retry-after-ms`, DI/Vision `Retry-After`.
   */
  readonly throttleHeaders: RetryAfterVariant | readonly RetryAfterVariant[];
  /** True when the path belongs to this service (a prefix check; no auth, no route match). */
  owns(req: SimRequest): boolean;
  /**
   * Stable route id used by faults, quotas and the ledger, e.g. `openai.embeddings`,
   * `documentIntelligence.analyze`, `documentIntelligence.poll`, `vision.analyze`,
   * `search.query`. Undefined when no route matches (the core answers `errors.notFound`).
   */
  routeOf(req: SimRequest): string | undefined;
  /** Key check (`api-key`, `Ocp-Apim-Subscription-Key`, `Authorization: Bearer`). */
  isAuthorized(req: SimRequest, keys: SimKeys): boolean;
  /**
   * Headers this service puts on every reply (success, error and fault): request ids, region,
   * client request id echo, rate-limit headers… `status` lets gateway-level errors (401, 429)
   * omit what Azure omits there.
   */
  responseHeaders(req: SimRequest, status: number): Record<string, string>;
  /** Serve one authorised request for a route `routeOf` recognised. */
  handle(req: SimRequest, ctx: SimContext): Promise<SimReply>;
  readonly errors: ServiceErrorEnvelopes;
  /** Drop all state (stored indexes, LRO results). Called by `AzureSim.reset()`. */
  reset?(): void;
  /** Stop timers; called when the sim closes. */
  dispose?(): void;
}

/** What a service factory receives once, when the sim starts. */
export interface SimServiceSetup {
  readonly ledger: SimLedger;
  readonly options: SimServiceOptions;
}

/** Service-specific knobs (all optional; defaults are documented in README.md). */
export interface SimServiceOptions {
  /** Azure region reported in `x-ms-region`. Default `East US`. */
  readonly region: string;
  /** OpenAI deployments known to the sim; unknown names get 404 DeploymentNotFound. */
  readonly openAiDeployments: readonly OpenAiDeployment[];
  /** Search: delay between a successful index batch and the documents becoming searchable. */
  readonly searchVisibilityDelayMs: number;
}

export interface OpenAiDeployment {
  readonly name: string;
  /** Model reported in responses, e.g. `text-embedding-3-small`, `gpt-4o-mini`. */
  readonly model: string;
  /** `completions`: a legacy model (e.g. text-davinci-002) that refuses both operations. */
  readonly kind: 'embeddings' | 'chat' | 'completions';
  /** Native embedding size (3-small: 1536, 3-large: 3072); `dimensions` may shrink it. */
  readonly dimensions?: number;
  /** Tokens per minute (RPM = 6 per 1000 TPM, as Azure derives it). Overrides the profile. */
  readonly tokensPerMinute?: number;
  /**
   * Chat: the model's context window (prompt + `max_tokens`); longer requests get Azure's 400
   * `context_length_exceeded`. Default 128 000 (gpt-4o-mini).
   */
  readonly contextTokens?: number;
}

export type SimServiceFactory = (setup: SimServiceSetup) => SimService;

// ---- per-request context --------------------------------------------------------------------

export interface SimContext {
  /** The sim's own origin, e.g. `http://127.0.0.1:43123` (no trailing slash): use it in
   *  `Operation-Location`. */
  readonly baseUrl: string;
  readonly profile: SimProfile;
  /** Seeded random numbers; deterministic for a given seed and request order. */
  readonly rng: SeededRandom;
  readonly ledger: SimLedger;
  readonly faults: FaultInjector;
  readonly quotas: QuotaBuckets;
  readonly keys: SimKeys;
  /** The route id of this request (from `routeOf`). */
  readonly route: string;
  /** Aborted when the client disconnects or the sim closes; pass it to every wait. */
  readonly signal: AbortSignal;
  /** Epoch milliseconds (the sim's clock). */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Latency from the profile for `units` of work on `key` (e.g. 'openai.embeddings', tokens). */
  workDurationMs(key: LatencyKey, units: number): number;
  /** Sleeps `workDurationMs(key, units)` (no-op in the instant profile). */
  work(key: LatencyKey, units: number): Promise<void>;
  /**
   * The service's throttle reply for this request (its envelope plus its `throttleHeaders`),
   * recorded as a throttle in the ledger. Use it when `quotas.take` refuses.
   */
  throttled(retryAfterMs: number): SimResponse;
}

// ---- profiles, latency and quotas -----------------------------------------------------------

export type ProfileName = 'instant' | 'realistic';

/**
 * Latency keys and their unit:
 *   openai.embeddings (per input token), openai.chat (per output token),
 *   documentIntelligence.analyze (per page, time from 202 to `succeeded`),
 *   documentIntelligence.request (per request, the 202 / poll round trip),
 *   vision.analyze (per request), search.query (per request), search.index (per document),
 *   search.management (per request).
 */
export type LatencyKey =
  | 'openai.embeddings'
  | 'openai.chat'
  | 'documentIntelligence.analyze'
  | 'documentIntelligence.request'
  | 'vision.analyze'
  | 'search.query'
  | 'search.index'
  | 'search.management';

export interface LatencyModel {
  /** Fixed part, once per call. */
  readonly baseMs: number;
  /** Added per unit of work (token, page, document). */
  readonly perUnitMs: number;
  /** Random spread, 0..1, applied as ±ratio of the total (from the seeded rng). */
  readonly jitterRatio: number;
}

/**
 * Token-bucket quota names (scope = OpenAI deployment name; others unscoped):
 *   openai.requests (RPM, enforced per 10 s as Azure does), openai.tokens (TPM),
 *   documentIntelligence.analyze (15/s S0), documentIntelligence.poll (50/s S0),
 *   vision.analyze (S1 ~10-20/s), search.query, search.index, search.management.
 */
export type QuotaName =
  | 'openai.requests'
  | 'openai.tokens'
  | 'documentIntelligence.analyze'
  | 'documentIntelligence.poll'
  | 'vision.analyze'
  | 'search.query'
  | 'search.index'
  | 'search.management';

export interface QuotaRule {
  /** Bucket size (the burst a client may spend at once). */
  readonly capacity: number;
  /** Units added back per second. */
  readonly refillPerSecond: number;
}

export interface SimProfile {
  readonly name: ProfileName;
  readonly latency: Readonly<Partial<Record<LatencyKey, LatencyModel>>>;
  /** A missing rule means unlimited. */
  readonly quotas: Readonly<Partial<Record<QuotaName, QuotaRule>>>;
  /** Per-deployment OpenAI TPM when the deployment does not set its own. */
  readonly openAiTokensPerMinute: number;
}

export interface QuotaCost {
  readonly name: QuotaName;
  /** Units to take (requests: 1; tokens: the estimate). */
  readonly cost: number;
  /** Separate bucket per scope (OpenAI: deployment name). */
  readonly scope?: string;
}

export type QuotaDecision =
  /** `remaining` per quota name after taking (Infinity when unlimited). */
  | { readonly allowed: true; readonly remaining: Readonly<Partial<Record<QuotaName, number>>> }
  /** Nothing was taken; `retryAfterMs` is when all buckets would have enough. */
  | {
      readonly allowed: false;
      readonly retryAfterMs: number;
      readonly remaining: Readonly<Partial<Record<QuotaName, number>>>;
    };

export interface QuotaBuckets {
  /** Takes every cost atomically: all or nothing. */
  take(costs: readonly QuotaCost[]): QuotaDecision;
  /** Current level of a bucket (Infinity when unlimited), without taking. */
  remaining(name: QuotaName, scope?: string): number;
}

// ---- randomness -----------------------------------------------------------------------------

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [minInclusive, maxExclusive). */
  int(minInclusive: number, maxExclusive: number): number;
  /** An independent stream derived from this seed and `label` (stable across runs). */
  fork(label: string): SeededRandom;
}

// ---- faults ---------------------------------------------------------------------------------

/**
 * Fault classes a scenario can switch on per route:
 *   throttle        429 with the rule's `retryAfter` header variant (default: the service's)
 *   quotaExhausted  429 with a very long Retry-After (default 86400 s)
 *   unavailable     503, with or without Retry-After (`retryAfter`, default none)
 *   internalError   500
 *   connectionReset socket destroyed without a response
 *   stall           no response for `stallMs` (forever when omitted)
 *   truncateStream  streamed bodies cut after `afterChunks` chunks (`ending`: reset|end)
 *   itemErrors      Search index batch: `itemFraction` of items fail with `itemStatus` (207)
 *   lroFailed       DI: the operation ends `failed` (`errorCode`, `errorMessage`)
 *   lroNeverFinishes DI: the operation stays `running` forever
 *   contentFilter   OpenAI chat: 400 `content_filter` (`filterStage: prompt`) or a stream that
 *                   stops with `finish_reason: content_filter` (`filterStage: completion`)
 */
export type FaultClass =
  | 'throttle'
  | 'quotaExhausted'
  | 'unavailable'
  | 'internalError'
  | 'connectionReset'
  | 'stall'
  | 'truncateStream'
  | 'itemErrors'
  | 'lroFailed'
  | 'lroNeverFinishes'
  | 'contentFilter';

/** Faults the core applies before calling `handle` (the others are applied by services). */
export const REQUEST_FAULTS: readonly FaultClass[] = [
  'throttle',
  'quotaExhausted',
  'unavailable',
  'internalError',
  'connectionReset',
  'stall',
];

/**
 * Retry hint headers:
 *   seconds    `Retry-After: <ceil seconds>`        httpDate  `Retry-After: <IMF date>`
 *   ms         `retry-after-ms: <ms>`                xMsMs     `x-ms-retry-after-ms: <ms>`
 *   none       no hint at all
 */
export type RetryAfterVariant = 'seconds' | 'httpDate' | 'ms' | 'xMsMs' | 'none';

/** One rule of a scenario file (see README.md, "Scenario files"). */
export interface FaultRule {
  /** Route id, or a glob with `*` (e.g. `openai.*`, `search.index`, `*`). */
  readonly route: string;
  readonly fault: FaultClass;
  /** Chance that a matching request is hit, 0..1 (default 1), drawn from the seeded rng. */
  readonly probability?: number;
  /** Let this many matching requests through before the rule may fire (default 0). */
  readonly after?: number;
  /** Fire at most this many times (default unlimited). */
  readonly times?: number;
  /** Retry hint header(s) for throttle / unavailable / quotaExhausted. */
  readonly retryAfter?: RetryAfterVariant | readonly RetryAfterVariant[];
  /** The advertised wait (default 1000 ms; quotaExhausted 86 400 000 ms). */
  readonly retryAfterMs?: number;
  /** stall: how long to hold the response (omit = forever). */
  readonly stallMs?: number;
  /** truncateStream: chunks (SSE events) delivered before the cut (default 2). */
  readonly afterChunks?: number;
  /** truncateStream: `reset` destroys the socket (default); `end` ends the body cleanly. */
  readonly ending?: 'reset' | 'end';
  /** itemErrors: per-item status (default 503). */
  readonly itemStatus?: number;
  /** itemErrors: share of items that fail, 0..1 (default 0.5, at least one item). */
  readonly itemFraction?: number;
  /** lroFailed: the error code/message in the failed operation body. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /**
   * contentFilter (OpenAI chat): `prompt` (default) refuses the request with Azure's 400
   * `content_filter`; `completion` streams `afterChunks` content pieces (default 2), then stops
   * with `finish_reason: "content_filter"`.
   */
  readonly filterStage?: 'prompt' | 'completion';
}

export interface Scenario {
  /** Optional; the CLI/option seed wins when both are given. */
  readonly seed?: number;
  readonly rules: readonly FaultRule[];
}

/** A rule that fired for one request. */
export interface FiredFault {
  readonly rule: FaultRule;
  /** Index of the rule in the scenario. */
  readonly ruleIndex: number;
}

export interface FaultInjector {
  /**
   * The first rule for `route` whose fault is in `classes` and that fires for this request
   * (its counters advance). Services call it for itemErrors / lroFailed / lroNeverFinishes.
   */
  take(route: string, classes: readonly FaultClass[]): FiredFault | undefined;
}

// ---- ledger ---------------------------------------------------------------------------------

/** How a request ended on the wire. */
export type LedgerOutcome = 'responded' | 'reset' | 'stalled' | 'truncated' | 'clientAborted';

export interface LedgerEntry {
  /** 1-based order of arrival. */
  readonly seq: number;
  readonly requestId: string;
  readonly receivedAtMs: number;
  readonly finishedAtMs: number;
  readonly service: ServiceName | 'unknown';
  /** Route id, or `unknown`. */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  /** HTTP status sent (0 when the connection was reset before any status). */
  readonly status: number;
  readonly outcome: LedgerOutcome;
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** Fault class injected into this request, if any. */
  readonly fault?: FaultClass;
  /** The wait this reply asked for (429/503 with a retry hint). */
  readonly retryAfterMs?: number;
  /** True when the request arrived before the service's last advertised wait ended. */
  readonly retryAfterViolation: boolean;
  readonly notes?: Readonly<Record<string, string | number | boolean>>;
}

export interface RetryAfterViolation {
  readonly service: ServiceName;
  readonly route: string;
  readonly requestId: string;
  readonly arrivedAtMs: number;
  /** When the service had told the client it could come back. */
  readonly waitUntilMs: number;
  readonly earlyByMs: number;
  /** Arrival minus when the throttle reply was sent: a request sent before the client read it arrives soon after. */
  readonly afterThrottleReplyMs: number;
}

/** Read access to stored Search documents, registered by the Search service. */
export interface StoredDocumentSource {
  indexNames(): string[];
  /** Documents of one index as stored (vectors included), or undefined for an unknown index. */
  documents(indexName: string): Record<string, unknown>[] | undefined;
}

export interface SimLedger {
  /** Every finished request, in arrival order. */
  entries(): readonly LedgerEntry[];
  violations(): readonly RetryAfterViolation[];
  /** Violations counted per service (services with none are 0). */
  violationCounts(): Readonly<Record<ServiceName, number>>;
  /** Stored Search documents of one index (undefined when no such index). */
  documents(indexName: string): Record<string, unknown>[] | undefined;
  indexNames(): string[];
  /** Called once by the Search service. */
  registerDocumentSource(source: StoredDocumentSource): void;
  /** Forget entries and violations (documents stay; use `AzureSim.reset()` for those). */
  clear(): void;
}
