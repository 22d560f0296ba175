import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScenarioFaultInjector } from './faults';
import {
  BodyTooLargeError,
  encodeBody,
  hasHeader,
  mergeHeaders,
  readSimRequest,
  resetConnection,
  writeChunk,
} from './http-io';
import type { CoreLedger } from './ledger';
import { latencyMs } from './profiles';
import { advertisedRetryAt, retryAfterHeaders } from './retry-headers';
import { sleep, untilAborted } from './sleep';
import type {
  FaultClass,
  FiredFault,
  LatencyKey,
  LedgerOutcome,
  QuotaBuckets,
  RetryAfterVariant,
  SeededRandom,
  SimContext,
  SimKeys,
  SimProfile,
  SimReply,
  SimRequest,
  SimResponse,
  SimService,
} from './types';
import { isConnectionAction, REQUEST_FAULTS } from './types';

/** Long enough that no client waits it out in a test: a day, as Azure's exhausted-quota 429s. */
export const QUOTA_EXHAUSTED_RETRY_AFTER_MS = 86_400_000;
const DEFAULT_FAULT_RETRY_AFTER_MS = 1000;
const DEFAULT_TRUNCATE_AFTER_CHUNKS = 2;
const STREAM_CUT_DELAY_MS = 50;

/** Everything the request flow needs; owned by the server. */
export interface PipelineDeps {
  readonly services: readonly SimService[];
  readonly keys: SimKeys;
  readonly ledger: CoreLedger;
  readonly faults: ScenarioFaultInjector;
  readonly quotas: QuotaBuckets;
  readonly rng: SeededRandom;
  readonly maxBodyBytes: number;
  /** Aborted when the sim closes. */
  readonly closing: AbortSignal;
  profile(): SimProfile;
  baseUrl(): string;
  now(): number;
}

/** What the ledger learns while a request is served. */
interface Progress {
  status: number;
  outcome: LedgerOutcome;
  responseBytes: number;
  fault?: FaultClass;
  retryAfterMs?: number;
  notes?: Readonly<Record<string, string | number | boolean>>;
}

function headerVariants(
  rule: FiredFault['rule'] | undefined,
  fallback: RetryAfterVariant | readonly RetryAfterVariant[],
): RetryAfterVariant | readonly RetryAfterVariant[] {
  return rule?.retryAfter ?? fallback;
}

/** A throttle reply: the service's envelope plus retry hint headers. */
function throttleReply(
  service: SimService,
  req: SimRequest,
  retryAfterMs: number,
  variants: RetryAfterVariant | readonly RetryAfterVariant[],
  nowMs: number,
): SimResponse {
  const base = service.errors.throttled(req, retryAfterMs);
  return { ...base, headers: mergeHeaders(base.headers, retryAfterHeaders(variants, retryAfterMs, nowMs)) };
}

/** Applies a request-level fault, or returns undefined to serve normally. */
function requestFaultReply(
  fired: FiredFault,
  service: SimService,
  req: SimRequest,
  nowMs: number,
): SimReply | undefined {
  const rule = fired.rule;
  switch (rule.fault) {
    case 'throttle':
      return throttleReply(
        service,
        req,
        rule.retryAfterMs ?? DEFAULT_FAULT_RETRY_AFTER_MS,
        headerVariants(rule, service.throttleHeaders),
        nowMs,
      );
    case 'quotaExhausted': {
      const fallback = service.throttleHeaders === 'none' ? 'seconds' : service.throttleHeaders;
      return throttleReply(
        service,
        req,
        rule.retryAfterMs ?? QUOTA_EXHAUSTED_RETRY_AFTER_MS,
        headerVariants(rule, fallback),
        nowMs,
      );
    }
    case 'unavailable': {
      const base = service.errors.unavailable(req);
      const hint = retryAfterHeaders(
        rule.retryAfter ?? 'none',
        rule.retryAfterMs ?? DEFAULT_FAULT_RETRY_AFTER_MS,
        nowMs,
      );
      return { ...base, headers: mergeHeaders(base.headers, hint) };
    }
    case 'internalError':
      return service.errors.internalError(req);
    case 'connectionReset':
      return { connection: 'reset' };
    case 'stall':
      return rule.stallMs === undefined
        ? { connection: 'stall' }
        : { connection: 'stall', forMs: rule.stallMs };
    default:
      return undefined;
  }
}

