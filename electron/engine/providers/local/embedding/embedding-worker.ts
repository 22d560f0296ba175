/**
 * Worker-thread entry: loads a feature-extraction pipeline (transformers.js on onnxruntime-node)
 * fully offline from the models folder and embeds batches sent by TransformersEmbedder, one at a
 * time, so inference never blocks the thread that talks to the UI.
 *
 * Bundled as its own file next to the main bundle (dist/main/embedding-worker.js); under tsx or
 * vitest it runs from source through worker-launcher.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EmbeddingWorkerConfig, WorkerRequest, WorkerResponse } from './worker-protocol';

type Extractor = (
  texts: string[],
  options: { pooling: 'mean' | 'cls'; normalize: boolean },
) => Promise<{ data: ArrayLike<number>; dims: number[] }>;

const port = parentPort;
if (!port) throw new Error('embedding-worker.ts must run in a worker thread');
const config = workerData as EmbeddingWorkerConfig;

function send(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function loadExtractor(): Promise<Extractor> {
  const { env, pipeline } = await import('@huggingface/transformers');
  // Offline: only files already verified in the models folder; caches stay inside the data dir.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = config.modelsDir;
  env.cacheDir = config.cacheDir;
  env.useFSCache = false;
  env.useWasmCache = false;
  const extractor = await pipeline('feature-extraction', config.modelId, {
    dtype: config.dtype as 'fp32',
    local_files_only: true,
    session_options: { intraOpNumThreads: config.threads, interOpNumThreads: 1 },
  });
  return async (texts, options) => {
    const output = await extractor(texts, options);
    return { data: output.data as ArrayLike<number>, dims: output.dims };
  };
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  let extractor: Extractor;
  try {
    extractor = await loadExtractor();
  } catch (error) {
    send({ type: 'failed', id: null, message: messageOf(error), stage: 'load' });
    return;
  }
  send({ type: 'ready', loadMs: Math.round(performance.now() - startedAt) });

  // Requests are answered strictly in order: the embedder sends one batch at a time anyway, and
  // chaining keeps two batches from competing for the same onnxruntime threads.
  let chain = Promise.resolve();
  port?.on('message', (request: WorkerRequest) => {
    chain = chain.then(async () => {
      try {
        const output = await extractor(request.texts, {
          pooling: config.pooling,
          normalize: config.normalize,
        });
        const [count = 0, dimensions = 0] = output.dims;
        const vectors = Float32Array.from(output.data);
        send({ type: 'embedded', id: request.id, count, dimensions, vectors }, [vectors.buffer]);
      } catch (error) {
        send({ type: 'failed', id: request.id, message: messageOf(error), stage: 'embed' });
      }
    });
  });
}

void main();
