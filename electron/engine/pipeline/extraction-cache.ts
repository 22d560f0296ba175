import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ExtractedDocument } from '../types';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Default size cap of the extraction cache. */
export const DEFAULT_EXTRACTION_CACHE_BYTES = 2 * 1024 ** 3;

interface Entry {
  size: number;
  /** Last use (write or hit), ms: eviction drops the least recently used first. */
  usedAt: number;
}

/**
 * Extraction results by content hash + extractor id, on disk in the data dir. A paid extraction
 * (Document Intelligence, Vision) is never bought twice for the same bytes, and a change of
 * embedding model re-embeds from here without re-reading any file. Bounded: past `maxBytes`,
 * the least recently used entries go (a hit refreshes the entry's mtime, which records use).
 */
export class ExtractionCache {
  /** Sizes and last use of every entry, read from disk on the first write, then kept current. */
  private entries: Map<string, Entry> | null = null;
  private totalBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly maxBytes: number = DEFAULT_EXTRACTION_CACHE_BYTES,
  ) {}

  private file(contentHash: string, extractorId: string): string {
    const safeId = extractorId.replace(/[^a-zA-Z0-9._-]/g, '_');
    return path.join(this.dir, contentHash.slice(0, 2), `${contentHash}.${safeId}.json.gz`);
  }

  async get(contentHash: string, extractorId: string): Promise<ExtractedDocument | null> {
    const file = this.file(contentHash, extractorId);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return null;
    }
    try {
      const document = JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as ExtractedDocument;
      await this.touch(file);
      return document;
    } catch {
      // A torn or corrupt entry is a miss, not an error: drop it and extract again.
      await this.remove(file);
      return null;
    }
  }

  async put(contentHash: string, extractorId: string, document: ExtractedDocument): Promise<void> {
    const file = this.file(contentHash, extractorId);
    await mkdir(path.dirname(file), { recursive: true });
    const bytes = await gzipAsync(JSON.stringify(document));
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, file);
    const entries = await this.load();
    this.totalBytes += bytes.length - (entries.get(file)?.size ?? 0);
    entries.set(file, { size: bytes.length, usedAt: Date.now() });
    if (this.totalBytes > this.maxBytes) await this.evict(file);
  }

  /** Bytes the cache holds now. */
  async size(): Promise<number> {
    await this.load();
    return this.totalBytes;
  }

  private async touch(file: string): Promise<void> {
    const now = new Date();
    await utimes(file, now, now).catch(() => {});
    const entry = this.entries?.get(file);
    if (entry) entry.usedAt = now.getTime();
  }

  private async remove(file: string): Promise<void> {
    await unlink(file).catch(() => {});
    const entry = this.entries?.get(file);
    if (entry) {
      this.totalBytes -= entry.size;
      this.entries?.delete(file);
    }
  }

  /** Drops least recently used entries (never `keep`, just written) until under the cap. */
  private async evict(keep: string): Promise<void> {
    const entries = await this.load();
    const oldestFirst = [...entries.entries()]
      .filter(([file]) => file !== keep)
      .sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [file] of oldestFirst) {
      if (this.totalBytes <= this.maxBytes) break;
      await this.remove(file);
    }
  }

  private async load(): Promise<Map<string, Entry>> {
    if (this.entries) return this.entries;
    const entries = new Map<string, Entry>();
    let total = 0;
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      const shardDir = path.join(this.dir, shard);
      for (const name of await readdir(shardDir).catch(() => [] as string[])) {
        if (!name.endsWith('.json.gz')) continue;
        const file = path.join(shardDir, name);
        const stats = await stat(file).catch(() => null);
        if (!stats) continue;
        entries.set(file, { size: stats.size, usedAt: stats.mtimeMs });
        total += stats.size;
      }
    }
    // Another caller may have loaded meanwhile; keep the first.
    if (!this.entries) {
      this.entries = entries;
      this.totalBytes = total;
    }
    return this.entries;
  }
}
