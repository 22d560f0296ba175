/**
 * Query latency of the local index at a given size: synthetic chunks of realistic length (common
 * business prose plus rarer words drawn with a Zipf-like skew, as real vocabularies are) with
 * unit vectors of the default model's size clustered around a few hundred topics (as sentence
 * embeddings are; uniformly random vectors are a degenerate case for any ANN index), written
 * through the index's normal write path, then folded into its indexes (full text, and the ANN
 * index once past its threshold). Timed: the index's search call (the query's own embedding is
 * not included: it is a model cost). Recall@10 of vector mode against an exact scan says whether
 * the ANN index's speed costs accuracy.
 */
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import type { SearchMode } from '../../electron/contract';
import { openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import type { IndexDocument } from '../../electron/engine/types';
import { createWordMaker, seededRandom } from '../fixtures/generate';
import { prose } from './corpus-text';

export interface LatencyFigures {
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface QueryFigures {
  chunks: number;
  dimensions: number;
  insertMs: number;
  /** Folding rows into the full-text and vector indexes (`optimize()`), after the inserts. */
  indexBuildMs: number;
  /** The vector index LanceDB reports, or null when the table stays below the ANN threshold. */
  vectorIndex: string | null;
  hybrid: LatencyFigures;
  keyword: LatencyFigures;
  vector: LatencyFigures;
  /** Share of the exact top 10 that vector mode returns, over `recallQueries` queries. */
  vectorRecallAt10: number;
  recallQueries: number;
}

const DIMENSIONS = 384;
const ROWS_PER_FILE = 50;
const FILES_PER_WRITE = 40;
const RARE_WORDS = 20_000;
const TOPICS = 300;
/** Spread of a text's vector around its topic (per dimension, before normalising). */
const TOPIC_SPREAD = 0.06;
const RECALL_QUERIES = 50;

export async function benchQueries(
  workDir: string,
  options: { chunks: number; queries: number },
): Promise<QueryFigures> {
  const dir = path.join(workDir, `index-${options.chunks}`);
  const random = seededRandom(options.chunks);
  const makeWord = createWordMaker(options.chunks + 1);
  const rare = Array.from({ length: RARE_WORDS }, makeWord);
  const rareWord = () => rare[Math.floor(RARE_WORDS * random() ** 3)] ?? 'report';
  const text = () => {
    const words = prose(random, 90).split(' ');
    for (let i = 0; i < 8; i++) words.splice(Math.floor(random() * words.length), 0, rareWord());
    return words.join(' ');
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const topics = Array.from({ length: TOPICS }, () =>
    normalise(Array.from({ length: DIMENSIONS }, gaussian)),
  );
  const vector = () => {
    const topic = topics[Math.floor(random() * TOPICS)] ?? topics[0] ?? [];
    return normalise(topic.map((value) => value + gaussian() * TOPIC_SPREAD));
  };

  const index = await openLanceDbIndex({ dir, vectorDimensions: DIMENSIONS });
  try {
    const insertStarted = performance.now();
    const files = Math.ceil(options.chunks / ROWS_PER_FILE);
    for (let first = 0; first < files; first += FILES_PER_WRITE) {
      const writes: Promise<void>[] = [];
      for (let file = first; file < Math.min(files, first + FILES_PER_WRITE); file++) {
        const rows = Math.min(ROWS_PER_FILE, options.chunks - file * ROWS_PER_FILE);
        writes.push(index.replaceFile(`/bench/doc-${file}.pdf`, documents(file, rows, text, vector)));
      }
      await Promise.all(writes);
    }
    await index.flush();
    const insertMs = performance.now() - insertStarted;
    const buildStarted = performance.now();
    await index.optimize();
    const indexBuildMs = performance.now() - buildStarted;

    const queries = Array.from({ length: options.queries }, () => ({
      text: `${prose(random, 1).split(' ')[0]?.replace('.', '') ?? 'report'} ${rareWord()}`,
      vector: vector(),
    }));
    const time = async (mode: SearchMode): Promise<LatencyFigures> => {
      // Warm-up: the first queries load index pages from disk.
      for (const query of queries.slice(0, 10)) await index.search({ ...query, mode, top: 10 });
      const samples: number[] = [];
      for (const query of queries) {
        const started = performance.now();
        await index.search({ ...query, mode, top: 10 });
        samples.push(performance.now() - started);
      }
      return latency(samples);
    };
    const hybrid = await time('hybrid');
    const keyword = await time('keyword');
    const vectorOnly = await time('vector');
    const recallQueries = queries.slice(0, RECALL_QUERIES);
    const found = await Promise.all(
      recallQueries.map(async (query) =>
        (await index.search({ ...query, mode: 'vector', top: 10 })).map((hit) => hit.id),
      ),
    );
    return {
      chunks: await index.count(),
      dimensions: DIMENSIONS,
      insertMs: Math.round(insertMs),
      indexBuildMs: Math.round(indexBuildMs),
      vectorIndex: await vectorIndexType(dir),
      hybrid,
      keyword,
      vector: vectorOnly,
      vectorRecallAt10: await recallAt10(dir, recallQueries, found),
      recallQueries: recallQueries.length,
    };
  } finally {
    await index.close();
  }
}

function documents(file: number, rows: number, text: () => string, vector: () => number[]): IndexDocument[] {
  return Array.from({ length: rows }, (_, chunkIndex) => ({
    id: `bench-${file}:${chunkIndex}`,
    content: text(),
    embedding: vector(),
    sourcePath: `/bench/doc-${file}.pdf`,
    sourceName: `doc-${file}.pdf`,
    contentHash: `bench-${file}`,
    page: chunkIndex + 1,
    chunkIndex,
    mimeType: 'application/pdf',
    title: null,
    modifiedAt: 1_700_000_000_000 + file * 1000,
  }));
}

function normalise(values: number[]): number[] {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

/** Share of each query's exact top 10 (a flat scan, bypassing the ANN index) found by the index. */
async function recallAt10(dir: string, queries: { vector: number[] }[], found: string[][]): Promise<number> {
  const db = await lancedb.connect(dir);
  const table = await db.openTable('chunks');
  try {
    let hits = 0;
    for (const [i, query] of queries.entries()) {
      const exact = await table
        .query()
        .nearestTo(Float32Array.from(query.vector))
        .column('embedding')
        .distanceType('cosine')
        .bypassVectorIndex()
        .select(['id'])
        .limit(10)
        .toArray();
      const got = new Set(found[i]);
      hits += exact.filter((row: { id: string }) => got.has(row.id)).length;
    }
    return Math.round((hits / (queries.length * 10)) * 1000) / 1000;
  } finally {
    table.close();
    db.close();
  }
}

function latency(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    queries: samples.length,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

async function vectorIndexType(dir: string): Promise<string | null> {
  const db = await lancedb.connect(dir);
  const table = await db.openTable('chunks');
  try {
    const indices = await table.listIndices();
    return indices.find((entry) => entry.columns[0] === 'embedding')?.indexType ?? null;
  } finally {
    table.close();
    db.close();
  }
}
