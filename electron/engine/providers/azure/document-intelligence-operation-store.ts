import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Analyze operations in flight, by document: when the app stops while Document Intelligence is
 * still working, the next run polls the operation it already paid for instead of analyzing again.
 * The service keeps results for 24 hours; older entries are ignored.
 */
export interface OperationStore {
  get(key: string): Promise<string | null>;
  put(key: string, operationUrl: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Entries older than this are not worth a poll (the service drops results after 24 h). */
const MAX_AGE_MS = 23 * 60 * 60 * 1000;

/** Which analysis an operation is: the bytes, the model and the page range. */
export function operationKey(
  bytes: Uint8Array,
  modelId: string,
  apiVersion: string,
  pages: string | undefined,
): string {
  return createHash('sha256')
    .update(bytes)
    .update(`\u0000${modelId}\u0000${apiVersion}\u0000${pages ?? 'all'}`)
    .digest('hex');
}

export class FileOperationStore implements OperationStore {
  constructor(private readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<string | null> {
    try {
      const entry = JSON.parse(await readFile(this.file(key), 'utf8')) as {
        url?: unknown;
        createdAt?: unknown;
      };
      if (typeof entry.url !== 'string' || typeof entry.createdAt !== 'number') return null;
      return Date.now() - entry.createdAt < MAX_AGE_MS ? entry.url : null;
    } catch {
      return null;
    }
  }

  /** Durable before it returns: the operation is paid for, so a crash right after must not lose it. */
  async put(key: string, operationUrl: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = `${this.file(key)}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ url: operationUrl, createdAt: Date.now() }));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file(key));
  }

  async delete(key: string): Promise<void> {
    await unlink(this.file(key)).catch(() => {});
  }
}
