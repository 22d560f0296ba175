/**
 * An Embedder backed by any OpenAI-compatible `/embeddings` endpoint (Ollama, LM Studio, llama.cpp
 * server, vLLM, ...) through the `openai` package. Texts from many files share requests (up to
 * `maxBatchSize` inputs / `maxBatchChars` characters); a few requests run at once.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { type ErrorCode, QuarryError } from '../../../../contract';
import type { Embedder, EmbedOptions } from '../../../types';
import { cancelledError } from './cancellation';
import { EmbeddingBatcher } from './embedding-batcher';

export interface OpenAICompatibleEmbedderOptions {
  /** e.g. `http://127.0.0.1:11434/v1` (Ollama) or `http://127.0.0.1:1234/v1` (LM Studio). */
  baseURL: string;
  /** Local servers usually need none. */
  apiKey?: string;
  model: string;
  dimensions: number;
  queryPrefix?: string;
  documentPrefix?: string;
  maxBatchSize?: number;
  maxBatchChars?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  timeoutInMs?: number;
  /** SDK-level retries for connection errors, 429 and 5xx (kept low: a wait is never long). */
  maxRetries?: number;
  /** For tests: the fetch the SDK uses. */
  fetch?: typeof fetch;
}

const DEFAULTS = {
  maxBatchSize: 64,
  maxBatchChars: 200_000,
  concurrency: 2,
  timeoutInMs: 120_000,
  maxRetries: 1,
};

export class OpenAICompatibleEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly batcher: EmbeddingBatcher;

  constructor(private readonly options: OpenAICompatibleEmbedderOptions) {
    this.modelId = options.model;
    this.dimensions = options.dimensions;
    this.client = createClient(options);
    this.batcher = new EmbeddingBatcher((texts, { abortSignal }) => this.request(texts, abortSignal), {
      maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
      maxBatchChars: options.maxBatchChars ?? DEFAULTS.maxBatchChars,
      concurrency: options.concurrency ?? DEFAULTS.concurrency,
    });
  }

  embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const prefix =
      (options.inputType === 'query' ? this.options.queryPrefix : this.options.documentPrefix) ?? '';
    return this.batcher.embed(prefix ? texts.map((text) => prefix + text) : texts, options.abortSignal);
  }

  async close(): Promise<void> {
    this.batcher.close();
  }

  private async request(texts: string[], abortSignal: AbortSignal): Promise<number[][]> {
    const vectors = await requestVectors(this.client, this.options, texts, abortSignal);
    const wrong = vectors.find((vector) => vector.length !== this.dimensions);
    if (wrong) {
      throw new QuarryError(
        'invalid_input',
        `The model ${this.modelId} returns ${wrong.length}-dimensional vectors, but ${this.dimensions} are ` +
          'configured. Fix the embedding dimensions setting.',
        { reason: 'embedding_dimensions_mismatch' },
      );
    }
    return vectors;
  }
}

/** Asks the endpoint for one embedding and returns its size (for a model whose size is not configured). */
export async function measureEndpointDimensions(
  options: Omit<OpenAICompatibleEmbedderOptions, 'dimensions'>,
  callOptions: { abortSignal?: AbortSignal } = {},
): Promise<number> {
  const signal = callOptions.abortSignal ?? new AbortController().signal;
  const [vector] = await requestVectors(
    createClient(options),
    options,
    [options.documentPrefix ?? ''],
    signal,
  );
  if (!vector || vector.length === 0) {
    throw new QuarryError(
      'service',
      `The embeddings endpoint returned an empty vector for ${options.model}.`,
      {
        reason: 'empty_embedding',
      },
    );
  }
  return vector.length;
}