/** Cuts a chunk stream after `afterChunks` chunks, then ends or breaks the connection. */
async function* truncated(
  chunks: AsyncIterable<string | Buffer>,
  afterChunks: number,
  ending: 'reset' | 'end',
): AsyncIterable<string | Buffer> {
  let delivered = 0;
  for await (const chunk of chunks) {
    if (delivered >= afterChunks) break;
    yield chunk;
    delivered += 1;
  }
  if (ending === 'reset') throw new Error('truncateStream fault: connection dropped mid-stream');
}

async function writeResponse(
  res: ServerResponse,
  reply: SimResponse,
  headers: Record<string, string>,
  progress: Progress,
  /** Aborted when the client goes away: a stream that stops then was stopped by the client. */
  clientSignal?: AbortSignal,
): Promise<void> {
  progress.status = reply.status;
  const body = reply.body;
  if (body.kind !== 'stream') {
    const { bytes, contentType } = encodeBody(body);
    const withType: Record<string, string> =
      contentType && !hasHeader(headers, 'content-type') ? { 'Content-Type': contentType } : {};
    res.writeHead(reply.status, mergeHeaders(withType, headers, { 'Content-Length': String(bytes.length) }));
    res.end(bytes);
    progress.responseBytes = bytes.length;
    return;
  }
  res.writeHead(reply.status, headers);
  res.flushHeaders();
  try {
    for await (const chunk of body.chunks) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (!(await writeChunk(res, buffer))) {
        progress.outcome = 'clientAborted';
        return;
      }
      progress.responseBytes += buffer.length;
    }
    res.end();
  } catch {
    if (clientSignal?.aborted) {
      // The client hung up while a piece was being prepared (a paced stream's sleep aborted).
      progress.outcome = 'clientAborted';
      res.destroy();
      return;
    }
    // A stream that throws stands for a dropped connection: close the socket mid-body, leaving
    // the chunked body incomplete. Wait a moment first so the chunks already sent are read by
    // the client before its stream errors (an errored web stream drops what it had queued).
    progress.outcome = progress.fault === 'truncateStream' ? 'truncated' : 'reset';
    await sleep(STREAM_CUT_DELAY_MS).catch(() => undefined);
    res.socket?.destroy();
    res.destroy();
  }
}

function buildContext(
  deps: PipelineDeps,
  service: SimService,
  req: SimRequest,
  route: string,
  signal: AbortSignal,
): SimContext {
  const profile = deps.profile();
  const workDurationMs = (key: LatencyKey, units: number): number =>
    latencyMs(profile.latency[key], units, deps.rng.next());
  return {
    baseUrl: deps.baseUrl(),
    profile,
    rng: deps.rng,
    ledger: deps.ledger,
    faults: deps.faults,
    quotas: deps.quotas,
    keys: deps.keys,
    route,
    signal,
    now: deps.now,
    sleep: (ms, s) => sleep(ms, s ?? signal),
    workDurationMs,
    work: (key, units) => sleep(workDurationMs(key, units), signal),
    throttled: (retryAfterMs) => {
      const reply = throttleReply(service, req, retryAfterMs, service.throttleHeaders, deps.now());
      return { ...reply, notes: { ...reply.notes, quotaThrottle: true } };
    },
  };
}

/** Picks the reply: routing, auth, request faults, then the service itself. */
async function produceReply(
  deps: PipelineDeps,
  service: SimService,
  req: SimRequest,
  route: string | undefined,
  signal: AbortSignal,
  progress: Progress,
): Promise<SimReply> {
  if (route === undefined) return service.errors.notFound(req);
  if (!service.isAuthorized(req, deps.keys)) return service.errors.unauthorized(req);
  const fired = deps.faults.take(route, REQUEST_FAULTS);
  if (fired) {
    progress.fault = fired.rule.fault;
    const faultReply = requestFaultReply(fired, service, req, deps.now());
    if (faultReply) return faultReply;
  }
  return service.handle(req, buildContext(deps, service, req, route, signal));
}

