import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import {
  type LanceDbIndex,
  type OpenLanceDbIndexOptions,
  openLanceDbIndex,
} from '../../electron/engine/providers/local/lancedb-index';
import type { IndexDocument, IndexQuery } from '../../electron/engine/types';

const DIMS = 8;
const ROOT = '/data/docs';
const PDF = `${ROOT}/report.pdf`;
const NOTES = `${ROOT}/notes.txt`;
const CHINESE = `${ROOT}/中文/研究.md`;
const QUOTED = `${ROOT}/O'Brien's "draft".txt`;

let dir: string;
const opened: LanceDbIndex[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quarry-lancedb-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((index) => index.close()));
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<OpenLanceDbIndexOptions> = {}): Promise<LanceDbIndex> {
  const index = await openLanceDbIndex({ dir, vectorDimensions: DIMS, ...options });
  opened.push(index);
  return index;
}

/** A unit vector along one axis, so cosine similarities are known exactly. */
function axis(i: number, wobble = 0): number[] {
  const vector = Array.from({ length: DIMS }, () => 0);
  vector[i] = 1;
  vector[(i + 1) % DIMS] = wobble;
  return vector;
}

function chunks(
  sourcePath: string,
  pages: { content: string; page?: number | null; embedding?: number[] | null }[],
  contentHash = `hash-of-${sourcePath}`,
  mimeType = sourcePath.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
): IndexDocument[] {
  return pages.map((chunk, chunkIndex) => ({
    id: `${contentHash}:${chunkIndex}`,
    content: chunk.content,
    embedding: chunk.embedding ?? null,
    sourcePath,
    sourceName: path.posix.basename(sourcePath),
    contentHash,
    page: chunk.page === undefined ? chunkIndex + 1 : chunk.page,
    chunkIndex,
    mimeType,
    title: null,
    modifiedAt: 1_700_000_000_000,
  }));
}

async function seed(index: LanceDbIndex): Promise<void> {
  await Promise.all([
    index.replaceFile(
      PDF,
      chunks(PDF, [
        { content: 'Quarterly revenue grew in every region. The board met twice.', embedding: axis(0) },
        {
          content: 'Page two explains the migration of the billing system to the new cluster in March.',
          embedding: axis(1),
        },
        {
          content:
            'Billing, migration, system: the system migration of billing is the topic of this appendix.',
          embedding: axis(2),
        },
      ]),
    ),
    index.replaceFile(
      NOTES,
      chunks(NOTES, [
        {
          content: 'Shopping list: apples, pears, and a new billing folder.',
          page: null,
          embedding: axis(3),
        },
      ]),
    ),
    index.replaceFile(
      CHINESE,
      chunks(
        CHINESE,
        [{ content: '我们研究机器学习的方法，并在大规模数据上进行实验。東京都に住んでいます。', page: null }],
        'hash-zh',
        'text/markdown',
      ),
    ),
  ]);
}

const keyword = (text: string, extra: Partial<IndexQuery> = {}): IndexQuery => ({
  text,
  mode: 'keyword',
  top: 10,
  ...extra,
});