function createClient(options: Omit<OpenAICompatibleEmbedderOptions, 'dimensions' | 'model'>): OpenAI {
  return new OpenAI({
    baseURL: checkedBaseUrl(options.baseURL),
    // The SDK insists on a key (and would read OPENAI_API_KEY); local servers ignore it.
    apiKey: options.apiKey || 'not-needed',
    timeout: options.timeoutInMs ?? DEFAULTS.timeoutInMs,
    maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

async function requestVectors(
  client: OpenAI,
  options: Pick<OpenAICompatibleEmbedderOptions, 'baseURL' | 'model'>,
  texts: string[],
  abortSignal: AbortSignal,
): Promise<number[][]> {
  let response: OpenAI.CreateEmbeddingResponse;
  try {
    response = await client.embeddings.create(
      { model: options.model, input: texts, encoding_format: 'float' },
      { signal: abortSignal },
    );
  } catch (error) {
    throw endpointError(error, options.baseURL, options.model, abortSignal);
  }
  return vectorsOf(response, texts.length, options.model);
}

/** http:// only for loopback hosts (a key or the user's text must not cross a network in clear). */
export function checkedBaseUrl(baseURL: string): string {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch (error) {
    throw new QuarryError('invalid_input', `The embeddings endpoint "${baseURL}" is not a URL.`, {
      reason: 'invalid_endpoint',
      cause: error,
    });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new QuarryError(
      'invalid_input',
      `The embeddings endpoint ${url.origin} must use https:// (plain http:// is accepted for this machine only).`,
      { reason: 'insecure_endpoint' },
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** The vectors in input order (the API may answer out of order; `index` says where each goes). */
function vectorsOf(response: OpenAI.CreateEmbeddingResponse, count: number, model: string): number[][] {
  const data = Array.isArray(response?.data) ? response.data : [];
  const vectors: (number[] | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const item of data) {
    if (
      Number.isInteger(item.index) &&
      item.index >= 0 &&
      item.index < count &&
      Array.isArray(item.embedding)
    ) {
      vectors[item.index] = item.embedding;
    }
  }
  if (data.length !== count || vectors.includes(undefined)) {
    throw new QuarryError(
      'service',
      `The embeddings endpoint returned ${data.length} usable vectors for ${count} inputs (model ${model}).`,
      { reason: 'embedding_count_mismatch' },
    );
  }
  return vectors as number[][];
}

/** Status codes and error classes only; never message text. */
function endpointError(
  error: unknown,
  baseURL: string,
  model: string,
  abortSignal: AbortSignal,
): QuarryError {
  if (error instanceof QuarryError) return error;
  if (error instanceof APIUserAbortError || abortSignal.aborted) return cancelledError(abortSignal);
  if (error instanceof APIConnectionTimeoutError) {
    return new QuarryError('network', `The embeddings endpoint ${baseURL} did not answer in time.`, {
      reason: 'timeout',
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new QuarryError(
      'network',
      `Cannot reach the embeddings endpoint ${baseURL}. Is the server (Ollama, LM Studio) running?`,
      { reason: 'connection', cause: error },
    );
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const [code, reason, advice]: [ErrorCode, string, string] =
      status === 401 || status === 403
        ? ['auth', 'unauthorized', 'Check the API key.']
        : status === 404
          ? [
              'invalid_input',
              'not_found',
              `Check the model name "${model}" (is it pulled/loaded?) and the URL.`,
            ]
          : status === 429
            ? ['rate_limited', 'throttled', 'The server asked to slow down.']
            : status === 400 || status === 413 || status === 422
              ? ['invalid_input', 'bad_request', 'The server rejected the input.']
              : status >= 500
                ? ['service', 'server_error', 'The server failed.']
                : ['service', `http_${status}`, ''];
    const retryAfterMs = retryAfterOf(error.headers);
    const message = `The embeddings endpoint ${baseURL} answered HTTP ${status}. ${advice}`.trim();
    return new QuarryError(code, message, {
      reason,
      retryable: code === 'rate_limited' || (code === 'service' && status >= 500),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new QuarryError('service', `The embeddings endpoint ${baseURL} failed: ${message}`, {
    reason: 'unexpected',
    cause: error,
  });
}

function retryAfterOf(headers: Headers | undefined): number | undefined {
  const number = (name: string): number | undefined => {
    const value = headers?.get(name)?.trim();
    return value && Number.isFinite(Number(value)) && Number(value) >= 0 ? Number(value) : undefined;
  };
  const ms = number('retry-after-ms');
  if (ms !== undefined) return ms;
  const seconds = number('retry-after');
  return seconds === undefined ? undefined : seconds * 1000;
}
