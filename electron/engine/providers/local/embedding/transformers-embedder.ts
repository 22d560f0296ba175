/**
 * The local Embedder: a transformers.js feature-extraction pipeline (onnxruntime-node) running in a
 * worker thread, fed by an EmbeddingBatcher so texts from many files share batches.
 *
 * - Prefixes: queries get the model's query prefix, indexed text its document prefix (E5).
 * - Abort: a call rejects at once; a batch already inside onnxruntime cannot be interrupted, so
 *   it finishes in the worker and its vectors are dropped (a batch is small: tens of chunks).
 * - The worker is unref'd while idle, so an embedder left open never keeps a CLI process alive;
 *   if it dies, pending calls fail (retryable) and the next batch starts a fresh one.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { QuarryError } from '../../../../contract';
import type { CallOptions, Embedder, EmbedOptions } from '../../../types';
import { cancelledError, throwIfCancelled } from './cancellation';
import { EmbeddingBatcher } from './embedding-batcher';
import type { EmbeddingModelSpec } from './model-registry';
import { findWorkerEntry, launchEmbeddingWorker, type WorkerEntry } from './worker-launcher';
import type { EmbeddingWorkerConfig, WorkerRequest, WorkerResponse } from './worker-protocol';

export interface TransformersEmbedderOptions {
  spec: EmbeddingModelSpec;
  /** `<dataDir>/models`: the model must already be there (see model-download.ts). */
  modelsDir: string;
  /** Scratch cache for transformers.js, inside the data dir. */
  cacheDir: string;
  /** onnxruntime threads; all cores (at most 4) by default. */
  threads?: number;
  /** Texts per inference call. */
  maxBatchSize?: number;
  /** Where the worker entry is; found next to this module by default. */
  workerEntry?: WorkerEntry | null;
}

const DEFAULT_MAX_BATCH_SIZE = 16;

export class TransformersEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly batcher: EmbeddingBatcher;
  private worker: Promise<LoadedWorker> | null = null;
  private closed = false;

  private constructor(
    private readonly options: TransformersEmbedderOptions,
    first: LoadedWorker,
  ) {
    this.modelId = options.spec.id;
    this.dimensions = options.spec.dimensions;
    this.worker = Promise.resolve(first);
    first.onExit(() => this.forget(first));
    this.batcher = new EmbeddingBatcher((texts, { abortSignal }) => this.runBatch(texts, abortSignal), {
      maxBatchSize: options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE,
    });
  }

  /** Starts the worker and loads the model; rejects with a QuarryError when it cannot. */
  static async open(
    options: TransformersEmbedderOptions,
    callOptions: CallOptions = {},
  ): Promise<TransformersEmbedder> {
    const worker = await LoadedWorker.start(options, callOptions.abortSignal);
    return new TransformersEmbedder(options, worker);
  }

  embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    if (this.closed) {
      return Promise.reject(
        new QuarryError('cancelled', 'The embedder was closed.', { reason: 'embedder_closed' }),
      );
    }
    const prefix =
      options.inputType === 'query' ? this.options.spec.queryPrefix : this.options.spec.documentPrefix;
    return this.batcher.embed(prefix ? texts.map((text) => prefix + text) : texts, options.abortSignal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.batcher.close();
    const worker = await this.worker?.catch(() => null);
    this.worker = null;
    await worker?.stop();
  }

  private async runBatch(texts: string[], abortSignal: AbortSignal): Promise<number[][]> {
    if (!this.worker) {
      const starting = LoadedWorker.start(this.options);
      this.worker = starting;
      starting.then(
        (worker) => worker.onExit(() => this.forget(worker)),
        () => {
          if (this.worker === starting) this.worker = null;
        },
      );
    }
    const worker = await this.worker;
    return worker.embed(texts, abortSignal, this.dimensions);
  }

  /** A worker that exited is dropped, so the next batch starts a fresh one. */
  private forget(worker: LoadedWorker): void {
    const current = this.worker;
    current?.then(
      (active) => {
        if (active === worker && this.worker === current) this.worker = null;
      },
      () => {},
    );
  }
}

interface PendingBatch {
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  dimensions: number;
}

