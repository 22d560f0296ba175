/**
 * The Azure AI Search SearchIndex against the simulator, with the real `@azure/search-documents`
 * client over HTTP on 127.0.0.1: index creation and checks, cross-file batching, 207 item retries,
 * replacement of a changed file's chunks, and every search mode with filters and highlights.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import type { LimiterRegistry } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import {
  type AzureSearchIndex,
  createSearchClients,
  openAzureSearchIndex,
} from '../../electron/engine/providers/azure/search-index';
import type { IndexDocument } from '../../electron/engine/types';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { embedText } from '../azure-sim/services/openai-embedding-vector';
import { searchConfig, testLimiters } from '../helpers/azure-providers';

const DIMENSIONS = 64;

function vectorOf(text: string): number[] {
  return Array.from(embedText(text, DIMENSIONS, DIMENSIONS));
}

function doc(
  sourcePath: string,
  chunkIndex: number,
  content: string,
  overrides: Partial<IndexDocument> = {},
): IndexDocument {
  const contentHash = overrides.contentHash ?? 'a'.repeat(64);
  return {
    id: `${Buffer.from(sourcePath).toString('hex').slice(-16)}-${contentHash.slice(0, 8)}-${chunkIndex}`,
    content,
    embedding: vectorOf(content),
    sourcePath,
    sourceName: sourcePath.split('/').pop() ?? sourcePath,
    contentHash,
    page: 1,
    chunkIndex,
    mimeType: 'text/plain',
    title: null,
    modifiedAt: Date.UTC(2025, 0, 2),
    ...overrides,
  };
}

function uploadRequests(sim: AzureSim) {
  return sim.ledger.entries().filter((entry) => entry.route === 'search.index');
}

function storedFor(sim: AzureSim, sourcePath: string): Record<string, unknown>[] {
  return (sim.ledger.documents('quarry') ?? []).filter((stored) => stored.sourcePath === sourcePath);
}

describe('Azure AI Search index', () => {
  let sim: AzureSim;
  let limiters: LimiterRegistry;
  let index: AzureSearchIndex;

  beforeAll(async () => {
    sim = await startAzureSim();
  });

  afterAll(async () => {
    await sim.close();
  });

  beforeEach(async () => {
    sim.reset();
    limiters = testLimiters();
    index = await openAzureSearchIndex({
      config: searchConfig(sim),
      dimensions: DIMENSIONS,
      limiters: { index: limiters.get('search.index'), query: limiters.get('search.query') },
    });
  });

  afterEach(async () => {
    await index.close();
    limiters.dispose();
  });

  it('creates the index with the vector profile, semantic configuration and filterable fields', async () => {
    const { indexClient } = createSearchClients(searchConfig(sim));
    const definition = await indexClient.getIndex('quarry');
    const field = (name: string) => definition.fields.find((candidate) => candidate.name === name);
    expect(field('id')).toMatchObject({ key: true });
    expect(field('content')).toMatchObject({ searchable: true });
    expect(field('embedding')).toMatchObject({
      type: 'Collection(Edm.Single)',
      vectorSearchDimensions: DIMENSIONS,
      vectorSearchProfileName: 'quarry-vector-profile',
    });
    for (const name of ['sourcePath', 'sourceName', 'contentHash', 'mimeType', 'folders']) {
      expect(field(name), name).toMatchObject({ filterable: true });
    }
    expect(field('page')).toMatchObject({ filterable: true, sortable: true });
    expect(field('chunkIndex')).toMatchObject({ filterable: true, sortable: true });
    expect(definition.vectorSearch?.algorithms?.[0]).toMatchObject({ kind: 'hnsw', name: 'quarry-hnsw' });
    expect(definition.semanticSearch?.configurations?.[0]?.name).toBe('quarry-semantic');
    expect(index.shape.semanticConfiguration).toBe('quarry-semantic');
  });

  it('reuses a matching index and refuses one whose vectors have another size', async () => {
    const again = await openAzureSearchIndex({
      config: searchConfig(sim),
      dimensions: DIMENSIONS,
      limiters: { index: limiters.get('search.index'), query: limiters.get('search.query') },
    });
    await again.close();
    const refused = openAzureSearchIndex({
      config: searchConfig(sim),
      dimensions: 1536,
      limiters: { index: limiters.get('search.index'), query: limiters.get('search.query') },
    });
    await expect(refused).rejects.toMatchObject({ code: 'invalid_input', reason: 'dimension_mismatch' });
    await expect(refused).rejects.toThrow(/64-dimensional .* 1536-dimensional/);
  });

  it('packs uploads from 100 concurrent files into a few batches of at most 1000 documents', async () => {
    const files = Array.from({ length: 100 }, (_, file) => `/corpus/folder-${file % 7}/file-${file}.txt`);
    // As the pipeline does: ask which files are indexed (one shared query), then write them.
    expect(new Set(await Promise.all(files.map((sourcePath) => index.indexedHash(sourcePath))))).toEqual(
      new Set([null]),
    );
    await Promise.all(
      files.map((sourcePath, file) =>
        index.replaceFile(
          sourcePath,
          Array.from({ length: 25 }, (_, chunk) =>
            doc(sourcePath, chunk, `File ${file} chunk ${chunk} words`),
          ),
        ),
      ),
    );
    const uploads = uploadRequests(sim);
    const sizes = uploads.map((entry) => Number(entry.notes?.actions));
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(2500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    expect(uploads.length).toBeLessThanOrEqual(5);
    expect(sim.ledger.documents('quarry')).toHaveLength(2500);
    expect(index.uploadStats()).toMatchObject({
      requests: uploads.length,
      actionsSent: 2500,
      itemsRetried: 0,
    });
    expect(sim.ledger.entries().filter((entry) => entry.route === 'search.query')).toHaveLength(1);
  });

  it('splits batches by measured bytes', async () => {
    const small = await openAzureSearchIndex({
      config: searchConfig(sim),
      dimensions: DIMENSIONS,
      limiters: { index: limiters.get('search.index'), query: limiters.get('search.query') },
      batching: { maxBytes: 256 * 1024 },
    });
    const sourcePath = '/corpus/big.txt';
    const text = 'lorem ipsum '.repeat(8_000); // ~96 KB per document
    await small.replaceFile(
      sourcePath,
      Array.from({ length: 8 }, (_, chunk) => doc(sourcePath, chunk, `${text} ${chunk}`)),
    );
    await small.close();
    const uploads = uploadRequests(sim);
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    for (const upload of uploads) expect(upload.requestBytes).toBeLessThanOrEqual(256 * 1024);
    expect(storedFor(sim, sourcePath)).toHaveLength(8);
  });

  it('answers many indexedHash calls with one query', async () => {
    const paths = Array.from({ length: 60 }, (_, file) => `/corpus/known/file-${file}.txt`);
    await Promise.all(
      paths
        .slice(0, 30)
        .map((sourcePath) =>
          index.replaceFile(sourcePath, [doc(sourcePath, 0, 'x', { contentHash: 'f'.repeat(64) })]),
        ),
    );
    sim.ledger.clear();
    const hashes = await Promise.all(
      [...paths, "/corpus/it's|odd.txt"].map((sourcePath) => index.indexedHash(sourcePath)),
    );
    expect(hashes.slice(0, 30)).toEqual(Array(30).fill('f'.repeat(64)));
    expect(hashes.slice(30)).toEqual(Array(31).fill(null));
    expect(sim.ledger.entries().filter((entry) => entry.route === 'search.query')).toHaveLength(1);
  });

  it('retries only the items that failed with 503 in a 207 answer', async () => {
    sim.setScenario({
      rules: [{ route: 'search.index', fault: 'itemErrors', itemStatus: 503, itemFraction: 0.3, times: 1 }],
    });
    const sourcePath = '/corpus/partial.txt';
    await index.replaceFile(
      sourcePath,
      Array.from({ length: 10 }, (_, chunk) => doc(sourcePath, chunk, `partial chunk ${chunk}`)),
    );
    const uploads = uploadRequests(sim);
    expect(uploads).toHaveLength(2);
    expect(uploads[0]).toMatchObject({ status: 207 });
    const failed = Number(uploads[0]?.notes?.failed);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThan(10);
    // The second request carries exactly the failed items, nothing that was already stored.
    expect(Number(uploads[1]?.notes?.actions)).toBe(failed);
    expect(storedFor(sim, sourcePath)).toHaveLength(10);
    expect(index.uploadStats().itemsRetried).toBe(failed);
  });

  it('fails a file whose document the service refuses, with the service message', async () => {
    const sourcePath = '/corpus/bad-key.txt';
    const good = doc(sourcePath, 0, 'fine');
    const bad = { ...doc(sourcePath, 1, 'not fine'), id: 'not a valid key!' };
    const attempt = index.replaceFile(sourcePath, [good, bad]);
    await expect(attempt).rejects.toBeInstanceOf(QuarryError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input', reason: 'document_rejected' });
    await expect(attempt).rejects.toThrow(/Invalid document key/);
    expect(uploadRequests(sim)).toHaveLength(1);
  });

  it("removes a changed file's old chunks and keeps other files, whatever the quotes in the path", async () => {
    const sourcePath = "/corpus/o'brien/notes.txt";
    const neighbour = "/corpus/o'brien/notes.txt.bak";
    await index.replaceFile(neighbour, [doc(neighbour, 0, 'neighbour text')]);
    const v1 = Array.from({ length: 5 }, (_, chunk) =>
      doc(sourcePath, chunk, `first version ${chunk}`, { contentHash: '1'.repeat(64) }),
    );
    await index.replaceFile(sourcePath, v1);
    expect(await index.indexedHash(sourcePath)).toBe('1'.repeat(64));
    const v2 = Array.from({ length: 3 }, (_, chunk) =>
      doc(sourcePath, chunk, `second version ${chunk}`, { contentHash: '2'.repeat(64) }),
    );
    await index.replaceFile(sourcePath, v2);
    expect(
      storedFor(sim, sourcePath)
        .map((stored) => stored.id)
        .sort(),
    ).toEqual(v2.map((d) => d.id).sort());
    expect(await index.indexedHash(sourcePath)).toBe('2'.repeat(64));
    expect(storedFor(sim, neighbour)).toHaveLength(1);
    expect(await index.count()).toBe(4);

    await index.removeFile(sourcePath);
    expect(storedFor(sim, sourcePath)).toHaveLength(0);
    expect(await index.indexedHash(sourcePath)).toBeNull();
    expect(storedFor(sim, neighbour)).toHaveLength(1);
  });

  it('looks up no old chunks for a file it already knows is new', async () => {
    const sourcePath = '/corpus/new.txt';
    expect(await index.indexedHash(sourcePath)).toBeNull();
    const queriesBefore = sim.ledger.entries().filter((entry) => entry.route === 'search.query').length;
    await index.replaceFile(sourcePath, [doc(sourcePath, 0, 'brand new')]);
    const queriesAfter = sim.ledger.entries().filter((entry) => entry.route === 'search.query').length;
    expect(queriesAfter).toBe(queriesBefore);
    expect(storedFor(sim, sourcePath)).toHaveLength(1);
  });

  it('refuses chunks of another file', async () => {
    await expect(index.replaceFile('/a.txt', [doc('/b.txt', 0, 'x')])).rejects.toMatchObject({
      reason: 'wrong_source_path',
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      const files: [string, string, string][] = [
        [
          '/docs/garden/roses.txt',
          'text/plain',
          'Pruning roses in early spring keeps the shrubs healthy and blooming.',
        ],
        [
          '/docs/garden/tomatoes.md',
          'text/markdown',
          'Tomatoes need full sun, deep watering and a sturdy cage.',
        ],
        [
          '/docs/finance/invoice.pdf',
          'application/pdf',
          'Invoice total due within thirty days of the billing date.',
        ],
        [
          '/docs/finance/budget.txt',
          'text/plain',
          'The household budget tracks rent, groceries and savings each month.',
        ],
        [
          '/other/roses-history.txt',
          'text/plain',
          'The history of roses goes back to ancient Persia and Rome.',
        ],
      ];
      await Promise.all(
        files.map(([sourcePath, mimeType, content]) =>
          index.replaceFile(sourcePath, [
            doc(sourcePath, 0, content, { mimeType, page: mimeType === 'application/pdf' ? 2 : null }),
          ]),
        ),
      );
    });

    it('keyword: best match first, with highlight ranges on the query terms', async () => {
      const results = await index.search({ text: 'pruning roses', mode: 'keyword', top: 3 });
      expect(results[0]).toMatchObject({
        sourcePath: '/docs/garden/roses.txt',
        sourceName: 'roses.txt',
        page: null,
        chunkIndex: 0,
      });
      const first = results[0]!;
      expect(first.highlights.length).toBeGreaterThan(0);
      const marked = first.highlights.map(([start, end]) => first.snippet.slice(start, end).toLowerCase());
      expect(marked).toEqual(expect.arrayContaining(['pruning', 'roses']));
      expect(first.snippet).not.toMatch(/[\uE000\uE001]|<em>/u);
    });

    it('vector: the nearest chunk first, with a snippet built locally', async () => {
      const results = await index.search({
        text: 'household budget savings',
        vector: vectorOf('household budget rent groceries savings month'),
        mode: 'vector',
        top: 2,
      });
      expect(results[0]?.sourcePath).toBe('/docs/finance/budget.txt');
      expect(results[0]?.snippet).toContain('household budget');
      expect(results[0]?.highlights.length).toBeGreaterThan(0);
    });

    it('hybrid: text and vector fused', async () => {
      const results = await index.search({
        text: 'invoice total',
        vector: vectorOf('Invoice total due within thirty days'),
        mode: 'hybrid',
        top: 3,
      });
      expect(results[0]).toMatchObject({
        sourcePath: '/docs/finance/invoice.pdf',
        page: 2,
        mimeType: 'application/pdf',
      });
    });

    it('semantic: reranked, with caption highlights', async () => {
      const results = await index.search({ text: 'how to water tomatoes', mode: 'semantic', top: 3 });
      expect(results[0]?.sourcePath).toBe('/docs/garden/tomatoes.md');
      expect(results[0]?.score).toBeGreaterThan(0);
      const query = sim.ledger
        .entries()
        .filter((entry) => entry.route === 'search.query')
        .at(-1);
      expect(query?.status).toBe(200);
    });

    it('filters by MIME type and by folder', async () => {
      const byType = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { mimeTypes: ['text/markdown', 'application/pdf'] },
      });
      expect(
        byType.map((r) => r.mimeType).every((type) => type === 'text/markdown' || type === 'application/pdf'),
      ).toBe(true);
      const roses = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { folder: '/docs/garden/' },
      });
      expect(roses.map((r) => r.sourcePath)).toEqual(['/docs/garden/roses.txt']);
      const everything = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { folder: '/' },
      });
      expect(everything.map((r) => r.sourcePath).sort()).toEqual([
        '/docs/garden/roses.txt',
        '/other/roses-history.txt',
      ]);
      const none = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { folder: '/docs/gard' },
      });
      expect(none).toEqual([]);
    });

    it('filters by modification date', async () => {
      const old = '/docs/garden/roses-2019.txt';
      await index.replaceFile(old, [
        doc(old, 0, 'Old notes on roses.', { modifiedAt: Date.UTC(2019, 5, 1) }),
      ]);
      const since2020 = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { modifiedAfter: Date.UTC(2020, 0, 1) },
      });
      expect(since2020.map((r) => r.sourcePath)).not.toContain(old);
      expect(since2020.length).toBeGreaterThan(0);
      const before2020 = await index.search({
        text: 'roses',
        mode: 'keyword',
        top: 10,
        filters: { modifiedBefore: Date.UTC(2020, 0, 1), folder: '/docs' },
      });
      expect(before2020.map((r) => r.sourcePath)).toEqual([old]);
    });
  });
});
