/**
 * "Never pay twice": embeddings on disk, addressed by sha256(text), one folder per deployment and
 * dimension count. 16 append-only shard files (by the key's first hex digit) hold records
 *
 *   magic u32 'QEC1' | key 32 bytes | dims u32 | dims x float32 | crc32 u32   (little endian)
 *
 * Each batch is appended with one write and fdatasync per shard touched. A torn or damaged record
 * fails its checksum and is skipped (the reader resynchronises on the next magic), so a crash
 * costs at most the batch being written. Cache trouble never fails an embedding: a read error is a
 * miss, a write error is counted and ignored. (Bounding the size comes later.)
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

const MAGIC = 0x31434551; // 'QEC1' read as little-endian u32
const KEY_BYTES = 32;
const HEADER_BYTES = 4 + KEY_BYTES + 4;
const MAX_DIMENSIONS = 16_384;
const SHARDS = 16;

export interface EmbeddingCacheOptions {
  /** Quarry's data dir; the cache lives in `<dataDir>/cache/embeddings/…`. */
  dataDir: string;
  /** Deployment whose vectors these are (part of the address). */
  deployment: string;
  /** Requested dimensions, or null for the model's native size (part of the address). */
  dimensions: number | null;
}

export interface EmbeddingCacheStats {
  hits: number;
  misses: number;
  written: number;
  /** Records skipped for a bad checksum or a torn write. */
  damagedRecords: number;
  readErrors: number;
  writeErrors: number;
}

export interface CacheEntry {
  key: string;
  vector: readonly number[];
}

interface RecordLocation {
  offset: number;
  dims: number;
}

interface Shard {
  file: string;
  index: Promise<Map<string, RecordLocation>> | undefined;
  /** Appends of this process, one at a time (offsets stay known). */
  writes: Promise<void>;
}

/** The cache address of a text: sha256 hex of its UTF-8 bytes. */
export function embeddingCacheKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class EmbeddingCache {
  readonly directory: string;
  private readonly shards: Shard[];
  private readonly counters: EmbeddingCacheStats = {
    hits: 0,
    misses: 0,
    written: 0,
    damagedRecords: 0,
    readErrors: 0,
    writeErrors: 0,
  };
  private ready: Promise<void> | undefined;

  constructor(options: EmbeddingCacheOptions) {
    const slug = options.deployment
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/gu, '_')
      .slice(0, 64);
    const digest = createHash('sha256').update(options.deployment).digest('hex').slice(0, 8);
    const dims = options.dimensions ?? 'native';
    this.directory = path.join(options.dataDir, 'cache', 'embeddings', `${slug}-${digest}-${dims}`);
    this.shards = Array.from({ length: SHARDS }, (_, i) => ({
      file: path.join(this.directory, `shard-${i.toString(16)}.bin`),
      index: undefined,
      writes: Promise.resolve(),
    }));
  }

  get stats(): EmbeddingCacheStats {
    return { ...this.counters };
  }

  /** Vectors for `keys` (from `embeddingCacheKey`), undefined where not cached. */
  async getMany(keys: readonly string[]): Promise<Array<number[] | undefined>> {
    const results: Array<number[] | undefined> = new Array(keys.length).fill(undefined);
    const byShard = new Map<Shard, number[]>();
    keys.forEach((key, i) => {
      const shard = this.shardOf(key);
      const list = byShard.get(shard) ?? [];
      list.push(i);
      byShard.set(shard, list);
    });
    await Promise.all(
      [...byShard].map(async ([shard, positions]) => {
        try {
          await this.readInto(shard, positions, keys, results);
        } catch {
          this.counters.readErrors += 1;
        }
      }),
    );
    for (const result of results) {
      if (result) this.counters.hits += 1;
      else this.counters.misses += 1;
    }
    return results;
  }

  /** Stores vectors durably (fdatasync) before resolving; never rejects. */
  async putMany(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byShard = new Map<Shard, CacheEntry[]>();
    for (const entry of entries) {
      const shard = this.shardOf(entry.key);
      const list = byShard.get(shard) ?? [];
      list.push(entry);
      byShard.set(shard, list);
    }
    await Promise.all([...byShard].map(([shard, list]) => this.append(shard, list)));
  }

  private shardOf(key: string): Shard {
    const digit = Number.parseInt(key[0] ?? '0', 16);
    const shard = this.shards[Number.isNaN(digit) ? 0 : digit % SHARDS];
    if (!shard) throw new RangeError('cache shard out of range');
    return shard;
  }

  private ensureDirectory(): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true }).then(() => undefined);
    return this.ready;
  }

  private loadIndex(shard: Shard): Promise<Map<string, RecordLocation>> {
    shard.index ??= this.scan(shard.file);
    return shard.index;
  }

  private async scan(file: string): Promise<Map<string, RecordLocation>> {
    const index = new Map<string, RecordLocation>();
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (isMissingFile(error)) return index;
      throw error;
    }
    let offset = 0;
    while (offset + HEADER_BYTES + 4 <= bytes.length) {
      const record = checkRecord(bytes, offset);
      if (record) {
        index.set(record.key, { offset, dims: record.dims });
        offset = record.end;
        continue;
      }
      this.counters.damagedRecords += 1;
      const next = bytes.indexOf(MAGIC_BYTES, offset + 1);
      if (next < 0) break;
      offset = next;
    }
    return index;
  }

  private async readInto(
    shard: Shard,
    positions: readonly number[],
    keys: readonly string[],
    results: Array<number[] | undefined>,
  ): Promise<void> {
    const index = await this.loadIndex(shard);
    const wanted = positions.filter((i) => index.has(keys[i] ?? ''));
    if (wanted.length === 0) return;
    const handle = await open(shard.file, 'r');
    try {
      for (const i of wanted) {
        const key = keys[i] ?? '';
        const location = index.get(key);
        if (!location) continue;
        const length = recordLength(location.dims);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, location.offset);
        const record = bytesRead === length ? parseRecord(buffer, 0) : undefined;
        if (record && record.key === key) {
          results[i] = record.vector;
        } else {
          // Another process appended at the same time and our offset is stale: rescan next time.
          shard.index = undefined;
        }
      }
    } finally {
      await handle.close();
    }
  }

  private append(shard: Shard, entries: readonly CacheEntry[]): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        await this.ensureDirectory();
        const index = await this.loadIndex(shard);
        const records = entries.map((entry) => encodeRecord(entry.key, entry.vector));
        const handle = await open(shard.file, 'a');
        try {
          let offset = (await handle.stat()).size;
          await handle.write(Buffer.concat(records));
          await handle.datasync();
          entries.forEach((entry, i) => {
            index.set(entry.key, { offset, dims: entry.vector.length });
            offset += records[i]?.length ?? 0;
          });
          this.counters.written += entries.length;
        } finally {
          await handle.close();
        }
      } catch {
        this.counters.writeErrors += 1;
      }
    };
    shard.writes = shard.writes.then(run);
    return shard.writes;
  }
}

