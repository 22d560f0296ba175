import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SearchResult } from '../../electron/contract';
import type { Backend } from '../../electron/engine/backend';
import { EventCoalescer } from '../../electron/engine/pipeline/event-coalescer';
import { ExtractionCache } from '../../electron/engine/pipeline/extraction-cache';
import { IngestJob } from '../../electron/engine/pipeline/ingest-job';
import { JobRecorder } from '../../electron/engine/pipeline/journal/job-recorder';
import type { ExtractedDocument, IndexDocument, SearchIndex } from '../../electron/engine/types';

const doc: ExtractedDocument = {
  mimeType: 'application/pdf',
  pages: [{ page: 1, blocks: [{ kind: 'paragraph', text: 'cached words' }] }],
};

function memoryIndex(): SearchIndex & { docs: Map<string, IndexDocument[]> } {
  const docs = new Map<string, IndexDocument[]>();
  return {
    docs,
    replaceFile: async (sourcePath, rows) => void docs.set(sourcePath, rows),
    removeFile: async (sourcePath) => void docs.delete(sourcePath),
    indexedHash: async (sourcePath) => docs.get(sourcePath)?.[0]?.contentHash ?? null,
    search: async (): Promise<SearchResult[]> => [],
    count: async () => [...docs.values()].reduce((n, rows) => n + rows.length, 0),
    close: async () => {},
  };
}

describe('ExtractionCache', () => {
  it('round-trips a document and treats a corrupt entry as a miss', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-xcache-'));
    const cache = new ExtractionCache(dir);
    expect(await cache.get('ab'.repeat(32), 'x')).toBeNull();
    await cache.put('ab'.repeat(32), 'azure/layout', doc);
    expect(await cache.get('ab'.repeat(32), 'azure/layout')).toEqual(doc);
    expect(await cache.get('ab'.repeat(32), 'other')).toBeNull();
    const [shard] = await readdir(dir);
    const [entry] = await readdir(path.join(dir, shard ?? ''));
    await writeFile(path.join(dir, shard ?? '', entry ?? ''), 'not gzip');
    expect(await cache.get('ab'.repeat(32), 'azure/layout')).toBeNull();
  });

  it('lets the pipeline extract identical bytes only once, even at another path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-xcache-job-'));
    const first = path.join(dir, 'a.pdf');
    await writeFile(first, '%PDF-1.7 pretend bytes');
    await copyFile(first, path.join(dir, 'b.pdf'));
    let extractions = 0;
    const index = memoryIndex();
    const backend: Backend = {
      kind: 'local',
      extractor: {
        extract: async () => {
          extractions += 1;
          return doc;
        },
      },
      index,
      embedder: null,
      semanticUnavailableReason: 'test',
      extractionCacheKey: () => 'fake-v1',
      close: async () => {},
    };
    const events = new EventCoalescer(() => {}, { flushIntervalInMs: 5 });
    const run = (sources: string[]) =>
      new IngestJob({
        jobId: `job-${sources.length}`,
        sources: sources.map((p) => ({ kind: 'path' as const, path: p })),
        backend,
        events,
        uploadsDir: path.join(dir, 'uploads'),
        extractionCache: new ExtractionCache(path.join(dir, 'cache')),
        concurrency: 1,
        recorder: new JobRecorder(null),
      }).run();
    expect((await run([first])).indexed).toBe(1);
    expect((await run([path.join(dir, 'b.pdf')])).indexed).toBe(1);
    expect(extractions).toBe(1);
    expect(index.docs.get(path.join(dir, 'b.pdf'))?.[0]?.content).toContain('cached words');
    events.close();
  });
});

describe('ExtractionCache size cap', () => {
  it('evicts the least recently used entries past the cap, keeping what was just used', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-xcache-cap-'));
    const big = (n: number): ExtractedDocument => ({
      mimeType: 'application/pdf',
      // Random-ish text so gzip cannot shrink entries to nothing.
      pages: [
        {
          page: 1,
          blocks: [
            {
              kind: 'paragraph',
              text: Array.from({ length: 400 }, (_, i) => `${n}-${(i * 7919) % 104729}`).join(' '),
            },
          ],
        },
      ],
    });
    const probe = new ExtractionCache(path.join(dir, 'probe'));
    await probe.put('00'.repeat(32), 'x', big(0));
    const entrySize = await probe.size();
    const cache = new ExtractionCache(path.join(dir, 'cache'), entrySize * 3.5);
    const hash = (n: number) => n.toString(16).padStart(64, '0');
    await cache.put(hash(1), 'x', big(1));
    await cache.put(hash(2), 'x', big(2));
    await cache.put(hash(3), 'x', big(3));
    // Using entry 1 makes entry 2 the least recently used.
    await new Promise((resolve) => setTimeout(resolve, 15));
    expect(await cache.get(hash(1), 'x')).not.toBeNull();
    await cache.put(hash(4), 'x', big(4));
    expect(await cache.size()).toBeLessThanOrEqual(entrySize * 3.5);
    expect(await cache.get(hash(2), 'x')).toBeNull();
    expect(await cache.get(hash(1), 'x')).not.toBeNull();
    expect(await cache.get(hash(4), 'x')).not.toBeNull();
    // A fresh instance reads sizes and use times back from disk.
    const reopened = new ExtractionCache(path.join(dir, 'cache'), entrySize * 3.5);
    expect(await reopened.size()).toBe(await cache.size());
  });
});
