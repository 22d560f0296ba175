/**
 * An `Answerer` for any OpenAI-compatible chat endpoint (Ollama, LM Studio, llama.cpp server,
 * vLLM, ...) through the `openai` package, configured by QUARRY_CHAT_ENDPOINT / QUARRY_CHAT_MODEL
 * (see answer/answerer-setup.ts). Local servers have no quota, so there is no limiter: the SDK
 * retries a failed start once, and nothing once text is flowing.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import { type ErrorCode, QuarryError } from '../../../contract/errors';
import type { Answerer, AnswerRequest, AnswerStreamEnd, AnswerStreamOptions } from '../../answer/answerer';
import { chatRefusal } from '../../answer/chat-errors';
import { readChatStream, stopped } from '../../answer/chat-stream';
import { assertSafeEndpoint } from '../../settings/settings-store';

export interface OpenAICompatibleAnswererOptions {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama) or `http://127.0.0.1:1234/v1` (LM Studio). */
  baseURL: string;
  /** Local servers usually need none. */
  apiKey?: string;
  model: string;
  /** The model's context window as the server runs it (prompt + answer). */
  contextTokens: number;
  /** Wait for the response to start (a local model may take a while to load). */
  timeoutInMs?: number;
  maxRetries?: number;
  /** A stream silent this long is given up as broken. Default 3 min (a local model may be slow). */
  idleTimeoutInMs?: number;
  /** For tests: the fetch the SDK uses. */
  fetch?: typeof fetch;
}

export function createOpenAICompatibleAnswerer(options: OpenAICompatibleAnswererOptions): Answerer {
  const baseURL = checkedChatEndpoint(options.baseURL);
  const client = new OpenAI({
    baseURL,
    // The SDK insists on a key (and would read OPENAI_API_KEY); local servers ignore it.
    apiKey: options.apiKey || 'not-needed',
    timeout: options.timeoutInMs ?? 300_000,
    maxRetries: options.maxRetries ?? 1,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const label = `the chat model "${options.model}" at ${baseURL}`;
  const toChatError = (error: unknown, signal: AbortSignal | undefined): QuarryError =>
    endpointError(error, {
      label,
      baseURL,
      model: options.model,
      contextTokens: options.contextTokens,
      signal,
    });

  return {
    model: options.model,
    contextTokens: options.contextTokens,
    async stream(request: AnswerRequest, streamOptions: AnswerStreamOptions): Promise<AnswerStreamEnd> {
      const signal = streamOptions.abortSignal;
      const body: ChatCompletionCreateParamsStreaming = {
        model: options.model,
        messages: request.messages,
        max_tokens: request.maxAnswerTokens,
        stream: true,
        stream_options: { include_usage: true },
      };
      let stream: Stream<ChatCompletionChunk>;
      try {
        stream = await client.chat.completions.create(body, signal ? { signal } : {});
      } catch (error) {
        throw toChatError(error, signal);
      }
      return readChatStream(stream, {
        onDelta: streamOptions.onDelta,
        ...(signal ? { abortSignal: signal } : {}),
        label,
        mapError: (error) => toChatError(error, signal),
        cancel: () => stream.controller.abort(),
        // A local model may think a while before its first token.
        idleTimeoutInMs: options.idleTimeoutInMs ?? 180_000,
      });
    },
  };
}

/** https, or http on this machine only: the person's documents must not cross a network in clear. */
function checkedChatEndpoint(baseURL: string): string {
  try {
    assertSafeEndpoint(baseURL);
  } catch (error) {
    throw new QuarryError(
      'invalid_input',
      `QUARRY_CHAT_ENDPOINT "${baseURL}" is not usable: it must be an https:// URL (plain http:// only on this machine).`,
      { reason: 'insecure_endpoint', cause: error },
    );
  }
  return baseURL.replace(/\/+$/u, '');
}

interface EndpointContext {
  label: string;
  baseURL: string;
  model: string;
  contextTokens: number;
  signal: AbortSignal | undefined;
}

/** Status codes, machine codes and error classes only; never message text. */
function endpointError(error: unknown, context: EndpointContext): QuarryError {
  if (error instanceof QuarryError) return error;
  if (error instanceof APIUserAbortError || context.signal?.aborted) {
    return context.signal ? stopped(context.signal) : new QuarryError('cancelled', 'Cancelled');
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new QuarryError('network', `${capitalized(context.label)} did not answer in time.`, {
      reason: 'timeout',
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new QuarryError(
      'network',
      `Cannot reach ${context.label}. Is the server (Ollama, LM Studio) running?`,
      { reason: 'connection', cause: error },
    );
  }
  if (error instanceof APIError) {
    const refusal = chatRefusal(typeof error.code === 'string' ? error.code : undefined, {
      label: context.label,
      contextTokens: context.contextTokens,
      status: error.status,
      cause: error,
    });
    if (refusal) return refusal;
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const [code, reason, advice]: [ErrorCode, string, string] =
      status === 401 || status === 403
        ? ['auth', 'unauthorized', 'Check QUARRY_CHAT_API_KEY.']
        : status === 404
          ? [
              'invalid_input',
              'not_found',
              `Check QUARRY_CHAT_MODEL (is "${context.model}" pulled/loaded?) and QUARRY_CHAT_ENDPOINT.`,
            ]
          : status === 429
            ? ['rate_limited', 'throttled', 'The server asked to slow down; try again in a moment.']
            : status === 400 || status === 413 || status === 422
              ? ['invalid_input', 'bad_request', 'The server rejected the request.']
              : status >= 500
                ? ['service', 'server_error', 'The server failed; try again.']
                : ['service', `http_${status}`, ''];
    return new QuarryError(code, `${capitalized(context.label)} answered HTTP ${status}. ${advice}`.trim(), {
      reason,
      retryable: code === 'rate_limited' || (code === 'service' && status >= 500),
      cause: error,
    });
  }
  const socketCode = socketErrorCode(error);
  if (socketCode) {
    return new QuarryError(
      'network',
      `${capitalized(context.label)} dropped the connection (${socketCode}).`,
      {
        reason: 'connection',
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new QuarryError('service', `${capitalized(context.label)} failed: ${message}`, {
    reason: 'unexpected',
    cause: error,
  });
}

/** Socket failures as Node and undici name them (a body read that breaks off throws one of these). */
const SOCKET_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_BODY_TIMEOUT',
]);

function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
