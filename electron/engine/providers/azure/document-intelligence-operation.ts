/**
 * One Document Intelligence analyze operation: the POST (through the `documentIntelligence.analyze`
 * limiter) and the polling of its `Operation-Location` (every GET through the
 * `documentIntelligence.poll` limiter), waiting at least what each answer's `Retry-After` asks.
 * A failed or cancelled operation, or one that runs past the deadline, fails with a message that
 * carries the service's own words and request id.
 */
import {
  type AnalyzeOperationOutput,
  type AnalyzeResultOutput,
  type DocumentIntelligenceClient,
  type DocumentIntelligenceErrorOutput,
  isUnexpected,
} from '@azure-rest/ai-document-intelligence';
import { QuarryError } from '../../../contract';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import { waitMs } from '../../pipeline/scheduler/wait';
import { type OperationStore, operationKey } from './document-intelligence-operation-store';
import {
  headerReader,
  httpErrorFromResponse,
  parseRetryAfterMs,
  requestIdFrom,
  toQuarryError,
} from './errors';

/** Content types the analyze operation takes as raw bytes (others go as octet-stream). */
const RAW_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/bmp',
  'image/heif',
  'text/html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;
type RawContentType = (typeof RAW_CONTENT_TYPES)[number] | 'application/octet-stream';

export function analyzeContentType(mimeType: string): RawContentType {
  return RAW_CONTENT_TYPES.find((known) => known === mimeType) ?? 'application/octet-stream';
}

export interface AnalyzeRequest {
  bytes: Uint8Array;
  mimeType: string;
  /** For messages only. */
  fileName: string;
  /** 1-based page ranges (`1-2000`); all pages when undefined. */
  pages?: string;
}

export interface AnalyzeOperationOptions {
  client: DocumentIntelligenceClient;
  /** The configured endpoint: the key is only ever sent to its origin. */
  endpoint: string;
  modelId: string;
  limiters: { analyze: ServiceLimiter; poll: ServiceLimiter };
  /** Wait between polls when the service does not say (Retry-After). */
  pollIntervalInMs: number;
  /** Give up on an operation still running after this long. */
  maxOperationInMs: number;
  /** Operations in flight, so a restarted run polls what it already paid for. */
  operations?: { store: OperationStore; apiVersion: string };
  abortSignal?: AbortSignal;
}

const ANALYZE = { service: 'documentIntelligence.analyze' } as const;
const POLL = { service: 'documentIntelligence.poll' } as const;
const RETRYABLE_OPERATION_CODES = new Set(['InternalServerError', 'ServiceUnavailable', 'Timeout']);

interface Accepted {
  operationLocation: string;
  retryAfterMs: number | undefined;
  requestId: string | undefined;
}

async function startAnalyze(request: AnalyzeRequest, options: AnalyzeOperationOptions): Promise<Accepted> {
  const { client, modelId, limiters } = options;
  const context = { ...ANALYZE, endpoint: options.endpoint };
  return limiters.analyze.run(
    async (signal) => {
      let response: Awaited<ReturnType<ReturnType<DocumentIntelligenceClient['path']>['post']>>;
      try {
        response = await client.path('/documentModels/{modelId}:analyze', modelId).post({
          contentType: analyzeContentType(request.mimeType),
          body: request.bytes,
          queryParameters: {
            outputContentFormat: 'markdown',
            // JS strings are UTF-16: offsets then index `content` directly.
            stringIndexType: 'utf16CodeUnit',
            ...(request.pages ? { pages: request.pages } : {}),
          },
          abortSignal: signal,
        });
      } catch (error) {
        throw toQuarryError(error, context);
      }
      if (isUnexpected(response)) throw httpErrorFromResponse(response, context);
      const headers = headerReader(response.headers);
      const operationLocation = headers.get('operation-location');
      if (!operationLocation) {
        throw new QuarryError(
          'service',
          'Document Intelligence accepted the document but named no operation to poll',
          {
            retryable: true,
            reason: 'no_operation_location',
            ...requestIdOption(requestIdFrom(headers)),
          },
        );
      }
      return {
        operationLocation,
        retryAfterMs: parseRetryAfterMs(headers),
        requestId: requestIdFrom(headers),
      };
    },
    { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) },
  );
}

function requestIdOption(requestId: string | undefined): { requestId?: string } {
  return requestId ? { requestId } : {};
}

/** The key travels with every poll: follow only URLs on the configured endpoint's origin. */
function checkedOperationUrl(
  operationLocation: string,
  endpoint: string,
  requestId: string | undefined,
): string {
  const expected = new URL(endpoint).origin;
  let url: URL | undefined;
  try {
    url = new URL(operationLocation);
  } catch {
    url = undefined;
  }
  if (url?.origin !== expected) {
    throw new QuarryError(
      'service',
      `Document Intelligence named an operation to poll outside ${expected} (${url?.origin ?? 'not a URL'}); Quarry does not send the key there`,
      { retryable: false, reason: 'foreign_operation_location', ...requestIdOption(requestId) },
    );
  }
  return url.toString();
}

interface PollAnswer {
  operation: AnalyzeOperationOutput;
  retryAfterMs: number | undefined;
}

function isAnalyzeOperation(body: unknown): body is AnalyzeOperationOutput {
  return (
    typeof body === 'object' && body !== null && typeof (body as { status?: unknown }).status === 'string'
  );
}

