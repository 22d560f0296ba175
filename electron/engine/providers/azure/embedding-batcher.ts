/**
 * Packs the embedding inputs of many concurrent callers (one per file) into few large requests:
 * up to `maxInputsPerRequest` inputs and `maxTokensPerRequest` tokens each, flushed when full, or
 * after a short linger once a request slot is free — so while the service is busy, batches keep
 * growing instead of queueing as many small requests. Identical inputs (same key) are sent once
 * and shared. A caller that aborts leaves the others' batch intact; a request is aborted only when
 * nobody waits for any of its inputs any more.
 */
import { QuarryError } from '../../../contract/errors';

export interface BatchInput {
  /** Identity of the text (its cache key); equal keys are embedded once. */
  key: string;
  text: string;
  tokens: number;
}

/** Sends one request; resolves one vector per input, in input order. */
export type SendBatch = (inputs: readonly BatchInput[], signal: AbortSignal) => Promise<number[][]>;

export interface EmbeddingBatcherOptions {
  send: SendBatch;
  /** Azure OpenAI: 2048 inputs per request. */
  maxInputsPerRequest?: number;
  /** Azure OpenAI: 300,000 tokens per request (keep it within the deployment's TPM too). */
  maxTokensPerRequest?: number;
  /** How long a partial batch waits for more inputs. */
  lingerInMs?: number;
  /** Partial batches are held back while this many requests are outstanding. */
  maxInFlightRequests?: number;
  /** Every vector that arrives, even if its callers left (so it can be cached: it was paid for). */
  onVector?: (input: BatchInput, vector: number[]) => void;
}

export interface EmbeddingBatcherStats {
  /** Requests that got an answer (successful or not). */
  requests: number;
  /** Inputs in those requests. */
  inputs: number;
  tokens: number;
  meanInputsPerRequest: number;
  largestRequest: number;
  failedRequests: number;
  /** Inputs another caller had already asked for (sent once). */
  sharedInputs: number;
}

interface Caller {
  results: Array<number[] | undefined>;
  remaining: number;
  settled: boolean;
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  links: Array<{ entry: Entry; position: number }>;
  detachAbort: () => void;
}

interface Entry {
  input: BatchInput;
  /** Callers waiting for this input, with the position in each caller's result. */
  waiters: Map<Caller, number[]>;
  batch: Batch | undefined;
}

interface Batch {
  entries: Entry[];
  controller: AbortController;
}

export class EmbeddingBatcher {
  private readonly send: SendBatch;
  private readonly maxInputs: number;
  private readonly maxTokens: number;
  private readonly lingerInMs: number;
  private readonly maxInFlight: number;
  private readonly onVector: ((input: BatchInput, vector: number[]) => void) | undefined;

  private readonly entries = new Map<string, Entry>();
  private pending: Entry[] = [];
  private pendingTokens = 0;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerElapsed = false;
  private inFlight = 0;
  private closed = false;
  private readonly counters = {
    requests: 0,
    inputs: 0,
    tokens: 0,
    largestRequest: 0,
    failedRequests: 0,
    sharedInputs: 0,
  };

  constructor(options: EmbeddingBatcherOptions) {
    this.send = options.send;
    this.maxInputs = options.maxInputsPerRequest ?? 2048;
    this.maxTokens = options.maxTokensPerRequest ?? 300_000;
    this.lingerInMs = options.lingerInMs ?? 20;
    this.maxInFlight = Math.max(1, options.maxInFlightRequests ?? 4);
    this.onVector = options.onVector;
  }

  get stats(): EmbeddingBatcherStats {
    const { requests, inputs } = this.counters;
    return { ...this.counters, meanInputsPerRequest: requests === 0 ? 0 : inputs / requests };
  }

  /** Vectors for `inputs`, in order. Rejects with `cancelled` as soon as `abortSignal` aborts. */
  embed(inputs: readonly BatchInput[], options: { abortSignal?: AbortSignal } = {}): Promise<number[][]> {
    const { abortSignal } = options;
    if (this.closed) return Promise.reject(new QuarryError('cancelled', 'The embedder was closed'));
    if (abortSignal?.aborted) return Promise.reject(cancelled(abortSignal.reason));
    if (inputs.length === 0) return Promise.resolve([]);
    for (const input of inputs) {
      if (input.tokens > this.maxTokens) {
        return Promise.reject(
          new QuarryError(
            'invalid_input',
            `An embedding input of ${input.tokens} tokens exceeds the ${this.maxTokens}-token request limit.`,
            { reason: 'input_too_long' },
          ),
        );
      }
    }
    return new Promise<number[][]>((resolve, reject) => {
      const caller: Caller = {
        results: new Array(inputs.length).fill(undefined),
        remaining: inputs.length,
        settled: false,
        resolve,
        reject,
        links: [],
        detachAbort: () => {},
      };
      if (abortSignal) {
        const onAbort = (): void => this.fail(caller, cancelled(abortSignal.reason));
        abortSignal.addEventListener('abort', onAbort, { once: true });
        caller.detachAbort = () => abortSignal.removeEventListener('abort', onAbort);
      }
      inputs.forEach((input, position) => {
        this.enqueue(caller, input, position);
      });
    });
  }

  /** Rejects every waiting caller and aborts requests in flight. */
  close(): void {
    this.closed = true;
    this.clearLinger();
    const error = new QuarryError('cancelled', 'The embedder was closed');
    for (const entry of [...this.entries.values()]) {
      for (const caller of [...entry.waiters.keys()]) this.fail(caller, error);
    }
  }