const MAGIC_BYTES = (() => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(MAGIC, 0);
  return buffer;
})();

function recordLength(dims: number): number {
  return HEADER_BYTES + dims * 4 + 4;
}

function encodeRecord(key: string, vector: readonly number[]): Buffer {
  const buffer = Buffer.alloc(recordLength(vector.length));
  buffer.writeUInt32LE(MAGIC, 0);
  Buffer.from(key, 'hex').copy(buffer, 4, 0, KEY_BYTES);
  buffer.writeUInt32LE(vector.length, 4 + KEY_BYTES);
  vector.forEach((value, i) => {
    buffer.writeFloatLE(value, HEADER_BYTES + i * 4);
  });
  const bodyEnd = HEADER_BYTES + vector.length * 4;
  buffer.writeUInt32LE(crc32(buffer.subarray(4, bodyEnd)), bodyEnd);
  return buffer;
}

/** Key, size and end of a whole, checksummed record at `offset`, or undefined. */
function checkRecord(bytes: Buffer, offset: number): { key: string; dims: number; end: number } | undefined {
  if (offset + HEADER_BYTES > bytes.length || bytes.readUInt32LE(offset) !== MAGIC) return undefined;
  const dims = bytes.readUInt32LE(offset + 4 + KEY_BYTES);
  if (dims === 0 || dims > MAX_DIMENSIONS) return undefined;
  const bodyEnd = offset + HEADER_BYTES + dims * 4;
  if (bodyEnd + 4 > bytes.length) return undefined;
  if (crc32(bytes.subarray(offset + 4, bodyEnd)) !== bytes.readUInt32LE(bodyEnd)) return undefined;
  return { key: bytes.toString('hex', offset + 4, offset + 4 + KEY_BYTES), dims, end: bodyEnd + 4 };
}

/** The record at `offset` with its vector, or undefined when damaged. */
function parseRecord(bytes: Buffer, offset: number): { key: string; vector: number[] } | undefined {
  const record = checkRecord(bytes, offset);
  if (!record) return undefined;
  const vector = new Array<number>(record.dims);
  for (let i = 0; i < record.dims; i += 1) vector[i] = bytes.readFloatLE(offset + HEADER_BYTES + i * 4);
  return { key: record.key, vector };
}

function isMissingFile(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
