/**
 * `indexedHash` for many files at once: the pipeline asks once per file (to skip unchanged ones),
 * and one query per file would spend the search quota on lookups. Calls arriving within a short
 * linger share one query — `chunkIndex eq 0 and search.in(sourcePath, …)` returns one row per
 * indexed file, so up to 500 paths cost a single request.
 */
import { QuarryError } from '../../../contract';
import { odataString } from './search-odata';

/** Runs one lookup query (through the `search.query` limiter) and returns `sourcePath -> contentHash`. */
export type LookupHashes = (filter: string, top: number) => Promise<Map<string, string>>;

export interface HashLookupOptions {
  lookup: LookupHashes;
  /** Paths per query at most. */
  maxPaths?: number;
  lingerInMs?: number;
}

interface Waiter {
  resolve: (hash: string | null) => void;
  reject: (error: unknown) => void;
}

/** Separators `search.in` may use; the first that no path contains is chosen. */
const DELIMITERS = ['|', '\t', '\u001f', '\u001e', ',', ';'];
const DEFAULTS = { maxPaths: 500, lingerInMs: 10 };
/** Filter length stays well inside the service's request limits. */
const MAX_FILTER_CHARS = 200_000;

export class HashLookupBatcher {
  private readonly lookup: LookupHashes;
  private readonly maxPaths: number;
  private readonly lingerInMs: number;
  private pending = new Map<string, Waiter[]>();
  private pendingChars = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: HashLookupOptions) {
    this.lookup = options.lookup;
    this.maxPaths = options.maxPaths ?? DEFAULTS.maxPaths;
    this.lingerInMs = options.lingerInMs ?? DEFAULTS.lingerInMs;
  }

  /** The contentHash stored for the path, or null when it has no chunks in the index. */
  hashOf(sourcePath: string, abortSignal?: AbortSignal): Promise<string | null> {
    const cancelled = (reason: unknown) =>
      new QuarryError('cancelled', 'Cancelled', { retryable: false, cause: reason });
    if (abortSignal?.aborted) return Promise.reject(cancelled(abortSignal.reason));
    return new Promise<string | null>((resolve, reject) => {
      // The shared query runs on for the others; an aborted caller just stops waiting.
      const onAbort = (): void => reject(cancelled(abortSignal?.reason));
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      const waiter: Waiter = {
        resolve: (hash) => {
          abortSignal?.removeEventListener('abort', onAbort);
          resolve(hash);
        },
        reject: (error) => {
          abortSignal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const waiters = this.pending.get(sourcePath);
      if (waiters) waiters.push(waiter);
      else {
        this.pending.set(sourcePath, [waiter]);
        this.pendingChars += sourcePath.length + 1;
      }
      if (this.pending.size >= this.maxPaths || this.pendingChars >= MAX_FILTER_CHARS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerInMs);
    });
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.pendingChars = 0;
    if (batch.size > 0) void this.run(batch);
  }

  private async run(batch: Map<string, Waiter[]>): Promise<void> {
    const paths = [...batch.keys()];
    const delimiter = DELIMITERS.find((candidate) => paths.every((path) => !path.includes(candidate)));
    try {
      const found = new Map<string, string>();
      // A path holding every separator (absurd, but possible) is looked up on its own.
      const groups = delimiter ? [paths] : paths.map((path) => [path]);
      for (const group of groups) {
        const filter =
          group.length === 1 || !delimiter
            ? `chunkIndex eq 0 and sourcePath eq ${odataString(group[0]!)}`
            : `chunkIndex eq 0 and search.in(sourcePath, ${odataString(group.join(delimiter))}, ${odataString(delimiter)})`;
        // Room for a second version of a file whose old chunks are still being replaced.
        for (const [path, hash] of await this.lookup(filter, Math.min(1000, group.length * 2))) {
          found.set(path, hash);
        }
      }
      for (const [path, waiters] of batch)
        for (const waiter of waiters) waiter.resolve(found.get(path) ?? null);
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
    }
  }
}