  private enqueue(caller: Caller, input: BatchInput, position: number): void {
    const existing = this.entries.get(input.key);
    if (existing) {
      this.counters.sharedInputs += 1;
      this.link(caller, existing, position);
      return;
    }
    if (this.pending.length + 1 > this.maxInputs || this.pendingTokens + input.tokens > this.maxTokens) {
      this.flush();
    }
    const entry: Entry = { input, waiters: new Map(), batch: undefined };
    this.entries.set(input.key, entry);
    this.link(caller, entry, position);
    this.pending.push(entry);
    this.pendingTokens += input.tokens;
    if (this.pending.length >= this.maxInputs || this.pendingTokens >= this.maxTokens) {
      this.flush();
    } else {
      this.startLinger();
    }
  }

  private link(caller: Caller, entry: Entry, position: number): void {
    const positions = entry.waiters.get(caller);
    if (positions) positions.push(position);
    else entry.waiters.set(caller, [position]);
    caller.links.push({ entry, position });
  }

  private startLinger(): void {
    if (this.lingerTimer !== undefined || this.lingerElapsed) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.lingerElapsed = true;
      if (this.inFlight < this.maxInFlight) this.flush();
    }, this.lingerInMs);
  }

  private clearLinger(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.lingerElapsed = false;
  }

  /** Sends what is pending as one request. */
  private flush(): void {
    this.clearLinger();
    const entries = this.pending.filter((entry) => entry.waiters.size > 0);
    this.pending = [];
    this.pendingTokens = 0;
    if (entries.length === 0) return;
    void this.dispatch(entries);
  }

  private async dispatch(entries: Entry[]): Promise<void> {
    const batch: Batch = { entries, controller: new AbortController() };
    for (const entry of entries) entry.batch = batch;
    this.inFlight += 1;
    const tokens = entries.reduce((sum, entry) => sum + entry.input.tokens, 0);
    let vectors: number[][] | undefined;
    let failure: unknown;
    try {
      vectors = await this.send(
        entries.map((entry) => entry.input),
        batch.controller.signal,
      );
      if (vectors.length !== entries.length) {
        throw new QuarryError(
          'service',
          `The embedding service returned ${vectors.length} vectors for ${entries.length} inputs.`,
          { reason: 'bad_response' },
        );
      }
    } catch (error) {
      failure = error;
    }
    this.inFlight -= 1;
    if (!batch.controller.signal.aborted) {
      this.counters.requests += 1;
      this.counters.inputs += entries.length;
      this.counters.tokens += tokens;
      this.counters.largestRequest = Math.max(this.counters.largestRequest, entries.length);
    }
    if (vectors && failure === undefined) {
      entries.forEach((entry, i) => {
        const vector = vectors[i];
        if (vector) this.deliver(entry, vector);
      });
    } else {
      this.counters.failedRequests += batch.controller.signal.aborted ? 0 : 1;
      this.onBatchFailed(entries, failure);
    }
    // A slot is free: a partial batch that outlived its linger goes now.
    if (this.lingerElapsed && this.pending.length > 0 && this.inFlight < this.maxInFlight) this.flush();
  }

  /**
   * One bad input (400) must not fail the other callers of its batch: split and resend halves
   * until the culprit stands alone. Other failures reach every caller in the batch.
   */
  private onBatchFailed(entries: Entry[], error: unknown): void {
    const live = entries.filter((entry) => entry.waiters.size > 0);
    const callers = new Set(live.flatMap((entry) => [...entry.waiters.keys()]));
    if (isolatable(error) && live.length > 1 && callers.size > 1) {
      for (const entry of entries) if (entry.waiters.size === 0) this.forget(entry);
      const middle = Math.ceil(live.length / 2);
      void this.dispatch(live.slice(0, middle));
      void this.dispatch(live.slice(middle));
      return;
    }
    for (const entry of entries) this.forget(entry);
    for (const caller of callers) this.fail(caller, error);
  }

  /** Drops an entry from the shared map unless a newer entry took its key. */
  private forget(entry: Entry): void {
    if (this.entries.get(entry.input.key) === entry) this.entries.delete(entry.input.key);
  }

  private deliver(entry: Entry, vector: number[]): void {
    this.forget(entry);
    this.onVector?.(entry.input, vector);
    for (const [caller, positions] of entry.waiters) {
      if (caller.settled) continue;
      for (const position of positions) {
        caller.results[position] = vector;
        caller.remaining -= 1;
      }
      if (caller.remaining === 0) {
        caller.settled = true;
        caller.detachAbort();
        caller.resolve(caller.results as number[][]);
      }
    }
    entry.waiters.clear();
  }

  /** Rejects one caller and lets go of its inputs; a request nobody waits for is aborted. */
  private fail(caller: Caller, error: unknown): void {
    if (caller.settled) return;
    caller.settled = true;
    caller.detachAbort();
    caller.reject(error);
    for (const { entry } of caller.links) {
      if (!entry.waiters.delete(caller) || entry.waiters.size > 0) continue;
      if (entry.batch === undefined) {
        // Still pending: drop it from the next request.
        this.pending = this.pending.filter((candidate) => candidate !== entry);
        this.pendingTokens -= entry.input.tokens;
        this.forget(entry);
        if (this.pending.length === 0) this.clearLinger();
      } else if (entry.batch.entries.every((candidate) => candidate.waiters.size === 0)) {
        for (const candidate of entry.batch.entries) this.forget(candidate);
        entry.batch.controller.abort(error);
      }
    }
  }
}

/** A request the service refused as a whole (400, 413): some input in it may be the cause. */
function isolatable(error: unknown): boolean {
  return (
    error instanceof QuarryError &&
    error.code === 'invalid_input' &&
    (error.reason === 'bad_request' || error.reason === 'too_large')
  );
}

function cancelled(reason: unknown): QuarryError {
  if (reason instanceof QuarryError && reason.code === 'cancelled') return reason;
  return new QuarryError('cancelled', 'Cancelled', { cause: reason });
}
