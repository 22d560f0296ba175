import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingCache, embeddingCacheKey } from '../../electron/engine/providers/azure/embedding-cache';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-embedding-cache-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const vectorFor = (seed: number, dims = 8): number[] =>
  Array.from({ length: dims }, (_, i) => Math.fround(Math.sin(seed * 7 + i)));

function open(options: Partial<{ deployment: string; dimensions: number | null }> = {}): EmbeddingCache {
  return new EmbeddingCache({ dataDir, deployment: 'text-embedding-3-small', dimensions: 8, ...options });
}

describe('EmbeddingCache', () => {
  it('keys texts by sha256', () => {
    expect(embeddingCacheKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('stores and reads back vectors exactly (float32), across instances', async () => {
    const keys = Array.from({ length: 100 }, (_, i) => embeddingCacheKey(`text ${i}`));
    const first = open();
    await first.putMany(keys.map((key, i) => ({ key, vector: vectorFor(i) })));
    expect(first.stats.written).toBe(100);
    const second = open();
    const vectors = await second.getMany([...keys, embeddingCacheKey('never stored')]);
    keys.forEach((_, i) => {
      expect(vectors[i]).toEqual(vectorFor(i));
    });
    expect(vectors[100]).toBeUndefined();
    expect(second.stats).toMatchObject({ hits: 100, misses: 1 });
  });

  it('keeps deployments and dimension counts apart', async () => {
    const key = embeddingCacheKey('same text');
    await open().putMany([{ key, vector: vectorFor(1) }]);
    expect(await open({ deployment: 'other' }).getMany([key])).toEqual([undefined]);
    expect(await open({ dimensions: 4 }).getMany([key])).toEqual([undefined]);
    expect(await open().getMany([key])).toEqual([vectorFor(1)]);
  });

  it('survives a torn write at the end and keeps appending after it', async () => {
    const cache = open();
    const a = embeddingCacheKey('a');
    await cache.putMany([{ key: a, vector: vectorFor(1) }]);
    const shard = path.join(cache.directory, `shard-${a[0]}.bin`);
    // A crash in the middle of the next append: half a record.
    const whole = await readFile(shard);
    await appendFile(shard, whole.subarray(0, Math.floor(whole.length / 2)));

    const reopened = open();
    const b = `${a[0]}${embeddingCacheKey('b').slice(1)}`; // same shard
    await reopened.putMany([{ key: b, vector: vectorFor(2) }]);
    const third = open();
    expect(await third.getMany([a, b])).toEqual([vectorFor(1), vectorFor(2)]);
    expect(third.stats.damagedRecords).toBeGreaterThanOrEqual(1);
  });

  it('skips a record whose bytes were damaged', async () => {
    const cache = open();
    const keys = ['x', 'y', 'z'].map((t) => `0${embeddingCacheKey(t).slice(1)}`);
    await cache.putMany(keys.map((key, i) => ({ key, vector: vectorFor(i) })));
    const shard = path.join(cache.directory, 'shard-0.bin');
    const bytes = await readFile(shard);
    const recordLength = bytes.length / 3;
    bytes[recordLength + 60] = (bytes[recordLength + 60] ?? 0) ^ 0xff; // inside y's floats
    await writeFile(shard, bytes);
    const vectors = await open().getMany(keys);
    expect(vectors[0]).toEqual(vectorFor(0));
    expect(vectors[1]).toBeUndefined();
    expect(vectors[2]).toEqual(vectorFor(2));
  });

  it('never rejects when the disk refuses: the write is counted and ignored', async () => {
    const blocker = path.join(dataDir, 'blocked');
    await writeFile(blocker, 'not a directory');
    const cache = new EmbeddingCache({ dataDir: blocker, deployment: 'd', dimensions: 8 });
    await cache.putMany([{ key: embeddingCacheKey('t'), vector: vectorFor(1) }]);
    expect(cache.stats.writeErrors).toBe(1);
    expect(await cache.getMany([embeddingCacheKey('t')])).toEqual([undefined]);
  });

  it('writes one file per shard touched', async () => {
    const cache = open();
    await cache.putMany(
      Array.from({ length: 200 }, (_, i) => ({ key: embeddingCacheKey(`t${i}`), vector: vectorFor(i) })),
    );
    const files = await readdir(cache.directory);
    expect(files.length).toBeLessThanOrEqual(16);
    expect(files.every((f) => /^shard-[0-9a-f]\.bin$/.test(f))).toBe(true);
  });
});