async function pollOnce(url: string, options: AnalyzeOperationOptions): Promise<PollAnswer> {
  const context = { ...POLL, endpoint: options.endpoint };
  return options.limiters.poll.run(
    async (signal) => {
      let response: Awaited<ReturnType<ReturnType<DocumentIntelligenceClient['pathUnchecked']>['get']>>;
      try {
        response = await options.client.pathUnchecked(url).get({ abortSignal: signal });
      } catch (error) {
        throw toQuarryError(error, context);
      }
      if (response.status !== '200') throw httpErrorFromResponse(response, context);
      const body: unknown = response.body;
      if (!isAnalyzeOperation(body)) {
        throw new QuarryError(
          'service',
          'Document Intelligence answered a poll without an operation status',
          {
            retryable: true,
            reason: 'bad_poll_response',
            ...requestIdOption(requestIdFrom(headerReader(response.headers))),
          },
        );
      }
      return { operation: body, retryAfterMs: parseRetryAfterMs(headerReader(response.headers)) };
    },
    { ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) },
  );
}

function describeServiceError(error: DocumentIntelligenceErrorOutput | undefined): string {
  if (!error) return 'no reason given';
  const inner = error.innererror?.message;
  const detail = error.details?.find((item) => item.message && item.message !== error.message);
  const extra =
    inner ??
    (detail ? `${detail.code}: ${detail.message}${detail.target ? ` (page ${detail.target})` : ''}` : '');
  return `${error.code}: ${error.message}${extra ? ` — ${extra}` : ''}`;
}

function operationFailed(
  operation: AnalyzeOperationOutput,
  request: AnalyzeRequest,
  requestId: string | undefined,
): QuarryError {
  const canceled = operation.status === 'canceled';
  const what = request.pages ? `${request.fileName} (pages ${request.pages})` : request.fileName;
  const message = canceled
    ? `Document Intelligence cancelled the analysis of ${what}`
    : `Document Intelligence could not analyse ${what}: ${describeServiceError(operation.error)}`;
  return new QuarryError('service', message, {
    retryable: !canceled && RETRYABLE_OPERATION_CODES.has(operation.error?.code ?? ''),
    reason: canceled ? 'analysis_canceled' : 'analysis_failed',
    ...requestIdOption(requestId),
  });
}

async function sleep(ms: number, abortSignal: AbortSignal | undefined): Promise<void> {
  try {
    await waitMs(ms, abortSignal ? { abortSignal } : {});
  } catch (reason) {
    throw new QuarryError('cancelled', 'Cancelled', { retryable: false, cause: reason });
  }
}

/**
 * Analyzes one document (or one page range of it) and returns the service's result. An operation
 * an earlier run started for the same bytes is polled instead of paying for a new analysis.
 */
export async function analyzeDocument(
  request: AnalyzeRequest,
  options: AnalyzeOperationOptions,
): Promise<AnalyzeResultOutput> {
  const { operations } = options;
  if (!operations) return runOperation(await startAnalyze(request, options), request, options);
  const key = operationKey(request.bytes, options.modelId, operations.apiVersion, request.pages);
  const earlier = await operations.store.get(key);
  if (earlier) {
    try {
      const result = await runOperation(
        { operationLocation: earlier, retryAfterMs: 0, requestId: undefined },
        request,
        options,
      );
      await operations.store.delete(key);
      return result;
    } catch (error) {
      if (error instanceof QuarryError && error.code === 'cancelled') throw error;
      // Expired, failed or unknown to the service: analyze again below.
      await operations.store.delete(key);
    }
  }
  const accepted = await startAnalyze(request, options);
  await operations.store.put(key, accepted.operationLocation);
  const result = await runOperation(accepted, request, options);
  await operations.store.delete(key);
  return result;
}

async function runOperation(
  accepted: Accepted,
  request: AnalyzeRequest,
  options: AnalyzeOperationOptions,
): Promise<AnalyzeResultOutput> {
  const url = checkedOperationUrl(accepted.operationLocation, options.endpoint, accepted.requestId);
  const deadline = Date.now() + options.maxOperationInMs;
  let waitInMs = accepted.retryAfterMs ?? options.pollIntervalInMs;
  for (;;) {
    await sleep(waitInMs, options.abortSignal);
    const { operation, retryAfterMs } = await pollOnce(url, options);
    if (operation.status === 'succeeded') {
      if (!operation.analyzeResult) {
        throw new QuarryError(
          'service',
          `Document Intelligence finished ${request.fileName} without a result`,
          {
            retryable: true,
            reason: 'empty_result',
            ...requestIdOption(accepted.requestId),
          },
        );
      }
      return operation.analyzeResult;
    }
    if (operation.status === 'failed' || operation.status === 'canceled') {
      throw operationFailed(operation, request, accepted.requestId);
    }
    if (Date.now() >= deadline) {
      throw new QuarryError(
        'service',
        `Document Intelligence did not finish analysing ${request.fileName} within ${Math.round(options.maxOperationInMs / 1000)} s (still "${operation.status}")`,
        { retryable: true, reason: 'analysis_timeout', ...requestIdOption(accepted.requestId) },
      );
    }
    // The service's Retry-After is a floor: polling sooner would only be refused or counted against us.
    waitInMs = Math.max(retryAfterMs ?? 0, options.pollIntervalInMs);
  }
}
