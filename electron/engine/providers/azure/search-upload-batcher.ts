/**
 * Packs index actions from many files into few requests (DESIGN.md "Batching across files"): a
 * batch holds at most 1,000 actions and 16 MB of JSON (measured, not guessed), and goes out as soon
 * as it is full or after a short linger. A 207 answer retries only the items that failed with a
 * transient status (409, 422, 429, 5xx), with backoff; an item the service refuses for good fails
 * the submission it came from with the service's own message. Each caller's promise settles when
 * its own actions are committed (or one of them has failed), whatever batches they travelled in.
 */
import { setMaxListeners } from 'node:events';
import { QuarryError } from '../../../contract';
import { backoffMs } from '../../pipeline/scheduler/wait';

export type IndexActionType = 'upload' | 'merge' | 'mergeOrUpload' | 'delete';

export interface IndexAction {
  type: IndexActionType;
  /** The document (for `delete`, at least its key). */
  document: { id: string } & Record<string, unknown>;
}

/** The service's verdict on one action of a batch, in the order the actions were sent. */
export interface ItemOutcome {
  succeeded: boolean;
  statusCode: number;
  errorMessage?: string | null;
}

/** Sends one batch as one request (through the `search.index` limiter) and returns per-item outcomes. */
export type SendBatch = (actions: readonly IndexAction[], signal: AbortSignal) => Promise<ItemOutcome[]>;

export interface UploadBatcherOptions {
  send: SendBatch;
  /** Actions per request at most (service limit 1,000). */
  maxActions?: number;
  /** Request body bytes at most (service limit 16 MB; a small margin is kept by default). */
  maxBytes?: number;
  /** How long a partial batch waits for more actions. */
  lingerInMs?: number;
  /** Attempts per action before a transient item failure fails its submission. */
  maxItemAttempts?: number;
  itemRetryBaseDelayInMs?: number;
  itemRetryMaxDelayInMs?: number;
}

export interface UploadBatcherStats {
  requests: number;
  actionsSent: number;
  itemsRetried: number;
}

const DEFAULTS = {
  maxActions: 1000,
  // 16 MiB minus room for the envelope and for how the SDK spells what we measured.
  maxBytes: 16 * 1024 * 1024 - 64 * 1024,
  // Files finish extraction and embedding at scattered times; a quarter second lets a batch fill.
  lingerInMs: 250,
  maxItemAttempts: 6,
  itemRetryBaseDelayInMs: 500,
  itemRetryMaxDelayInMs: 8_000,
};

/** Per-item statuses worth another try: conflict, index busy, throttled, server trouble. */
const TRANSIENT_ITEM_STATUSES = new Set([409, 422, 429, 500, 502, 503, 504]);
/** `{"value":[` + `]}` around the actions. */
const ENVELOPE_BYTES = 12;

class Submission {
  private remaining: number;
  private settled = false;
  readonly promise: Promise<void>;
  private resolvePromise!: () => void;
  private rejectPromise!: (error: unknown) => void;

  constructor(count: number) {
    this.remaining = count;
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    if (count === 0) this.succeed();
  }

  get isSettled(): boolean {
    return this.settled;
  }

  itemDone(): void {
    this.remaining -= 1;
    if (this.remaining === 0) this.succeed();
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectPromise(error);
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolvePromise();
  }
}

interface PendingItem {
  action: IndexAction;
  bytes: number;
  attempts: number;
  owner: Submission;
}

function actionBytes(action: IndexAction): number {
  // The wire form: the document's fields with "@search.action" first, plus a separating comma.
  return Buffer.byteLength(JSON.stringify({ '@search.action': action.type, ...action.document }), 'utf8') + 1;
}

function cancelled(reason: unknown): QuarryError {
  return new QuarryError('cancelled', 'Cancelled', { retryable: false, cause: reason });
}

export class UploadBatcher {
  private readonly send: SendBatch;
  private readonly settings: typeof DEFAULTS;
  private pending: PendingItem[] = [];
  private pendingBytes = 0;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  private readonly counters: UploadBatcherStats = { requests: 0, actionsSent: 0, itemsRetried: 0 };

