/**
 * Shares embedding batches across callers: the pipeline embeds file by file, often a few chunks at a
 * time, while a model (or an endpoint) is fastest with full batches. Texts of every pending call
 * queue up in order; a runner takes up to `maxBatchSize` of them at a time.
 *
 * Each call keeps its own abort signal: an aborted call rejects at once and its queued texts are
 * dropped; a batch already running is aborted only when every call in it was aborted (others still
 * want their vectors), and its results for aborted calls are discarded.
 */
import { QuarryError } from '../../../../contract';
import { cancelledError } from './cancellation';

export type RunBatch = (texts: string[], options: { abortSignal: AbortSignal }) => Promise<number[][]>;

export interface EmbeddingBatcherOptions {
  maxBatchSize: number;
  /** Also closes a batch once its texts reach this many characters (endpoints limit request size). */
  maxBatchChars?: number;
  /** Batches in flight at once: 1 for a local model (it uses every core), more for an endpoint. */
  concurrency?: number;
}

interface Call {
  vectors: (number[] | undefined)[];
  remaining: number;
  settled: boolean;
  /** Batches of this call currently running. */
  running: Set<Batch>;
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

interface Item {
  call: Call;
  index: number;
  text: string;
}

interface Batch {
  items: Item[];
  controller: AbortController;
}

export class EmbeddingBatcher {
  private readonly queue: Item[] = [];
  private readonly inFlight = new Set<Batch>();
  private closed = false;
  private pumpScheduled = false;
  private readonly concurrency: number;

  constructor(
    private readonly runBatch: RunBatch,
    private readonly options: EmbeddingBatcherOptions,
  ) {
    if (!(options.maxBatchSize >= 1)) throw new RangeError('maxBatchSize must be at least 1');
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  embed(texts: string[], abortSignal?: AbortSignal): Promise<number[][]> {
    if (this.closed) return Promise.reject(closedError());
    if (abortSignal?.aborted) return Promise.reject(cancelledError(abortSignal));
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise<number[][]>((resolve, reject) => {
      const call: Call = {
        vectors: new Array(texts.length),
        remaining: texts.length,
        settled: false,
        running: new Set(),
        resolve,
        reject,
        detach: () => {},
      };
      if (abortSignal) {
        const onAbort = () => this.abortCall(call, cancelledError(abortSignal));
        abortSignal.addEventListener('abort', onAbort, { once: true });
        call.detach = () => abortSignal.removeEventListener('abort', onAbort);
      }
      // Similar lengths share a batch, so padding to the longest text wastes little.
      const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
      for (const index of order) this.queue.push({ call, index, text: texts[index]! });
      this.schedulePump();
    });
  }

  /** Rejects every pending call; batches in flight are aborted. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = closedError();
    const calls = new Set(this.queue.map((item) => item.call));
    for (const batch of this.inFlight) {
      for (const item of batch.items) calls.add(item.call);
      batch.controller.abort(error);
    }
    this.queue.length = 0;
    for (const call of calls) this.settle(call, error);
  }

  /** Pumps after the current turn, so calls made together (Promise.all) share batches. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < this.concurrency) {
      const batch = this.takeBatch();
      if (!batch) return;
      this.inFlight.add(batch);
      void this.run(batch).finally(() => {
        this.inFlight.delete(batch);
        this.pump();
      });
    }
  }

  private takeBatch(): Batch | null {
    const items: Item[] = [];
    let chars = 0;
    while (this.queue.length > 0 && items.length < this.options.maxBatchSize) {
      const next = this.queue[0]!;
      if (next.call.settled) {
        this.queue.shift();
        continue;
      }
      const limit = this.options.maxBatchChars;
      if (limit !== undefined && items.length > 0 && chars + next.text.length > limit) break;
      this.queue.shift();
      items.push(next);
      chars += next.text.length;
    }
    if (items.length === 0) return null;
    const batch: Batch = { items, controller: new AbortController() };
    for (const item of items) item.call.running.add(batch);
    return batch;
  }

  private async run(batch: Batch): Promise<void> {
    let vectors: number[][];
    try {
      vectors = await this.runBatch(
        batch.items.map((item) => item.text),
        { abortSignal: batch.controller.signal },
      );
      if (vectors.length !== batch.items.length) {
        throw new QuarryError(
          'service',
          `The embedder returned ${vectors.length} vectors for ${batch.items.length} texts.`,
          { reason: 'embedding_count_mismatch' },
        );
      }
    } catch (error) {
      for (const item of batch.items) {
        item.call.running.delete(batch);
        this.settle(item.call, error);
      }
      return;
    }
    batch.items.forEach((item, position) => {
      const { call } = item;
      call.running.delete(batch);
      if (call.settled) return;
      call.vectors[item.index] = vectors[position];
      call.remaining -= 1;
      if (call.remaining === 0) {
        call.settled = true;
        call.detach();
        call.resolve(call.vectors as number[][]);
      }
    });
  }

  private abortCall(call: Call, error: QuarryError): void {
    this.settle(call, error);
    // A running batch stops only when nobody still waits for any of its texts.
    for (const batch of call.running) {
      if (batch.items.every((item) => item.call.settled)) batch.controller.abort(error);
    }
  }

  private settle(call: Call, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    call.detach();
    call.reject(error);
  }
}

function closedError(): QuarryError {
  return new QuarryError('cancelled', 'The embedder was closed.', { reason: 'embedder_closed' });
}
