/**
 * Semantic search for the local backend: which embedder is in use (possibly none yet), why not,
 * and the background work that turns it on and keeps the index's vectors current.
 *
 * Opening never waits for the network: without a model the backend opens at once with keyword
 * search and a reason. In the background (when allowed: the app and `quarry serve`, not the CLI)
 * a missing model is downloaded, with progress as `service.state` events, and swapped in when
 * ready; the pipeline and search read `embedder` per file and per query, so they pick it up. Then
 * every chunk without a vector is embedded from the text the index stores (reembed.ts).
 */
import path from 'node:path';
import { QuarryError, type ServiceState, toErrorInfo } from '../../../contract';
import type { Embedder } from '../../types';
import {
  type ClosableEmbedder,
  type CreateLocalEmbedderOptions,
  createLocalEmbedder,
  downloadLocalEmbeddingModel,
  type LocalEmbedderStatus,
  modelsDirectory,
  resolveModelSpec,
} from './embedding/create-local-embedder';
import { type LocalEmbeddingConfig, parseEmbeddingConfig } from './embedding/embedding-config';
import type { ModelDownloadProgress } from './embedding/model-download';
import { missingModelFiles } from './embedding/model-files';
import { type LanceDbIndex, type OpenLanceDbIndexOptions, openLanceDbIndex } from './lancedb-index';
import { prepareVectorColumn } from './lancedb-vector-column';
import { type ReembedProgress, reembedMissingVectors } from './reembed';

/** The service name of the embedding model's `service.state` events. */
export const EMBEDDINGS_SERVICE = 'embeddings.model';

export interface OpenLocalSemanticOptions {
  dataDir: string;
  /** The embedding configuration (environment or settings); the built-in model when undefined. */
  config: LocalEmbeddingConfig | undefined;
  /** Set when the configuration could not be read: semantic search is off, saying why. */
  configError?: unknown;
  /** Fetch a missing model in the background and switch semantic search on when it arrives. */
  downloadModel: boolean;
  onServiceState?: (state: ServiceState) => void;
  /** Re-embedding progress in numbers (the CLI draws a bar with them). */
  onReembedProgress?: (progress: ReembedProgress) => void;
  /** Extra options for the index (tests use short maintenance delays). */
  index?: Omit<OpenLanceDbIndexOptions, 'dir' | 'vectorDimensions'>;
  /** Waits between download attempts after a retryable failure (offline, server down). */
  downloadRetryDelaysInMs?: readonly number[];
  /** For tests: the fetch used for downloads, and where the embedding worker entry is. */
  fetch?: typeof fetch;
  workerEntry?: CreateLocalEmbedderOptions['workerEntry'];
}

const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000];
/** Progress events at most this often (a download reports every few KB). */
const PROGRESS_INTERVAL_MS = 250;

export class LocalSemantic {
  private current: ClosableEmbedder | null;
  private reason: string | null;
  private readonly controller = new AbortController();
  private work: Promise<void> = Promise.resolve();
  private lastProgressAt = 0;

  private constructor(
    readonly index: LanceDbIndex,
    status: LocalEmbedderStatus,
    private readonly options: OpenLocalSemanticOptions,
  ) {
    this.current = status.embedder;
    this.reason = status.reason;
  }

  /** Opens the index sized for the configured model (re-sizing it when the model changed). */
  static async open(options: OpenLocalSemanticOptions): Promise<LocalSemantic> {
    const status = options.configError
      ? invalidConfigStatus(options.configError)
      : await createLocalEmbedder(embedderOptions(options));
    const model =
      status.modelId !== null && status.dimensions !== null
        ? { modelId: status.modelId, dimensions: status.dimensions }
        : null;
    const dir = indexDirectory(options.dataDir);
    let index: LanceDbIndex;
    try {
      const prepared = await prepareVectorColumn({ dir, model });
      index = await openLanceDbIndex({ ...options.index, dir, vectorDimensions: prepared.dimensions });
    } catch (error) {
      await status.embedder?.close();
      throw error;
    }
    const semantic = new LocalSemantic(index, status, options);
    if (status.embedder) semantic.schedule(() => semantic.reembed());
    else if (status.error?.reason === 'model_missing') {
      semantic.reason = missingModelReason(options, status.modelId ?? 'the model');
      if (options.downloadModel) semantic.schedule(() => semantic.downloadAndSwitchOn());
    }
    return semantic;
  }

