import type { ServiceState } from '../../../contract';
import { setUpAnswerer } from '../../answer/answerer-setup';
import type { Backend } from '../../backend';
import type { LocalEmbeddingConfig } from './embedding/embedding-config';
import { resolveLocalEmbeddingConfig } from './local-embedding-settings';
import { createLocalExtractor } from './local-extractor';
import { LocalSemantic, type OpenLocalSemanticOptions } from './local-semantic';

/** Bump when local extraction output changes, so cached extractions are not reused. */
const LOCAL_EXTRACTOR_VERSION = 'local-v1';
/** Formats worth caching: parsing them costs far more than reading a cached result. */
const CACHED_LOCAL_TYPES = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

export interface OpenLocalBackendOptions {
  dataDir: string;
  /** Environment (QUARRY_EMBEDDINGS, QUARRY_EMBEDDING_MODEL, ...); it wins over the settings. */
  env?: NodeJS.ProcessEnv;
  /** The `embeddings` block of the settings file, validated when used. */
  embeddingSettings?: unknown;
  /** Download a missing embedding model in the background (the app and `quarry serve`). */
  downloadEmbeddingModel?: boolean;
  /** Download and re-embedding progress, as `service.state` events. */
  onServiceState?: (state: ServiceState) => void;
  /** For tests: index tuning, download retries, fetch and the embedding worker entry. */
  semantic?: Pick<OpenLocalSemanticOptions, 'index' | 'downloadRetryDelaysInMs' | 'fetch' | 'workerEntry'>;
}

/** The local backend plus what only it has: the semantic-search state and its background work. */
export interface LocalBackend extends Backend {
  readonly kind: 'local';
  readonly semantic: LocalSemantic;
}

/** QUARRY_EMBEDDING_DOWNLOAD=off: never fetch a model in the background (offline machines, tests). */
function downloadsTurnedOff(env: NodeJS.ProcessEnv): boolean {
  return env.QUARRY_EMBEDDING_DOWNLOAD?.trim().toLowerCase() === 'off';
}

/** The embedded backend: local extraction, a local embedding model and a LanceDB index in the data dir. */
export async function openLocalBackend(options: OpenLocalBackendOptions): Promise<LocalBackend> {
  let config: LocalEmbeddingConfig | undefined;
  let configError: unknown = null;
  try {
    config = resolveLocalEmbeddingConfig(options.env ?? process.env, options.embeddingSettings);
  } catch (error) {
    // A bad embeddings setting turns semantic search off with its reason; it never stops the app.
    configError = error;
  }
  const semantic = await LocalSemantic.open({
    dataDir: options.dataDir,
    config,
    configError,
    downloadModel:
      (options.downloadEmbeddingModel ?? false) && !downloadsTurnedOff(options.env ?? process.env),
    ...(options.onServiceState ? { onServiceState: options.onServiceState } : {}),
    ...options.semantic,
  });
  const { index } = semantic;
  const answers = setUpAnswerer({ env: options.env ?? process.env });
  return {
    kind: 'local',
    extractor: createLocalExtractor(),
    index,
    semantic,
    // Getters: the pipeline and search read them per file and per query, so a model that arrives
    // while the app runs is picked up at once.
    get embedder() {
      return semantic.embedder;
    },
    get semanticUnavailableReason() {
      return semantic.unavailableReason;
    },
    answerer: answers.answerer,
    answerUnavailableReason: answers.unavailableReason,
    extractionCacheKey: (file) => (CACHED_LOCAL_TYPES.has(file.mimeType) ? LOCAL_EXTRACTOR_VERSION : null),
    async close() {
      await semantic.close();
      await index.close();
    },
  };
}
