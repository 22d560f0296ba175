/**
 * The Azure OpenAI `Embedder`: cache first (nothing paid twice), then the cross-file batcher,
 * each request through the `embeddings` limiter with its token count. Vectors travel as base64
 * float32 (a third of the JSON size) and are decoded here.
 */
import type OpenAI from 'openai';
import { QuarryError } from '../../../contract/errors';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import type { CallOptions, Embedder } from '../../types';
import { type BatchInput, EmbeddingBatcher, type EmbeddingBatcherStats } from './embedding-batcher';
import { type EmbeddingCache, embeddingCacheKey } from './embedding-cache';
import { type EmbeddingEncoding, EmbeddingTokenizer } from './embedding-tokens';
import { toQuarryError } from './errors';

/** Native vector sizes of the models, when a deployment is named after its model. */
export const NATIVE_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** Azure OpenAI embedding limits (text-embedding-3-*, ada-002). */
export const AZURE_EMBEDDING_LIMITS = {
  maxInputsPerRequest: 2048,
  maxTokensPerRequest: 300_000,
  /** models.md says 8,191 (later revisions 8,192): 8,191 is safe. */
  maxTokensPerInput: 8191,
} as const;

export interface AzureOpenAiEmbedderOptions {
  /** `createAzureOpenAiClient(...)`, or anything with the same `embeddings` API. */
  client: Pick<OpenAI, 'embeddings'>;
  deployment: string;
  /** Size of the vectors this embedder returns. */
  dimensions: number;
  /** Send `dimensions` in requests (text-embedding-3 shortening). Default: when it differs from the native size. */
  sendDimensions?: boolean;
  limiter: ServiceLimiter;
  cache?: EmbeddingCache;
  encoding?: EmbeddingEncoding;
  maxInputsPerRequest?: number;
  /** Default: 300,000, or a sixth of `tokensPerMinute` (one 10-second quota window) when smaller. */
  maxTokensPerRequest?: number;
  /** The deployment's quota, to size requests. */
  tokensPerMinute?: number;
  maxTokensPerInput?: number;
  /** `truncate` (default) embeds the first maxTokensPerInput tokens; `fail` rejects with invalid_input. */
  overlongInputs?: 'truncate' | 'fail';
  lingerInMs?: number;
  /** Partial batches wait while this many requests are outstanding (default 4). */
  maxInFlightRequests?: number;
  /** For error messages (never a key). */
  endpoint?: string;
}

export interface AzureOpenAiEmbedderStats extends EmbeddingBatcherStats {
  /** Texts asked for through `embed`. */
  texts: number;
  /** Texts answered from the cache (or from a vector still being written to it). */
  cacheHits: number;
  truncatedInputs: number;
}