  constructor(options: UploadBatcherOptions) {
    // Every batch waiting for the limiter listens to this signal: many at once is normal.
    setMaxListeners(0, this.closing.signal);
    this.send = options.send;
    this.settings = {
      maxActions: options.maxActions ?? DEFAULTS.maxActions,
      maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
      lingerInMs: options.lingerInMs ?? DEFAULTS.lingerInMs,
      maxItemAttempts: options.maxItemAttempts ?? DEFAULTS.maxItemAttempts,
      itemRetryBaseDelayInMs: options.itemRetryBaseDelayInMs ?? DEFAULTS.itemRetryBaseDelayInMs,
      itemRetryMaxDelayInMs: options.itemRetryMaxDelayInMs ?? DEFAULTS.itemRetryMaxDelayInMs,
    };
  }

  stats(): UploadBatcherStats {
    return { ...this.counters };
  }

  /** Queues the actions; resolves when every one of them is committed. */
  submit(actions: readonly IndexAction[], options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    const { abortSignal } = options;
    if (this.closing.signal.aborted) return Promise.reject(cancelled('closed'));
    if (abortSignal?.aborted) return Promise.reject(cancelled(abortSignal.reason));
    const items = actions.map((action) => ({ action, bytes: actionBytes(action), attempts: 0 }));
    const oversized = items.find((item) => item.bytes + ENVELOPE_BYTES > this.settings.maxBytes);
    if (oversized) {
      return Promise.reject(
        new QuarryError(
          'invalid_input',
          `Index document ${oversized.action.document.id} is ${Math.round(oversized.bytes / 1024)} KB; Azure AI Search takes at most ${Math.round(this.settings.maxBytes / (1024 * 1024))} MB per request.`,
          { reason: 'too_large' },
        ),
      );
    }
    const submission = new Submission(items.length);
    if (abortSignal) {
      const onAbort = (): void => {
        this.dropPendingOf(submission);
        submission.fail(cancelled(abortSignal.reason));
      };
      abortSignal.addEventListener('abort', onAbort, { once: true });
      void submission.promise.then(
        () => abortSignal.removeEventListener('abort', onAbort),
        () => abortSignal.removeEventListener('abort', onAbort),
      );
    }
    for (const item of items) this.enqueue({ ...item, owner: submission });
    return submission.promise;
  }

