/**
 * Which files the local table holds, and the content hash of each, kept in memory.
 *
 * The pipeline asks `indexedHash` once per file, and every commit deletes the files it replaces.
 * Both are predicates on `sourcePath`, which LanceDB answers by scanning the whole table: over a
 * 10,000-file job that is quadratic in time and, through the scans' caches, grew the process by
 * hundreds of MB. Read once at open (two columns, streamed) and kept up to date by the commits,
 * the map answers both: a lookup costs nothing, and a new file's commit is a plain append.
 * The table is written only through this process's index (LanceDB reads no other writer's
 * versions without an explicit checkout), so the map cannot fall behind the table it describes.
 */
import type * as lancedb from '@lancedb/lancedb';
import { sqlColumn } from './lancedb-sql';

export class IndexedFileHashes {
  private readonly hashes = new Map<string, string>();

  private constructor() {}

  /** Reads every file's hash from the table, batch by batch. */
  static async load(table: lancedb.Table): Promise<IndexedFileHashes> {
    const known = new IndexedFileHashes();
    // Chunk 0 exists for every indexed file (a file's rows are added in one commit, numbered 0..n-1).
    const query = table
      .query()
      .where(`${sqlColumn('chunkIndex')} = 0`)
      .select(['sourcePath', 'contentHash']);
    for await (const batch of query) {
      const paths = batch.getChild('sourcePath');
      const hashes = batch.getChild('contentHash');
      if (!paths || !hashes) continue;
      for (let row = 0; row < batch.numRows; row++) {
        const sourcePath: unknown = paths.get(row);
        const hash: unknown = hashes.get(row);
        if (typeof sourcePath === 'string' && typeof hash === 'string') known.hashes.set(sourcePath, hash);
      }
    }
    return known;
  }

  hashOf(sourcePath: string): string | null {
    return this.hashes.get(sourcePath) ?? null;
  }

  /** Whether the table holds rows of this file (so replacing it must delete them first). */
  holds(sourcePath: string): boolean {
    return this.hashes.has(sourcePath);
  }

  /** After a commit: the file now has rows of this hash, or none (null). */
  record(sourcePath: string, contentHash: string | null): void {
    if (contentHash === null) this.hashes.delete(sourcePath);
    else this.hashes.set(sourcePath, contentHash);
  }
}
