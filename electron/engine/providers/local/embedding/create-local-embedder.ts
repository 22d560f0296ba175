/**
 * The one entry point the local backend calls: turns the embedding configuration into a ready
 * Embedder, or into a plain reason why semantic search is off. It never throws for a missing or
 * broken model (offline first run, failed download, unreachable endpoint): keyword search keeps
 * working and the UI and CLI show `reason`. Only an abort (the caller's own signal) rejects.
 */
import path from 'node:path';
import { QuarryError, type QuarryErrorInfo, toErrorInfo } from '../../../../contract';
import type { CallOptions, Embedder } from '../../../types';
import { cancelledError, throwIfCancelled } from './cancellation';
import {
  type LocalEmbeddingConfig,
  parseEmbeddingConfig,
  type ResolvedEmbeddingConfig,
} from './embedding-config';
import { type DownloadModelResult, downloadModel, type ModelDownloadProgress } from './model-download';
import { missingModelFiles } from './model-files';
import { builtInEmbeddingModel, type EmbeddingModelSpec } from './model-registry';
import { measureEndpointDimensions, OpenAICompatibleEmbedder } from './openai-compatible-embedder';
import { TransformersEmbedder } from './transformers-embedder';
import type { WorkerEntry } from './worker-launcher';

export interface ClosableEmbedder extends Embedder {
  close(): Promise<void>;
}

export interface CreateLocalEmbedderOptions extends CallOptions {
  dataDir: string;
  /** Defaults to the built-in model (`{ provider: 'local' }`). */
  config?: LocalEmbeddingConfig;
  /** Fetch missing model files now (default true); false only reports them missing. */
  download?: boolean;
  onProgress?: (progress: ModelDownloadProgress) => void;
  /** For tests: the fetch used for downloads and endpoint calls. */
  fetch?: typeof fetch;
  /** For tests and unusual layouts: where the embedding worker entry is. */
  workerEntry?: WorkerEntry | null;
}

export interface LocalEmbedderStatus {
  embedder: ClosableEmbedder | null;
  /** Why `embedder` is null, in words for the UI and CLI; null when it is available. */
  reason: string | null;
  /** The underlying failure, for code paths that switch on `code`/`reason`; null when fine. */
  error: QuarryErrorInfo | null;
  /** The model the index is (or will be) built with, known even when it is not available yet. */
  modelId: string | null;
  /** Vector size for opening the index; null when unknown (embeddings off, endpoint not probed). */
  dimensions: number | null;
}

const KEYWORD_STILL_WORKS = 'keyword search still works.';
const HOW_TO_GET_IT = 'Run `quarry models download` or connect to the internet once';

/** Where models live: `<dataDir>/models/<owner>/<name>/`. */
export function modelsDirectory(dataDir: string): string {
  return path.join(dataDir, 'models');
}

export async function createLocalEmbedder(options: CreateLocalEmbedderOptions): Promise<LocalEmbedderStatus> {
  throwIfCancelled(options.abortSignal);
  let config: ResolvedEmbeddingConfig;
  try {
    config = parseEmbeddingConfig(options.config);
  } catch (error) {
    return unavailable(
      error,
      null,
      null,
      (info) => `Semantic search is off: ${info.message} Fix them; ${KEYWORD_STILL_WORKS}`,
    );
  }
  if (config.provider === 'off') {
    return {
      embedder: null,
      reason: `Semantic search is turned off in the settings; ${KEYWORD_STILL_WORKS}`,
      error: null,
      modelId: null,
      dimensions: null,
    };
  }
  if (config.provider === 'openai-compatible') return openEndpoint(config, options);
  return openLocalModel(config, options);
}

