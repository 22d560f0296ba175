/**
 * Coalesces per-file index writes. Every LanceDB write is a new table version (and new fragment
 * files), so 5,000 files written one by one would make 5,000+ versions. Instead, writes wait a
 * short linger, then every pending file goes in one commit (one delete + one add), up to a batch
 * limit. Commits run on a shared serial queue (concurrency 1) so they never overlap with each
 * other or with index maintenance. Each caller's promise settles when its own rows are committed.
 */
import type PQueue from 'p-queue';
import { QuarryError } from '../../../contract';
import type { CallOptions } from '../../types';

/** Replace all rows of `sourcePath` by `rows` (none: remove the file). */
export interface FileWrite<Row> {
  sourcePath: string;
  rows: Row[];
}

export interface CoalescingWriterOptions<Row> {
  /** The serial queue every table mutation goes through. */
  queue: PQueue;
  /** Applies a batch atomically enough: old rows of every path removed, then the new rows added. */
  commit: (writes: FileWrite<Row>[]) => Promise<void>;
  /** How long a write waits for others to join its batch. */
  lingerInMs: number;
  /** A batch closes at this many rows (a single larger file still goes alone). */
  maxBatchRows: number;
  /** A batch closes at this many files. */
  maxBatchFiles: number;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  detach: () => void;
}

interface PendingFile<Row> {
  write: FileWrite<Row>;
  waiters: Waiter[];
}

export class CoalescingWriter<Row> {
  private readonly options: CoalescingWriterOptions<Row>;
  /** Pending writes by path: a newer write of the same path supersedes the older one. */
  private readonly pending = new Map<string, PendingFile<Row>>();
  private pendingRows = 0;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private flushQueued = false;
  private closed = false;

  constructor(options: CoalescingWriterOptions<Row>) {
    this.options = options;
  }

  /** Resolves once the write is committed; rejects with `cancelled` if aborted before its batch starts. */
  submit(write: FileWrite<Row>, options: CallOptions = {}): Promise<void> {
    const { abortSignal } = options;
    if (this.closed) return Promise.reject(new QuarryError('service', 'The local index is closed.'));
    if (abortSignal?.aborted) return Promise.reject(cancelled());
    return new Promise<void>((resolve, reject) => {
      let entry = this.pending.get(write.sourcePath);
      if (entry) {
        this.pendingRows -= entry.write.rows.length;
        entry.write = write;
      } else {
        entry = { write, waiters: [] };
        this.pending.set(write.sourcePath, entry);
      }
      this.pendingRows += write.rows.length;
      const pendingEntry = entry;
      const onAbort = () => this.abandon(pendingEntry, waiter);
      const waiter: Waiter = {
        resolve,
        reject,
        detach: () => abortSignal?.removeEventListener('abort', onAbort),
      };
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      entry.waiters.push(waiter);
      this.schedule();
    });
  }

  /** Commits everything submitted so far; resolves when the queue has nothing left to do. */
  async flush(): Promise<void> {
    while (this.pending.size > 0 || this.flushQueued) {
      this.enqueueFlush();
      await this.options.queue.onIdle();
    }
    await this.options.queue.onIdle();
  }

  /** Refuses new writes and commits the pending ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  get pendingFileCount(): number {
    return this.pending.size;
  }

  private schedule(): void {
    const full =
      this.pendingRows >= this.options.maxBatchRows || this.pending.size >= this.options.maxBatchFiles;
    if (full) this.enqueueFlush();
    else if (!this.lingerTimer && !this.flushQueued) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined;
        this.enqueueFlush();
      }, this.options.lingerInMs);
    }
  }

  private enqueueFlush(): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    if (this.flushQueued || this.pending.size === 0) return;
    this.flushQueued = true;
    void this.options.queue.add(() => this.runFlush());
  }

  private async runFlush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.takeBatch();
    if (batch.length > 0) {
      try {
        await this.options.commit(batch.map((entry) => entry.write));
        for (const entry of batch) for (const waiter of entry.waiters) waiter.resolve();
      } catch (error) {
        const failure =
          error instanceof QuarryError
            ? error
            : new QuarryError('service', `Could not write to the local index: ${messageOf(error)}`, {
                cause: error,
              });
        for (const entry of batch) for (const waiter of entry.waiters) waiter.reject(failure);
      }
    }
    // Writes that arrived during the commit have waited long enough: take them now.
    if (this.pending.size > 0) this.enqueueFlush();
  }

  /** Takes pending files in arrival order up to the batch limits; taken writes can no longer be aborted. */
  private takeBatch(): PendingFile<Row>[] {
    const batch: PendingFile<Row>[] = [];
    let rows = 0;
    for (const [path, entry] of this.pending) {
      const size = entry.write.rows.length;
      if (batch.length >= this.options.maxBatchFiles) break;
      if (batch.length > 0 && rows + size > this.options.maxBatchRows) break;
      batch.push(entry);
      rows += size;
      this.pending.delete(path);
      this.pendingRows -= size;
      for (const waiter of entry.waiters) waiter.detach();
    }
    return batch;
  }

  private abandon(entry: PendingFile<Row>, waiter: Waiter): void {
    const index = entry.waiters.indexOf(waiter);
    if (index === -1 || this.pending.get(entry.write.sourcePath) !== entry) return;
    entry.waiters.splice(index, 1);
    // Nobody waits for this write any more: drop it rather than commit work that was cancelled.
    if (entry.waiters.length === 0) {
      this.pending.delete(entry.write.sourcePath);
      this.pendingRows -= entry.write.rows.length;
    }
    waiter.reject(cancelled());
  }
}

function cancelled(): QuarryError {
  return new QuarryError('cancelled', 'Cancelled', { retryable: false });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
