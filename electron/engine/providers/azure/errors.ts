/**
 * One mapping from whatever the Azure SDKs throw into QuarryError. Decisions use status codes,
 * headers, machine-readable error codes and error classes only — never message text.
 */
import { isRestError } from '@azure/core-rest-pipeline';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { type ErrorCode, QuarryError, type QuarryErrorInfo } from '../../../contract/errors';
import { describeDuration } from '../../pipeline/scheduler/service-labels';
import type { HeaderReader } from '../../pipeline/scheduler/types';
import { headerReader, requestIdFrom } from './response-headers';
import { parseRetryAfterMs } from './retry-after';

export { headerReader, requestIdFrom } from './response-headers';
export { parseRetryAfterMs } from './retry-after';

export interface AzureErrorContext {
  /** The limiter's ServiceName (`embeddings`, `documentIntelligence.analyze`, `search.index`…). */
  service: string;
  /** What a 404 means here, e.g. `deployment 'text-embedding-3-small'`, `index 'quarry'`. */
  resource?: string;
  /** The endpoint the call went to, for auth/404 messages (never a key). */
  endpoint?: string;
}

/** A QuarryError that also keeps the HTTP status and the service's own error code. */
export class AzureServiceError extends QuarryError {
  /** HTTP status, or undefined when no response arrived (network, abort). */
  readonly status: number | undefined;
  readonly service: string;
  /** The service's machine code (`DeploymentNotFound`, `InvalidArgument`, …) when it sent one. */
  readonly serviceCode: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: {
      service: string;
      status?: number;
      serviceCode?: string;
      retryable?: boolean;
      requestId?: string;
      reason?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(code, message, {
      ...(details.retryable !== undefined ? { retryable: details.retryable } : {}),
      ...(details.requestId !== undefined ? { requestId: details.requestId } : {}),
      ...(details.reason !== undefined ? { reason: details.reason } : {}),
      ...(details.retryAfterMs !== undefined ? { retryAfterMs: details.retryAfterMs } : {}),
      cause: details.cause,
    });
    this.name = 'AzureServiceError';
    this.status = details.status;
    this.service = details.service;
    this.serviceCode = details.serviceCode;
  }

  /** Keeps the HTTP status next to the request id, so a reported failure stays diagnosable. */
  override toInfo(): QuarryErrorInfo {
    return { ...super.toInfo(), ...(this.status !== undefined ? { status: this.status } : {}) };
  }
}

interface ServiceInfo {
  label: string;
  keyVariable: string;
  endpointVariable: string;
  /** The setting that names the thing a 404 could not find. */
  resourceVariable?: string;
}

function serviceInfo(service: string): ServiceInfo {
  if (service === 'embeddings' || service === 'chat' || service.startsWith('openai')) {
    return {
      label: service === 'chat' ? 'Azure OpenAI (chat)' : 'Azure OpenAI (embeddings)',
      keyVariable: 'AZURE_OPENAI_API_KEY',
      endpointVariable: 'AZURE_OPENAI_ENDPOINT',
      resourceVariable:
        service === 'chat' ? 'AZURE_OPENAI_CHAT_DEPLOYMENT' : 'AZURE_OPENAI_EMBEDDING_DEPLOYMENT',
    };
  }
  if (service.startsWith('documentIntelligence')) {
    return {
      label: 'Document Intelligence',
      keyVariable: 'AZURE_DOCUMENTINTELLIGENCE_KEY',
      endpointVariable: 'AZURE_DOCUMENTINTELLIGENCE_ENDPOINT',
    };
  }
  if (service.startsWith('vision')) {
    return {
      label: 'Azure AI Vision',
      keyVariable: 'AZURE_VISION_KEY',
      endpointVariable: 'AZURE_VISION_ENDPOINT',
    };
  }
  if (service.startsWith('search')) {
    return {
      label: 'Azure AI Search',
      keyVariable: 'AZURE_SEARCH_API_KEY',
      endpointVariable: 'AZURE_SEARCH_ENDPOINT',
      resourceVariable: 'AZURE_SEARCH_INDEX',
    };
  }
  return { label: service, keyVariable: 'the API key', endpointVariable: 'the endpoint' };
}

/** Human name of a service for messages ("Document Intelligence", "Azure OpenAI (embeddings)"). */
export function serviceLabel(service: string): string {
  return serviceInfo(service).label;
}