/** One worker thread with the model loaded; answers batches by id. */
class LoadedWorker {
  private nextId = 1;
  private readonly pending = new Map<number, PendingBatch>();
  private readonly exitListeners: (() => void)[] = [];
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    private readonly modelId: string,
  ) {
    worker.on('message', (message: WorkerResponse) => this.onMessage(message));
    worker.on('error', (error) => this.fail(crashedError(modelId, error)));
    worker.on('exit', (code) =>
      this.fail(crashedError(modelId, new Error(`the worker exited with code ${code}`))),
    );
  }

  static start(options: TransformersEmbedderOptions, abortSignal?: AbortSignal): Promise<LoadedWorker> {
    throwIfCancelled(abortSignal);
    const config: EmbeddingWorkerConfig = {
      modelsDir: options.modelsDir,
      cacheDir: options.cacheDir,
      modelId: options.spec.id,
      dtype: options.spec.dtype,
      pooling: options.spec.pooling,
      normalize: options.spec.normalize,
      threads: options.threads ?? Math.max(1, Math.min(4, availableParallelism())),
    };
    const entry = options.workerEntry === undefined ? findWorkerEntry() : options.workerEntry;
    const thread = launchEmbeddingWorker(config, entry);
    return new Promise<LoadedWorker>((resolve, reject) => {
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        abortSignal?.removeEventListener('abort', onAbort);
      };
      const failWith = (error: QuarryError) => {
        cleanup();
        void thread.terminate();
        reject(error);
      };
      const onMessage = (message: WorkerResponse) => {
        if (message.type === 'ready') {
          cleanup();
          const loaded = new LoadedWorker(thread, options.spec.id);
          thread.unref();
          resolve(loaded);
        } else if (message.type === 'failed') {
          failWith(loadError(options.spec.id, message.message));
        }
      };
      const onError = (error: Error) => failWith(loadError(options.spec.id, error.message, error));
      const onExit = (code: number) =>
        failWith(loadError(options.spec.id, `the worker exited with code ${code}`));
      const onAbort = () => failWith(cancelledError(abortSignal));
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      abortSignal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  embed(texts: string[], abortSignal: AbortSignal, dimensions: number): Promise<number[][]> {
    if (this.exited) return Promise.reject(crashedError(this.modelId, new Error('the worker is gone')));
    if (abortSignal.aborted) return Promise.reject(cancelledError(abortSignal));
    const id = this.nextId++;
    return new Promise<number[][]>((resolve, reject) => {
      // An aborted batch is abandoned here; the worker finishes it and its answer is ignored.
      const onAbort = () => settle(() => reject(cancelledError(abortSignal)));
      const settle = (action: () => void) => {
        abortSignal.removeEventListener('abort', onAbort);
        if (!this.pending.delete(id)) return;
        if (this.pending.size === 0) this.worker.unref();
        action();
      };
      this.pending.set(id, {
        dimensions,
        resolve: (vectors) => settle(() => resolve(vectors)),
        reject: (error) => settle(() => reject(error)),
      });
      abortSignal.addEventListener('abort', onAbort, { once: true });
      this.worker.ref();
      const request: WorkerRequest = { type: 'embed', id, texts };
      this.worker.postMessage(request);
    });
  }

  onExit(listener: () => void): void {
    if (this.exited) listener();
    else this.exitListeners.push(listener);
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
  }

  private onMessage(message: WorkerResponse): void {
    if (message.type === 'embedded') {
      const batch = this.pending.get(message.id);
      if (!batch) return;
      if (message.dimensions !== batch.dimensions) {
        batch.reject(
          new QuarryError(
            'invalid_input',
            `The embedding model ${this.modelId} returns ${message.dimensions}-dimensional vectors, ` +
              `but it is configured for ${batch.dimensions}. Fix the model's "dimensions" setting.`,
            { reason: 'embedding_dimensions_mismatch' },
          ),
        );
        return;
      }
      batch.resolve(rows(message.vectors, message.count, message.dimensions));
    } else if (message.type === 'failed' && message.id !== null) {
      this.pending.get(message.id)?.reject(
        new QuarryError('service', `The embedding model ${this.modelId} failed: ${message.message}`, {
          reason: 'embedding_failed',
        }),
      );
    }
  }

  private fail(error: QuarryError): void {
    if (this.exited) return;
    this.exited = true;
    for (const batch of [...this.pending.values()]) batch.reject(error);
    for (const listener of this.exitListeners.splice(0)) listener();
  }
}

function rows(vectors: Float32Array, count: number, dimensions: number): number[][] {
  const result: number[][] = [];
  for (let row = 0; row < count; row++) {
    result.push(Array.from(vectors.subarray(row * dimensions, (row + 1) * dimensions)));
  }
  return result;
}

function loadError(modelId: string, detail: string, cause?: unknown): QuarryError {
  return new QuarryError('service', `Could not load the embedding model ${modelId}: ${detail}`, {
    reason: 'embedding_model_load_failed',
    retryable: false,
    cause,
  });
}

function crashedError(modelId: string, cause: Error): QuarryError {
  return new QuarryError('service', `The embedding worker for ${modelId} stopped: ${cause.message}`, {
    reason: 'embedding_worker_crashed',
    retryable: true,
    cause,
  });
}