  /** The embedder in use now; null while there is none (keyword search only). */
  get embedder(): Embedder | null {
    return this.current;
  }

  /** Why semantic search is off, for the UI and CLI; null when it is on. */
  get unavailableReason(): string | null {
    return this.current ? null : this.reason;
  }

  /** Resolves when the background work started so far (download, re-embedding) has ended. */
  whenIdle(): Promise<void> {
    return this.work;
  }

  /** Embeds every chunk that has no vector yet (after a model change, or indexed without a model). */
  async reembed(): Promise<void> {
    const embedder = this.current;
    if (!embedder) return;
    const abortSignal = this.controller.signal;
    try {
      const result = await reembedMissingVectors({
        index: this.index,
        embedder,
        abortSignal,
        onProgress: ({ embedded, total }) => {
          this.options.onReembedProgress?.({ embedded, total });
          this.progress(
            `Embedding the indexed text for semantic search: ${embedded.toLocaleString('en-US')} of ` +
              `${total.toLocaleString('en-US')} chunks (search works meanwhile)`,
            embedded === 0,
          );
        },
      });
      // Files that were mid-flight when the embedder arrived may have just written rows without vectors.
      await this.index.flush({ abortSignal });
      const late = await reembedMissingVectors({ index: this.index, embedder, abortSignal });
      if (result.total + late.total > 0) this.report('ok', `Semantic search is ready (${embedder.modelId}).`);
    } catch (error) {
      if (abortSignal.aborted) return;
      this.report(
        'unavailable',
        `Embedding the indexed text failed (${toErrorInfo(error).message}); semantic results miss some chunks until the next start.`,
      );
    }
  }

  async close(): Promise<void> {
    this.controller.abort(new QuarryError('cancelled', 'The local backend is closing.'));
    await this.work;
    const embedder = this.current;
    this.current = null;
    await embedder?.close();
  }

  private schedule(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch(() => undefined);
  }

  private async downloadAndSwitchOn(): Promise<void> {
    const abortSignal = this.controller.signal;
    const delays = this.options.downloadRetryDelaysInMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.download(abortSignal);
        break;
      } catch (error) {
        if (abortSignal.aborted) return;
        const info = toErrorInfo(error);
        const delay = info.retryable ? delays[attempt] : undefined;
        this.reason =
          `No local embedding model: downloading it failed (${info.message}). ` +
          'Run `quarry models download` or connect to the internet; keyword search still works.';
        this.report(
          'unavailable',
          `Downloading the embedding model failed: ${info.message}` +
            (delay === undefined ? '' : ` Retrying in ${Math.round(delay / 1000)} s.`),
          delay === undefined ? null : Date.now() + delay,
        );
        if (delay === undefined) return;
        if (!(await sleep(delay, abortSignal))) return;
      }
    }
    const status = await createLocalEmbedder(embedderOptions(this.options, abortSignal));
    if (!status.embedder) {
      this.reason = status.reason;
      this.report('unavailable', status.reason);
      return;
    }
    if (status.embedder.dimensions !== this.index.vectorDimensions) {
      // The index was sized for this model when it opened; a mismatch means the files disagree.
      await status.embedder.close();
      this.reason = `The downloaded model makes ${status.embedder.dimensions}-dimensional vectors, not ${this.index.vectorDimensions}; restart Quarry to re-index with it.`;
      this.report('unavailable', this.reason);
      return;
    }
    this.current = status.embedder;
    this.reason = null;
    this.report('ok', `The embedding model ${status.embedder.modelId} is ready.`);
    await this.reembed();
  }

  private async download(abortSignal: AbortSignal): Promise<void> {
    const config = parseEmbeddingConfig(this.options.config);
    if (config.provider !== 'local') return;
    const spec = resolveModelSpec(config.model);
    const missing = await missingModelFiles(modelsDirectory(this.options.dataDir), spec, { abortSignal });
    const expected = missing.reduce((sum, file) => sum + (file.sizeBytes ?? 0), 0);
    const loaded = new Map<string, number>();
    const totals = new Map<string, number>();
    this.progress(`Downloading the embedding model ${spec.id}: ${amountOf(0, expected)}`, true);
    await downloadLocalEmbeddingModel({
      dataDir: this.options.dataDir,
      config,
      abortSignal,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      onProgress: (progress: ModelDownloadProgress) => {
        loaded.set(progress.file, progress.loadedBytes);
        if (progress.totalBytes !== null) totals.set(progress.file, progress.totalBytes);
        const done = sum(loaded.values());
        const total = Math.max(expected, sum(totals.values()), done);
        this.progress(`Downloading the embedding model ${spec.id}: ${amountOf(done, total)}`);
      },
    });
  }

  /** A progress message, at most every PROGRESS_INTERVAL_MS unless `force`. */
  private progress(message: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    this.report('unavailable', message);
  }

  private report(state: ServiceState['state'], message: string | null, resumeAt: number | null = null): void {
    this.options.onServiceState?.({ service: EMBEDDINGS_SERVICE, state, resumeAt, message });
  }
}