/** Downloads the configured model (for `quarry models download` and a UI button). */
export async function downloadLocalEmbeddingModel(
  options: Omit<CreateLocalEmbedderOptions, 'download' | 'workerEntry'>,
): Promise<DownloadModelResult & { modelId: string }> {
  const config = parseEmbeddingConfig(options.config);
  if (config.provider !== 'local') {
    throw new QuarryError('invalid_input', 'Only the local embedding provider downloads a model.', {
      reason: 'nothing_to_download',
    });
  }
  const spec = resolveModelSpec(config.model);
  const result = await downloadModel(spec, {
    modelsDir: modelsDirectory(options.dataDir),
    baseUrl: config.baseUrl,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  return { ...result, modelId: spec.id };
}

/** A built-in model by id, or the full description as given. */
export function resolveModelSpec(model: string | EmbeddingModelSpec): EmbeddingModelSpec {
  if (typeof model !== 'string') return model;
  const builtIn = builtInEmbeddingModel(model);
  if (builtIn) return builtIn;
  throw new QuarryError(
    'invalid_input',
    `"${model}" is not a built-in embedding model; describe it in full (files with sha256, dimensions, prefixes).`,
    { reason: 'unknown_embedding_model' },
  );
}

async function openLocalModel(
  config: Extract<ResolvedEmbeddingConfig, { provider: 'local' }>,
  options: CreateLocalEmbedderOptions,
): Promise<LocalEmbedderStatus> {
  let spec: EmbeddingModelSpec;
  try {
    spec = resolveModelSpec(config.model);
  } catch (error) {
    return unavailable(
      error,
      null,
      null,
      (info) => `Semantic search is off: ${info.message} ${KEYWORD_STILL_WORKS}`,
    );
  }
  const modelsDir = modelsDirectory(options.dataDir);
  const known = { modelId: spec.id, dimensions: spec.dimensions };
  try {
    const missing = await missingModelFiles(modelsDir, spec, { abortSignal: options.abortSignal });
    if (missing.length > 0 && options.download === false) {
      const megabytes = Math.round(missing.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0) / 1e6);
      const size = megabytes > 0 ? ` (${megabytes} MB)` : '';
      return {
        embedder: null,
        reason: `No local embedding model: ${spec.id} is not downloaded yet${size}. ${HOW_TO_GET_IT}; ${KEYWORD_STILL_WORKS}`,
        error: new QuarryError('unsupported', `${spec.id} is not downloaded`, {
          reason: 'model_missing',
        }).toInfo(),
        ...known,
      };
    }
    if (missing.length > 0) {
      await downloadModel(spec, {
        modelsDir,
        baseUrl: config.baseUrl,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      });
    }
  } catch (error) {
    rethrowIfCancelled(options.abortSignal);
    return unavailable(
      error,
      known.modelId,
      known.dimensions,
      (info) =>
        `No local embedding model: downloading ${spec.id} failed (${info.message}). ${HOW_TO_GET_IT}; ${KEYWORD_STILL_WORKS}`,
    );
  }

  let embedder: TransformersEmbedder | undefined;
  try {
    embedder = await TransformersEmbedder.open(
      {
        spec,
        modelsDir,
        cacheDir: path.join(options.dataDir, 'cache', 'transformers'),
        ...(config.threads ? { threads: config.threads } : {}),
        ...(config.maxBatchSize ? { maxBatchSize: config.maxBatchSize } : {}),
        ...(options.workerEntry !== undefined ? { workerEntry: options.workerEntry } : {}),
      },
      signalOf(options),
    );
    // One probe: a model whose vectors do not have the configured size is refused now, not per file.
    await embedder.embed(['probe'], signalOf(options));
    return { embedder, reason: null, error: null, ...known };
  } catch (error) {
    await embedder?.close();
    rethrowIfCancelled(options.abortSignal);
    return unavailable(
      error,
      known.modelId,
      known.dimensions,
      (info) =>
        `The local embedding model ${spec.id} could not be used (${info.message}); ${KEYWORD_STILL_WORKS}`,
    );
  }
}

async function openEndpoint(
  config: Extract<ResolvedEmbeddingConfig, { provider: 'openai-compatible' }>,
  options: CreateLocalEmbedderOptions,
): Promise<LocalEmbedderStatus> {
  const endpoint = {
    baseURL: config.baseURL,
    model: config.model,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.queryPrefix !== undefined ? { queryPrefix: config.queryPrefix } : {}),
    ...(config.documentPrefix !== undefined ? { documentPrefix: config.documentPrefix } : {}),
    ...(config.maxBatchSize ? { maxBatchSize: config.maxBatchSize } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  let embedder: OpenAICompatibleEmbedder | undefined;
  try {
    const dimensions = config.dimensions ?? (await measureEndpointDimensions(endpoint, signalOf(options)));
    embedder = new OpenAICompatibleEmbedder({ ...endpoint, dimensions });
    // One probe: an endpoint that is down or serves another vector size is reported now.
    await embedder.embed(['probe'], signalOf(options));
    return { embedder, reason: null, error: null, modelId: config.model, dimensions };
  } catch (error) {
    await embedder?.close();
    rethrowIfCancelled(options.abortSignal);
    return unavailable(
      error,
      config.model,
      config.dimensions ?? null,
      (info) =>
        `Semantic search is off: the embeddings endpoint ${config.baseURL} is not usable (${info.message}); ` +
        KEYWORD_STILL_WORKS,
    );
  }
}

function signalOf(options: CallOptions): CallOptions {
  return options.abortSignal ? { abortSignal: options.abortSignal } : {};
}

/** Failures are reported as a status; only the caller's own abort rejects. */
function rethrowIfCancelled(abortSignal: AbortSignal | undefined): void {
  if (abortSignal?.aborted) throw cancelledError(abortSignal);
}

function unavailable(
  error: unknown,
  modelId: string | null,
  dimensions: number | null,
  explain: (info: QuarryErrorInfo) => string,
): LocalEmbedderStatus {
  const info = toErrorInfo(error);
  return { embedder: null, reason: explain(info), error: info, modelId, dimensions };
}
