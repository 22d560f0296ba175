/**
 * Messages between the embedder (main thread) and the embedding worker. Plain data only: vectors
 * travel as one transferable Float32Array per batch (row-major, `count x dimensions`).
 */

/** Passed as `workerData`: everything the worker needs to open the model offline. */
export interface EmbeddingWorkerConfig {
  /** `<dataDir>/models`: transformers.js `env.localModelPath`. */
  modelsDir: string;
  /** transformers.js `env.cacheDir`, inside the data dir (never node_modules or cwd). */
  cacheDir: string;
  modelId: string;
  dtype: string;
  pooling: 'mean' | 'cls';
  normalize: boolean;
  /** onnxruntime intra-op threads. */
  threads: number;
}

export type WorkerRequest = { type: 'embed'; id: number; texts: string[] };

export type WorkerResponse =
  | { type: 'ready'; loadMs: number }
  | { type: 'embedded'; id: number; count: number; dimensions: number; vectors: Float32Array }
  | { type: 'failed'; id: number | null; message: string; stage: 'load' | 'embed' };