/** What the service said, as far as the error envelope (`{error:{code,message}}`) tells. */
interface ServiceDetail {
  code?: string;
  message?: string;
}

function envelopeDetail(body: unknown): ServiceDetail {
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : undefined;
  if (!error) return {};
  const inner = isRecord(error.innererror) ? error.innererror : undefined;
  const code = nonEmptyString(inner?.code) ?? nonEmptyString(error.code);
  const message = nonEmptyString(error.message);
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

const MAX_SERVICE_MESSAGE_CHARS = 300;

interface HttpFailure {
  status: number;
  headers: HeaderReader;
  detail: ServiceDetail;
  cause: unknown;
}

/** The core table: status (+ headers) -> code, retryability and a message that says what to do. */
function fromHttpFailure(failure: HttpFailure, context: AzureErrorContext): AzureServiceError {
  const { status, headers, detail } = failure;
  const info = serviceInfo(context.service);
  const serviceCode =
    detail.code ?? headers.get('x-ms-error-code') ?? headers.get('ms-azure-ai-errorcode') ?? undefined;
  const requestId = requestIdFrom(headers);
  const said = detail.message ? `: ${truncate(detail.message, MAX_SERVICE_MESSAGE_CHARS)}` : '';
  const tag = `HTTP ${status}${serviceCode ? ` ${serviceCode}` : ''}`;
  const at = context.endpoint ? ` at ${context.endpoint}` : '';
  const make = (
    code: ErrorCode,
    message: string,
    extra: { retryable: boolean; reason: string; retryAfterMs?: number },
  ): AzureServiceError =>
    new AzureServiceError(code, message, {
      service: context.service,
      status,
      ...(serviceCode ? { serviceCode } : {}),
      ...(requestId ? { requestId } : {}),
      retryable: extra.retryable,
      reason: extra.reason,
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
      cause: failure.cause,
    });

  if (status === 401 || status === 403) {
    return make(
      'auth',
      `${info.label} refused the credentials${at} (${tag}). Check ${info.keyVariable} and ${info.endpointVariable} ` +
        '(the key must belong to that resource), or the Entra ID role assignment.',
      { retryable: false, reason: status === 401 ? 'unauthorized' : 'forbidden' },
    );
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfterMs(headers);
    const wait = retryAfterMs !== undefined ? ` and asked to wait ${describeDuration(retryAfterMs)}` : '';
    return make('rate_limited', `${info.label} is throttling requests (${tag})${wait}${said}`, {
      retryable: true,
      reason: status === 429 ? 'throttled' : 'unavailable',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status === 404) {
    if (context.service === 'documentIntelligence.poll') {
      return make('service', `${info.label} no longer knows this analysis operation (${tag})${said}`, {
        retryable: false,
        reason: 'operation_not_found',
      });
    }
    const what = context.resource ?? 'the requested resource';
    const check = info.resourceVariable
      ? ` Check ${info.resourceVariable} and ${info.endpointVariable}.`
      : '';
    return make('invalid_input', `${info.label}: ${what} not found${at} (${tag}).${check}`, {
      retryable: false,
      reason: 'not_found',
    });
  }
  if (status === 400 || status === 413 || status === 415 || status === 422) {
    const reason =
      status === 413
        ? 'too_large'
        : status === 415
          ? 'unsupported_media_type'
          : status === 422
            ? 'unprocessable'
            : 'bad_request';
    return make('invalid_input', `${info.label} rejected the request (${tag})${said}`, {
      retryable: false,
      reason,
    });
  }
  if (status === 402) {
    return make(
      'quota_exhausted',
      `${info.label} quota is used up (${tag})${said}. Raise the tier or quota in the Azure portal, or try again later.`,
      { retryable: false, reason: 'payment_required' },
    );
  }
  if (status === 408) {
    return make('network', `${info.label} timed out waiting for the request (${tag})`, {
      retryable: true,
      reason: 'timeout',
    });
  }
  if (status >= 500) {
    // 501/505 say the request can never work; the other 5xx are transient (as the Azure SDK treats them).
    const retryable = status !== 501 && status !== 505;
    return make('service', `${info.label} failed (${tag})${said}`, { retryable, reason: 'server_error' });
  }
  return make('service', `${info.label} answered ${tag}${said}`, {
    retryable: false,
    reason: `http_${status}`,
  });
}

/** Socket-level failures worth another try (Node, undici and Azure core spell them as codes). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'REQUEST_SEND_ERROR',
]);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The first `code` in the error's cause chain that names a network failure. */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isRecord(current); depth += 1) {
    const code = current.code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = current.cause;
  }
  return undefined;
}

function isAbortError(error: unknown): boolean {
  return isRecord(error) && error.name === 'AbortError';
}

function isTimeoutError(error: unknown): boolean {
  return isRecord(error) && error.name === 'TimeoutError';
}

function networkError(
  context: AzureErrorContext,
  code: string | undefined,
  cause: unknown,
): AzureServiceError {
  const info = serviceInfo(context.service);
  const timeout = code === undefined || TIMEOUT_CODES.has(code);
  const at = context.endpoint ? ` at ${context.endpoint}` : '';
  const detail =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN'
      ? `could not resolve the host${at}; check ${info.endpointVariable} and the network`
      : code === 'ECONNREFUSED'
        ? `refused the connection${at}; check ${info.endpointVariable}`
        : timeout
          ? `did not answer in time${at}`
          : `dropped the connection${at}`;
  return new AzureServiceError('network', `${info.label} ${detail}${code ? ` (${code})` : ''}`, {
    service: context.service,
    retryable: true,
    reason: timeout ? 'timeout' : 'connection',
    cause,
  });
}

function cancelled(context: AzureErrorContext, cause: unknown): AzureServiceError {
  return new AzureServiceError('cancelled', 'Cancelled', {
    service: context.service,
    retryable: false,
    reason: 'aborted',
    cause,
  });
}

/**
 * Maps anything an Azure SDK call threw into a QuarryError (an AzureServiceError when it came
 * from the service). QuarryErrors pass through unchanged.
 */
export function toQuarryError(error: unknown, context: AzureErrorContext): QuarryError {
  if (error instanceof QuarryError) return error;
  // openai: APIUserAbortError and APIConnectionError extend APIError but carry no status.
  if (error instanceof APIUserAbortError) return cancelled(context, error);
  if (error instanceof APIConnectionTimeoutError) return networkError(context, 'ETIMEDOUT', error);
  if (error instanceof APIConnectionError)
    return networkError(context, networkCodeOf(error.cause) ?? 'ECONNRESET', error);
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error;
    const detail = envelopeDetail(isRecord(body) ? { error: body } : undefined);
    const code = nonEmptyString(error.code) ?? detail.code;
    return fromHttpFailure(
      {
        status: error.status,
        headers: headerReader(error.headers),
        detail: { ...detail, ...(code ? { code } : {}) },
        cause: error,
      },
      context,
    );
  }
  if (isRestError(error)) {
    if (typeof error.statusCode === 'number') {
      const detail = envelopeDetail(error.details ?? parseJson(error.response?.bodyAsText ?? undefined));
      const code = detail.code ?? (error.code && !NETWORK_CODES.has(error.code) ? error.code : undefined);
      return fromHttpFailure(
        {
          status: error.statusCode,
          headers: headerReader(error.response?.headers),
          detail: { ...detail, ...(code ? { code } : {}) },
          cause: error,
        },
        context,
      );
    }
    const code = networkCodeOf(error);
    if (code) return networkError(context, code, error);
  }
  if (isAbortError(error)) return cancelled(context, error);
  if (isTimeoutError(error)) return networkError(context, 'ETIMEDOUT', error);
  const code = networkCodeOf(error);
  if (code) return networkError(context, code, error);
  const message = error instanceof Error ? error.message : String(error);
  return new AzureServiceError('service', `${serviceInfo(context.service).label} call failed: ${message}`, {
    service: context.service,
    retryable: false,
    reason: 'unexpected',
    cause: error,
  });
}

/** What `@azure-rest/*` clients return for a non-2xx answer (after `isUnexpected(response)`). */
export interface UnexpectedResponse {
  status: string | number;
  headers: unknown;
  body: unknown;
}

/** The QuarryError for a REST-client response that `isUnexpected` flagged. */
export function httpErrorFromResponse(
  response: UnexpectedResponse,
  context: AzureErrorContext | string,
): AzureServiceError {
  const ctx = typeof context === 'string' ? { service: context } : context;
  const status = Number(response.status);
  const body = typeof response.body === 'string' ? (parseJson(response.body) ?? undefined) : response.body;
  return fromHttpFailure(
    {
      status: Number.isFinite(status) ? status : 0,
      headers: headerReader(response.headers),
      detail: envelopeDetail(body),
      cause: undefined,
    },
    ctx,
  );
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