/** `<dataDir>/index`: the LanceDB database of the local backend. */
export function indexDirectory(dataDir: string): string {
  return path.join(dataDir, 'index');
}

function embedderOptions(
  options: OpenLocalSemanticOptions,
  abortSignal?: AbortSignal,
): CreateLocalEmbedderOptions {
  return {
    dataDir: options.dataDir,
    download: false,
    ...(options.config ? { config: options.config } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.workerEntry !== undefined ? { workerEntry: options.workerEntry } : {}),
    ...(abortSignal ? { abortSignal } : {}),
  };
}

/** Why semantic search is off while the model is missing, and what turns it on. */
function missingModelReason(options: OpenLocalSemanticOptions, modelId: string): string {
  if (options.downloadModel) {
    return `the embedding model ${modelId} is being downloaded, so semantic search is off until it arrives (keyword search works).`;
  }
  let size = '';
  try {
    const config = parseEmbeddingConfig(options.config);
    if (config.provider === 'local') {
      const bytes = resolveModelSpec(config.model).files.reduce(
        (total, file) => total + (file.sizeBytes ?? 0),
        0,
      );
      if (bytes > 0) size = `, ${Math.round(bytes / 1e6)} MB`;
    }
  } catch {
    // The size is a courtesy; the status already said what is missing.
  }
  return (
    'no local embedding model is installed, so semantic search is off (keyword search works). ' +
    `Run \`quarry models download\` once to fetch ${modelId}${size}.`
  );
}

function invalidConfigStatus(error: unknown): LocalEmbedderStatus {
  const info = toErrorInfo(error);
  return {
    embedder: null,
    reason: `Semantic search is off: ${info.message} Fix the embedding settings; keyword search still works.`,
    error: info,
    modelId: null,
    dimensions: null,
  };
}

/** "45 MB of 135 MB" (KB for small models), both in the total's unit. */
function amountOf(done: number, total: number): string {
  const [unit, size] = total >= 1e6 ? ['MB', 1e6] : ['KB', 1e3];
  return `${Math.round(done / size)} ${unit} of ${Math.round(total / size)} ${unit}`;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Waits; false when aborted first. */
function sleep(delayInMs: number, abortSignal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (abortSignal.aborted) {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => {
      abortSignal.removeEventListener('abort', onAbort);
      resolve(true);
    }, delayInMs);
    timer.unref();
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    abortSignal.addEventListener('abort', onAbort, { once: true });
  });
}