describe('LanceDB local index', () => {
  it('finds a phrase on the right chunk and page first, with a highlighted snippet', async () => {
    const index = await open();
    await seed(index);
    expect(await index.count()).toBe(5);

    const results = await index.search(keyword('migration of the billing system'));
    expect(results[0]).toMatchObject({ sourcePath: PDF, sourceName: 'report.pdf', page: 2, chunkIndex: 1 });
    // The appendix holds every term more often, but not as the phrase: it ranks below.
    expect(results.map((result) => result.page)).toEqual(expect.arrayContaining([2, 3]));
    expect(results.findIndex((result) => result.page === 3)).toBeGreaterThan(0);
    const top = results[0]!;
    expect(top.score).toBeGreaterThan(0);
    expect(top.mimeType).toBe('application/pdf');
    const marked = top.highlights.map(([start, end]) => top.snippet.slice(start, end).toLowerCase());
    // Every occurrence of a query term is marked ("the" twice), the phrase among them.
    expect(marked.join(' ')).toContain('migration of the billing system');
    expect(new Set(marked)).toEqual(new Set(['migration', 'of', 'the', 'billing', 'system']));
  });

  it('ranks chunks holding every term above chunks holding some', async () => {
    const index = await open();
    await seed(index);
    const results = await index.search(keyword('billing folder'));
    expect(results[0]?.sourcePath).toBe(NOTES);
    expect(results.slice(1).every((result) => result.sourcePath === PDF)).toBe(true);
  });

  it('finds Chinese and Japanese phrases, which have no spaces', async () => {
    const index = await open();
    await seed(index);
    for (const phrase of ['机器学习', '大规模数据', '东京', '東京都', '住んで']) {
      const results = await index.search(keyword(phrase));
      if (phrase === '东京') {
        // Simplified 东 is a different character from Japanese 東: no match is the right answer.
        expect(results).toEqual([]);
        continue;
      }
      expect(results[0]?.sourcePath, phrase).toBe(CHINESE);
      const top = results[0]!;
      expect(top.highlights.length, phrase).toBeGreaterThan(0);
    }
    const single = await index.search(keyword('机'));
    expect(single[0]?.sourcePath).toBe(CHINESE);
  });

  it('replaces a changed file: its old chunks go, its new ones are found at once', async () => {
    const index = await open({ maintenanceDelayInMs: 60_000 });
    await seed(index);
    await index.optimize();
    await index.replaceFile(
      PDF,
      chunks(PDF, [{ content: 'Completely rewritten: zebras graze.' }], 'hash-v2'),
    );

    expect(await index.count()).toBe(3);
    expect(await index.indexedHash(PDF)).toBe('hash-v2');
    expect(await index.search(keyword('migration of the billing system'))).toSatisfy((results: unknown[]) =>
      (results as { sourcePath: string }[]).every((result) => result.sourcePath !== PDF),
    );
    const fresh = await index.search(keyword('zebras graze'));
    expect(fresh.map((result) => result.sourcePath)).toEqual([PDF]);
  });

  it('finds new rows even when every indexed row was replaced (index covering nothing)', async () => {
    const index = await open({ maintenanceDelayInMs: 60_000 });
    await seed(index);
    await index.optimize();
    await Promise.all(
      [PDF, NOTES, CHINESE].map((sourcePath) =>
        index.replaceFile(
          sourcePath,
          chunks(sourcePath, [{ content: `fresh words for ${sourcePath}` }], `v2-${sourcePath}`),
        ),
      ),
    );
    const results = await index.search(keyword('fresh words'));
    expect(results.map((result) => result.sourcePath).sort()).toEqual([CHINESE, NOTES, PDF].sort());
  });

  it('finds exactly the chunks holding the query terms, whatever state the full-text index is in', async () => {
    const index = await open({ maintenanceDelayInMs: 60_000 });
    const random = seededRandom(42);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const corpus = new Map<string, IndexDocument[]>();
    const write = async (sourcePath: string, version: number) => {
      const docs = chunks(
        sourcePath,
        Array.from({ length: 3 }, () => ({
          content: Array.from(
            { length: 12 },
            () => vocabulary[Math.floor(random() * vocabulary.length)],
          ).join(' '),
        })),
        `${sourcePath}@${version}`,
      );
      corpus.set(sourcePath, docs);
      await index.replaceFile(sourcePath, docs);
    };
    const files = Array.from({ length: 30 }, (_, i) => `/random/file-${i}.txt`);

    const check = async (state: string) => {
      const docs = [...corpus.values()].flat();
      const tokens = new Map(docs.map((doc) => [doc.id, doc.content.split(' ')]));
      for (const word of vocabulary.slice(0, 12)) {
        const expected = docs.filter((doc) => tokens.get(doc.id)!.includes(word)).map((doc) => doc.id);
        const found = (await index.search(keyword(word, { top: 500 }))).map((result) => result.id);
        expect(found.sort(), `${state}: "${word}"`).toEqual(expected.sort());
      }
      for (const [first, second] of [
        ['word1', 'word2'],
        ['word3', 'word30'],
      ] as const) {
        const both = docs.filter(
          (doc) => tokens.get(doc.id)!.includes(first) && tokens.get(doc.id)!.includes(second),
        );
        const found = (await index.search(keyword(`${first} ${second}`, { top: 500 }))).map(
          (result) => result.id,
        );
        // Chunks holding both terms come first, then those holding one.
        expect(found.slice(0, both.length).sort(), `${state}: "${first} ${second}"`).toEqual(
          both.map((doc) => doc.id).sort(),
        );
      }
      const sample = docs[Math.floor(random() * docs.length)]!.content.split(' ').slice(4, 7).join(' ');
      const withPhrase = docs.filter((doc) => doc.content.includes(sample)).map((doc) => doc.id);
      const found = (await index.search(keyword(sample, { top: 500 }))).map((result) => result.id);
      expect(found.slice(0, withPhrase.length).sort(), `${state}: phrase "${sample}"`).toEqual(
        withPhrase.sort(),
      );
    };

    await Promise.all(files.map((file) => write(file, 1)));
    await check('nothing indexed yet');
    await index.optimize();
    expect(await unindexedRows()).toBe(0);
    await check('all indexed');
    await Promise.all(files.slice(0, 10).map((file) => write(file, 2)));
    for (const file of files.slice(10, 13)) {
      corpus.delete(file);
      await index.removeFile(file);
    }
    await check('some rows fresh, some removed');
    expect(await unindexedRows()).toBe(30);
    await index.optimize();
    expect(await unindexedRows()).toBe(0);
    await check('index updated incrementally');
    await Promise.all([...corpus.keys()].map((file) => write(file, 3)));
    await check('every indexed row replaced');
  });

  it('finds new rows repeating a term the index already holds', async () => {
    // LanceDB 0.31's own scan of unindexed rows misses this row; the index must not.
    const index = await open({ maintenanceDelayInMs: 60_000 });
    await index.replaceFile(
      NOTES,
      chunks(NOTES, [{ content: 'alpha beta gamma' }, { content: 'beta delta' }]),
    );
    await index.optimize();
    await index.replaceFile(PDF, chunks(PDF, [{ content: 'beta beta beta delta' }]));
    const results = await index.search(keyword('beta'));
    expect(results.map((result) => result.sourcePath).sort()).toEqual([NOTES, NOTES, PDF]);
  });

  it('updates the full-text index during a long ingest without waiting for writes to settle', async () => {
    const index = await open({ maintenanceDelayInMs: 60_000 });
    const files = Array.from({ length: 30 }, (_, i) => `/long/file-${i}.txt`);
    // 30 files x 100 chunks: past the first-index threshold (2,000 fresh rows).
    await Promise.all(
      files.map((file) =>
        index.replaceFile(
          file,
          chunks(
            file,
            Array.from({ length: 100 }, (_, i) => ({ content: `chunk ${i} of ${file}` })),
          ),
        ),
      ),
    );
    await index.flush();
    expect(await index.count()).toBe(3000);
    expect(await unindexedRows()).toBeLessThan(3000);
    const results = await index.search(keyword('chunk 42', { top: 40 }));
    expect(results.slice(0, 30).every((result) => result.chunkIndex === 42)).toBe(true);
    expect(results.slice(30).every((result) => result.chunkIndex !== 42)).toBe(true);
  });

  it('removes a file and reports indexed hashes', async () => {
    const index = await open();
    await seed(index);
    expect(await index.indexedHash(NOTES)).toBe(`hash-of-${NOTES}`);
    expect(await index.indexedHash('/elsewhere/missing.txt')).toBeNull();

    await index.removeFile(NOTES);
    expect(await index.indexedHash(NOTES)).toBeNull();
    expect(await index.count()).toBe(4);
    expect((await index.search(keyword('apples pears'))).map((result) => result.sourcePath)).not.toContain(
      NOTES,
    );
  });

  it('filters by MIME type and by folder prefix', async () => {
    const index = await open();
    await seed(index);
    const sibling = '/data/docs2/billing.txt';
    await index.replaceFile(sibling, chunks(sibling, [{ content: 'billing in a sibling folder' }]));

    const textOnly = await index.search(keyword('billing', { filters: { mimeTypes: ['text/plain'] } }));
    expect(new Set(textOnly.map((result) => result.sourcePath))).toEqual(new Set([NOTES, sibling]));

    const inFolder = await index.search(keyword('billing', { filters: { folder: ROOT } }));
    expect(inFolder.length).toBeGreaterThan(0);
    expect(inFolder.every((result) => result.sourcePath.startsWith(`${ROOT}/`))).toBe(true);

    const withSlash = await index.search(keyword('billing', { filters: { folder: `${ROOT}/` } }));
    expect(withSlash.map((result) => result.id).sort()).toEqual(inFolder.map((result) => result.id).sort());

    const both = await index.search(
      keyword('billing', { filters: { folder: '/data/docs2', mimeTypes: ['text/plain'] } }),
    );
    expect(both.map((result) => result.sourcePath)).toEqual([sibling]);

    expect(await index.search(keyword('billing', { filters: { mimeTypes: ['image/png'] } }))).toEqual([]);
  });

  it('handles quotes in file and folder names', async () => {
    const index = await open();
    await seed(index);
    const quotedFolder = "/data/it's here";
    const inQuotedFolder = `${quotedFolder}/x.txt`;
    await index.replaceFile(QUOTED, chunks(QUOTED, [{ content: 'Irish draft about turnips.' }]));
    await index.replaceFile(inQuotedFolder, chunks(inQuotedFolder, [{ content: 'turnips again' }]));

    expect(await index.indexedHash(QUOTED)).toBe(`hash-of-${QUOTED}`);
    expect(
      (await index.search(keyword('turnips', { filters: { folder: quotedFolder } }))).map(
        (r) => r.sourcePath,
      ),
    ).toEqual([inQuotedFolder]);
    await index.replaceFile(
      QUOTED,
      chunks(QUOTED, [{ content: 'Turnips, revised.' }, { content: 'More turnips.' }]),
    );
    expect(await index.count()).toBe(5 + 1 + 2);
    await index.removeFile(QUOTED);
    expect(await index.indexedHash(QUOTED)).toBeNull();
    expect(await index.count()).toBe(6);
  });

  it('coalesces 200 concurrent file writes into few commits with an exact count', async () => {
    const index = await open();
    const files = Array.from({ length: 200 }, (_, i) => `/bulk/file-${i}.txt`);
    await Promise.all(
      files.map((file, i) =>
        index.replaceFile(
          file,
          chunks(file, [
            { content: `document ${i} first chunk` },
            { content: `document ${i} second chunk token${i}` },
          ]),
        ),
      ),
    );
    expect(await index.count()).toBe(400);
    const results = await index.search(keyword('token137'));
    expect(results.map((result) => result.sourcePath)).toEqual(['/bulk/file-137.txt']);

    // Each commit is a delete and an add; one per file would mean 400+ table versions.
    const db = await lancedb.connect(dir);
    const table = await db.openTable('chunks');
    expect(await table.version()).toBeLessThan(40);
    table.close();
    db.close();
  });

  it('keeps its data across close and reopen', async () => {
    const first = await open();
    await seed(first);
    await first.close();

    const again = await open();
    expect(await again.count()).toBe(5);
    expect((await again.search(keyword('quarterly revenue')))[0]?.page).toBe(1);
    expect(await again.indexedHash(PDF)).toBe(`hash-of-${PDF}`);
  });

  it('after a reopen, replaces and removes files written by the earlier session', async () => {
    const first = await open();
    await seed(first);
    await first.close();

    const again = await open();
    expect(await again.indexedHash(NOTES)).toBe(`hash-of-${NOTES}`);
    await again.replaceFile(PDF, chunks(PDF, [{ content: 'A shorter revision about invoices.' }], 'hash-v2'));
    await again.removeFile(NOTES);
    await again.flush();
    expect(await again.indexedHash(PDF)).toBe('hash-v2');
    expect(await again.indexedHash(NOTES)).toBeNull();
    // The PDF's three old chunks and the notes' one are gone: 1 new PDF chunk + the Chinese file.
    expect(await again.count()).toBe(2);
    expect(await again.search(keyword('quarterly revenue'))).toEqual([]);
    await again.close();

    const third = await open();
    expect(await third.indexedHash(PDF)).toBe('hash-v2');
    expect(await third.indexedHash(NOTES)).toBeNull();
    expect(await third.indexedHash(CHINESE)).toBe('hash-zh');
  });

  it('refuses to open an index built for other vector dimensions, with a clear error', async () => {
    const first = await open();
    await seed(first);
    await first.close();

    const failure = await openLanceDbIndex({ dir, vectorDimensions: DIMS * 2 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(QuarryError);
    expect(failure).toMatchObject({ code: 'invalid_input', reason: 'index_dimensions_mismatch' });
    expect((failure as Error).message).toContain(`${DIMS}-dimensional`);

    // The table is untouched and still opens with its own dimensions.
    const again = await open();
    expect(await again.count()).toBe(5);
  });

  it('rejects embeddings and query vectors of the wrong size', async () => {
    const index = await open();
    const bad = chunks(NOTES, [{ content: 'x', embedding: [1, 2, 3] }]);
    await expect(index.replaceFile(NOTES, bad)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(index.search({ text: 'x', mode: 'vector', top: 3, vector: [1, 2] })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('ranks by cosine similarity in vector mode', async () => {
    const index = await open();
    await seed(index);
    const results = await index.search({ text: '', mode: 'vector', top: 3, vector: axis(1, 0.2) });
    expect(results.map((result) => [result.sourcePath, result.page])).toEqual([
      [PDF, 2],
      [PDF, 3],
      [PDF, 1],
    ]);
    expect(results[0]!.score).toBeCloseTo(1 / Math.sqrt(1.04), 5);
    // Chunks without an embedding (the Chinese file) are never vector results.
    const all = await index.search({ text: '', mode: 'vector', top: 10, vector: axis(1) });
    expect(all.map((result) => result.sourcePath)).not.toContain(CHINESE);
  });

  it('fuses keyword and vector results in hybrid mode', async () => {
    const index = await open();
    await seed(index);
    // Keywords favour the notes (both terms); the vector points at the revenue page. Both lists
    // hold the notes, so fusion puts them first; the vector-only page still appears.
    const results = await index.search({
      text: 'billing folder',
      mode: 'hybrid',
      top: 5,
      vector: axis(3, 0.5),
    });
    expect(results[0]?.sourcePath).toBe(NOTES);
    expect(results[0]!.score).toBeCloseTo(1 / 61 + 1 / 61, 6);
    expect(results.map((result) => result.chunkIndex)).toContain(0);
    const noteSnippet = results[0]!;
    expect(noteSnippet.highlights.length).toBeGreaterThan(0);

    // Without a query vector, hybrid falls back to keywords.
    const fallback = await index.search({ text: 'billing folder', mode: 'hybrid', top: 5 });
    const keywordOnly = await index.search(keyword('billing folder', { top: 5 }));
    expect(fallback).toEqual(keywordOnly);
  });

  it('cancels a write whose signal aborts before its commit', async () => {
    const index = await open({ writeLingerInMs: 200 });
    const controller = new AbortController();
    const write = index.replaceFile(NOTES, chunks(NOTES, [{ content: 'never written' }]), {
      abortSignal: controller.signal,
    });
    controller.abort();
    await expect(write).rejects.toMatchObject({ code: 'cancelled' });
    await index.flush();
    expect(await index.count()).toBe(0);
  });

  it('searches an empty index without error', async () => {
    const index = await open();
    expect(await index.search(keyword('anything'))).toEqual([]);
    expect(await index.search({ text: 'x', mode: 'hybrid', top: 5, vector: axis(0) })).toEqual([]);
    expect(await index.count()).toBe(0);
  });
});

/** Rows of the table that its full-text index does not cover, read straight from LanceDB. */
async function unindexedRows(): Promise<number> {
  const db = await lancedb.connect(dir);
  const table = await db.openTable('chunks');
  try {
    const fts = (await table.listIndices()).find((index) => index.indexType === 'FTS');
    if (!fts) return await table.countRows();
    return (await table.indexStats(fts.name))?.numUnindexedRows ?? Number.NaN;
  } finally {
    table.close();
    db.close();
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (Park-Miller), so a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}