/** Serves one HTTP exchange end to end and records it in the ledger. */
export async function handleHttpRequest(
  deps: PipelineDeps,
  rawReq: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const receivedAtMs = deps.now();
  const seq = deps.ledger.nextSeq();
  const requestAbort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) requestAbort.abort();
  });
  const signal = AbortSignal.any([requestAbort.signal, deps.closing]);
  const progress: Progress = { status: 0, outcome: 'responded', responseBytes: 0 };

  let req: SimRequest;
  try {
    req = await readSimRequest(rawReq, receivedAtMs, deps.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError && !res.headersSent) {
      res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
      res.end('Request Entity Too Large');
    } else res.destroy();
    return;
  }

  const service = deps.services.find((s) => s.owns(req));
  const route = service?.routeOf(req);
  const violation = service
    ? deps.ledger.checkArrival(service.name, route ?? 'unknown', req.id, receivedAtMs)
    : undefined;

  try {
    if (!service) {
      progress.status = 404;
      res.writeHead(404, { 'Content-Type': 'application/json' });
      const text = JSON.stringify({
        error: { code: 'NotFound', message: `No simulated service at ${req.path}` },
      });
      res.end(text);
      progress.responseBytes = Buffer.byteLength(text);
      return;
    }
    let reply = await produceReply(deps, service, req, route, signal, progress);

    if (isConnectionAction(reply)) {
      if (reply.connection === 'reset') {
        progress.outcome = 'reset';
        resetConnection(res);
        return;
      }
      if (reply.forMs === undefined) {
        progress.outcome = 'stalled';
        await untilAborted(signal);
        return;
      }
      await sleep(reply.forMs, signal);
      reply = await service.handle(req, buildContext(deps, service, req, route ?? 'unknown', signal));
      if (isConnectionAction(reply)) {
        progress.outcome = reply.connection === 'reset' ? 'reset' : 'stalled';
        resetConnection(res);
        return;
      }
    }

    if (reply.body.kind === 'stream' && route) {
      const cut = deps.faults.take(route, ['truncateStream']);
      if (cut) {
        progress.fault = 'truncateStream';
        const chunks = truncated(
          reply.body.chunks,
          cut.rule.afterChunks ?? DEFAULT_TRUNCATE_AFTER_CHUNKS,
          cut.rule.ending ?? 'reset',
        );
        reply = { ...reply, body: { kind: 'stream', chunks } };
      }
    }

    progress.notes = reply.notes;
    const headers = mergeHeaders(service.responseHeaders(req, reply.status), reply.headers);
    if (reply.status === 429 || reply.status === 503) {
      const sentAtMs = deps.now();
      const retryAt = advertisedRetryAt(headers, sentAtMs);
      if (retryAt !== undefined) {
        progress.retryAfterMs = Math.max(0, retryAt - sentAtMs);
        deps.ledger.noteAdvertisedWait(service.name, retryAt, sentAtMs);
      }
    }
    await writeResponse(res, reply, headers, progress, signal);
  } catch (error) {
    if (signal.aborted) {
      progress.outcome = 'clientAborted';
    } else {
      console.error('[azure-sim] handler failed:', error);
      if (!res.headersSent && service) {
        const reply = service.errors.internalError(req);
        const { bytes } = encodeBody(reply.body.kind === 'stream' ? { kind: 'empty' } : reply.body);
        progress.status = reply.status;
        res.writeHead(reply.status, mergeHeaders({ 'Content-Type': 'application/json' }, reply.headers));
        res.end(bytes);
      } else res.destroy();
    }
  } finally {
    if (res.headersSent === false && signal.aborted && progress.outcome === 'responded') {
      progress.outcome = 'clientAborted';
    }
    deps.ledger.add({
      seq,
      requestId: req.id,
      receivedAtMs,
      finishedAtMs: deps.now(),
      service: service?.name ?? 'unknown',
      route: route ?? 'unknown',
      method: req.method,
      path: req.path,
      status: progress.status,
      outcome: progress.outcome,
      requestBytes: req.body.length,
      responseBytes: progress.responseBytes,
      retryAfterViolation: violation !== undefined,
      ...(progress.fault ? { fault: progress.fault } : {}),
      ...(progress.retryAfterMs !== undefined ? { retryAfterMs: progress.retryAfterMs } : {}),
      ...(progress.notes ? { notes: progress.notes } : {}),
    });
  }
}