  /** Sends what is pending now and waits until every request in flight has answered. */
  async flush(): Promise<void> {
    this.sendFullBatches(true);
    while (this.inFlight.size > 0 || this.pending.length > 0 || this.retryTimers.size > 0) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else if (this.pending.length > 0) this.sendFullBatches(true);
      else await new Promise((resolve) => setTimeout(resolve, this.settings.lingerInMs));
    }
  }

  /** Fails whatever has not been sent and stops the timers; requests in flight still finish. */
  async close(): Promise<void> {
    this.closing.abort(cancelled('closed'));
    this.clearLinger();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    for (const item of this.pending) item.owner.fail(cancelled('closed'));
    this.pending = [];
    this.pendingBytes = 0;
    await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(item: PendingItem): void {
    if (item.owner.isSettled) return;
    this.pending.push(item);
    this.pendingBytes += item.bytes;
    if (
      this.pending.length >= this.settings.maxActions ||
      this.pendingBytes + ENVELOPE_BYTES >= this.settings.maxBytes
    ) {
      this.sendFullBatches(false);
    }
    if (this.pending.length > 0 && this.lingerTimer === undefined) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.sendFullBatches(true);
      }, this.settings.lingerInMs);
    }
  }

  private clearLinger(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }

  private dropPendingOf(submission: Submission): void {
    this.pending = this.pending.filter((item) => item.owner !== submission);
    this.pendingBytes = this.pending.reduce((sum, item) => sum + item.bytes, 0);
  }

  /** Sends every full batch; with `includePartial`, the remainder too. */
  private sendFullBatches(includePartial: boolean): void {
    for (;;) {
      this.pending = this.pending.filter((item) => !item.owner.isSettled);
      const full =
        this.pending.length >= this.settings.maxActions ||
        this.pendingBytes + ENVELOPE_BYTES >= this.settings.maxBytes;
      if (this.pending.length === 0 || (!full && !includePartial)) break;
      this.dispatch(this.takeBatch());
    }
    if (this.pending.length === 0) this.clearLinger();
  }

  /**
   * The next batch, in submission order. An action whose key is already in the batch waits for
   * the next one: the service gives no order guarantee for one key twice in a request.
   */
  private takeBatch(): PendingItem[] {
    const batch: PendingItem[] = [];
    const rest: PendingItem[] = [];
    const keysInBatch = new Set<string>();
    const keysHeld = new Set<string>();
    let bytes = ENVELOPE_BYTES;
    for (const item of this.pending) {
      const key = item.action.document.id;
      const fits = batch.length < this.settings.maxActions && bytes + item.bytes <= this.settings.maxBytes;
      // A held key holds its later actions too, so one key's actions keep their order.
      if (fits && !keysInBatch.has(key) && !keysHeld.has(key)) {
        batch.push(item);
        keysInBatch.add(key);
        bytes += item.bytes;
      } else {
        rest.push(item);
        keysHeld.add(key);
      }
    }
    this.pending = rest;
    this.pendingBytes = rest.reduce((sum, item) => sum + item.bytes, 0);
    return batch;
  }

  private dispatch(batch: PendingItem[]): void {
    if (batch.length === 0) return;
    this.counters.requests += 1;
    this.counters.actionsSent += batch.length;
    const request = this.send(
      batch.map((item) => item.action),
      this.closing.signal,
    )
      .then((outcomes) => this.settle(batch, outcomes))
      .catch((error: unknown) => {
        for (const item of batch) item.owner.fail(error);
      })
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  private settle(batch: readonly PendingItem[], outcomes: readonly ItemOutcome[]): void {
    if (outcomes.length !== batch.length) {
      const error = new QuarryError(
        'service',
        `Azure AI Search answered ${outcomes.length} results for a batch of ${batch.length} documents`,
        { retryable: true, reason: 'bad_batch_response' },
      );
      for (const item of batch) item.owner.fail(error);
      return;
    }
    const retries: PendingItem[] = [];
    for (const [index, item] of batch.entries()) {
      const outcome = outcomes[index]!;
      if (outcome.succeeded) item.owner.itemDone();
      else if (this.shouldRetry(item, outcome)) retries.push({ ...item, attempts: item.attempts + 1 });
    }
    this.scheduleRetry(retries);
  }

  /** Fails the item's submission unless the failure is transient and attempts remain. */
  private shouldRetry(item: PendingItem, outcome: ItemOutcome): boolean {
    const id = item.action.document.id;
    const said = outcome.errorMessage ? `: ${outcome.errorMessage}` : '';
    if (!TRANSIENT_ITEM_STATUSES.has(outcome.statusCode)) {
      item.owner.fail(
        new QuarryError(
          'invalid_input',
          `Azure AI Search refused document ${id} (status ${outcome.statusCode})${said}`,
          { retryable: false, reason: 'document_rejected' },
        ),
      );
      return false;
    }
    const attempts = item.attempts + 1;
    if (attempts >= this.settings.maxItemAttempts) {
      item.owner.fail(
        new QuarryError(
          'service',
          `Azure AI Search kept failing document ${id} (status ${outcome.statusCode}, ${attempts} attempts)${said}`,
          { retryable: true, reason: 'document_retries_exhausted' },
        ),
      );
      return false;
    }
    return true;
  }

  /** The failed items of one answer go back together, after one backoff, so they share a batch again. */
  private scheduleRetry(items: PendingItem[]): void {
    const live = items.filter((item) => !item.owner.isSettled);
    if (live.length === 0) return;
    this.counters.itemsRetried += live.length;
    const attempts = Math.max(...live.map((item) => item.attempts));
    const delay = backoffMs(
      attempts,
      this.settings.itemRetryBaseDelayInMs,
      this.settings.itemRetryMaxDelayInMs,
    );
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      for (const item of live) this.enqueue(item);
    }, delay);
    this.retryTimers.add(timer);
  }
}