export class AzureOpenAiEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly options: AzureOpenAiEmbedderOptions;
  private readonly tokenizer: EmbeddingTokenizer;
  private readonly batcher: EmbeddingBatcher;
  private readonly maxTokensPerInput: number;
  /** Vectors received but not yet durable in the cache: a caller arriving now must not pay again. */
  private readonly unsaved = new Map<string, number[]>();
  private toSave: Array<{ key: string; vector: number[] }> = [];
  private readonly saving = new Set<Promise<void>>();
  private counters = { texts: 0, cacheHits: 0, truncatedInputs: 0 };

  constructor(options: AzureOpenAiEmbedderOptions) {
    if (!Number.isInteger(options.dimensions) || options.dimensions < 1) {
      throw new QuarryError(
        'invalid_input',
        `Embedding dimensions must be a positive integer (got ${options.dimensions}).`,
      );
    }
    this.options = options;
    this.modelId = `azure-openai/${options.deployment}@${options.dimensions}`;
    this.dimensions = options.dimensions;
    this.tokenizer = new EmbeddingTokenizer(options.encoding);
    this.maxTokensPerInput = options.maxTokensPerInput ?? AZURE_EMBEDDING_LIMITS.maxTokensPerInput;
    const quotaWindow =
      options.tokensPerMinute !== undefined
        ? Math.floor(options.tokensPerMinute / 6)
        : Number.POSITIVE_INFINITY;
    const maxTokensPerRequest =
      options.maxTokensPerRequest ??
      Math.max(this.maxTokensPerInput, Math.min(AZURE_EMBEDDING_LIMITS.maxTokensPerRequest, quotaWindow));
    this.batcher = new EmbeddingBatcher({
      send: (inputs, signal) => this.request(inputs, signal),
      maxInputsPerRequest: options.maxInputsPerRequest ?? AZURE_EMBEDDING_LIMITS.maxInputsPerRequest,
      maxTokensPerRequest,
      ...(options.lingerInMs !== undefined ? { lingerInMs: options.lingerInMs } : {}),
      ...(options.maxInFlightRequests !== undefined
        ? { maxInFlightRequests: options.maxInFlightRequests }
        : {}),
      onVector: (input, vector) => this.remember(input.key, vector),
    });
  }

  get stats(): AzureOpenAiEmbedderStats {
    return { ...this.batcher.stats, ...this.counters };
  }

  async embed(texts: string[], options: CallOptions = {}): Promise<number[][]> {
    const { abortSignal } = options;
    if (abortSignal?.aborted) throw new QuarryError('cancelled', 'Cancelled', { cause: abortSignal.reason });
    this.counters.texts += texts.length;
    if (texts.length === 0) return [];
    const keys = texts.map((text) => embeddingCacheKey(text));
    const found = await this.lookUp(keys);
    const missing: BatchInput[] = [];
    const seen = new Set<string>();
    texts.forEach((text, i) => {
      const key = keys[i] ?? '';
      if (found.has(key)) {
        this.counters.cacheHits += 1;
        return;
      }
      if (seen.has(key)) return;
      seen.add(key);
      missing.push(this.prepare(text, key));
    });
    if (missing.length > 0) {
      const vectors = await this.batcher.embed(missing, abortSignal ? { abortSignal } : {});
      missing.forEach((input, i) => {
        const vector = vectors[i];
        if (vector) found.set(input.key, vector);
      });
    }
    return keys.map((key) => {
      const vector = found.get(key);
      if (!vector) throw new QuarryError('service', 'An embedding went missing', { reason: 'bad_response' });
      return vector;
    });
  }

  /** Waits for cache writes in progress; rejects callers still waiting. */
  async close(): Promise<void> {
    this.batcher.close();
    this.flushSaves();
    await Promise.all([...this.saving]);
  }

  private async lookUp(keys: readonly string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    const unique = [...new Set(keys)];
    const toRead: string[] = [];
    for (const key of unique) {
      const vector = this.unsaved.get(key);
      if (vector) found.set(key, vector);
      else toRead.push(key);
    }
    if (this.options.cache && toRead.length > 0) {
      const vectors = await this.options.cache.getMany(toRead);
      toRead.forEach((key, i) => {
        const vector = vectors[i];
        if (vector && vector.length === this.dimensions) found.set(key, vector);
      });
    }
    return found;
  }

  private prepare(text: string, key: string): BatchInput {
    if (text.trim().length === 0) {
      throw new QuarryError('invalid_input', 'Cannot embed an empty text.', { reason: 'empty_input' });
    }
    const fitted = this.tokenizer.fit(text, this.maxTokensPerInput);
    if (fitted.truncated) {
      if (this.options.overlongInputs === 'fail') {
        throw new QuarryError(
          'invalid_input',
          `A text of more than ${this.maxTokensPerInput} tokens is too long for one embedding; split it into smaller chunks.`,
          { reason: 'input_too_long' },
        );
      }
      this.counters.truncatedInputs += 1;
    }
    return { key, text: fitted.text, tokens: fitted.tokens };
  }

  /** One embeddings request, through the limiter. */
  private request(inputs: readonly BatchInput[], signal: AbortSignal): Promise<number[][]> {
    const { client, deployment, limiter } = this.options;
    const tokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
    const sendDimensions =
      this.options.sendDimensions ?? NATIVE_EMBEDDING_DIMENSIONS[deployment] !== this.dimensions;
    const context = {
      service: 'embeddings',
      resource: `deployment '${deployment}'`,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    };
    return limiter.run(
      async (requestSignal) => {
        try {
          const { data, response } = await client.embeddings
            .create(
              {
                model: deployment,
                input: inputs.map((input) => input.text),
                encoding_format: 'base64',
                ...(sendDimensions ? { dimensions: this.dimensions } : {}),
              },
              { signal: requestSignal },
            )
            .withResponse();
          limiter.observeHeaders?.(response.headers);
          return this.decode(data.data, inputs.length);
        } catch (error) {
          throw toQuarryError(error, context);
        }
      },
      { abortSignal: signal, tokens },
    );
  }

  private decode(data: ReadonlyArray<{ index: number; embedding: unknown }>, count: number): number[][] {
    const vectors: number[][] = new Array(count);
    for (const item of data) {
      const vector = decodeEmbedding(item.embedding);
      if (vector.length !== this.dimensions) {
        throw new QuarryError(
          'invalid_input',
          `Deployment '${this.options.deployment}' returned ${vector.length}-dimensional vectors, but Quarry expects ` +
            `${this.dimensions}: set AZURE_OPENAI_EMBEDDING_DIMENSIONS to match the model (or the index).`,
          { reason: 'dimension_mismatch' },
        );
      }
      if (item.index >= 0 && item.index < count) vectors[item.index] = vector;
    }
    for (let i = 0; i < count; i += 1) {
      if (!vectors[i]) {
        throw new QuarryError('service', `The embedding response lacks input ${i}.`, {
          reason: 'bad_response',
        });
      }
    }
    return vectors;
  }

  private remember(key: string, vector: number[]): void {
    this.unsaved.set(key, vector);
    this.toSave.push({ key, vector });
    // Vectors of one response arrive in one synchronous loop: save them as one append.
    if (this.toSave.length === 1) queueMicrotask(() => this.flushSaves());
  }

  private flushSaves(): void {
    const entries = this.toSave;
    this.toSave = [];
    if (entries.length === 0) return;
    const cache = this.options.cache;
    if (!cache) {
      for (const { key } of entries) this.unsaved.delete(key);
      return;
    }
    const saving = cache.putMany(entries).finally(() => {
      for (const { key } of entries) this.unsaved.delete(key);
      this.saving.delete(saving);
    });
    this.saving.add(saving);
  }
}

/** A vector from `float` (number[]) or `base64` (little-endian float32 bytes) encoding. */
export function decodeEmbedding(embedding: unknown): number[] {
  if (Array.isArray(embedding)) return embedding.map(Number);
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    const vector = new Array<number>(Math.floor(bytes.length / 4));
    for (let i = 0; i < vector.length; i += 1) vector[i] = bytes.readFloatLE(i * 4);
    return vector;
  }
  throw new QuarryError('service', 'The embedding response has an unreadable vector.', {
    reason: 'bad_response',
  });
}
