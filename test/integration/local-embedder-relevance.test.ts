/**
 * Relevance with the real local path: chunks embedded by the tiny model (worker + transformers.js
 * + onnxruntime-node) into the LanceDB index. Vector and hybrid search rank paraphrases above
 * texts that only share a keyword with the query; keyword search alone cannot find them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransformersEmbedder } from '../../electron/engine/providers/local/embedding/transformers-embedder';
import { type LanceDbIndex, openLanceDbIndex } from '../../electron/engine/providers/local/lancedb-index';
import type { IndexDocument, SearchIndex } from '../../electron/engine/types';
import { writeTinyEmbeddingModel } from '../fixtures/tiny-embedding-model';

const DOCS = {
  paraphrase: 'The mechanic will repair my car at the garage; car repair takes a day.',
  pureParaphrase: 'Fixing a broken truck engine.',
  chineseParaphrase: '汽车需要修理',
  keywordOnlyInsurance: 'Automobile insurance invoice and payment price.',
  keywordOnlyMuseum: 'An automobile museum exhibit of ancient history.',
  fruit: 'Apples and a banana are fruit.',
  weather: 'Rain and storm weather with an umbrella.',
} as const;
type DocName = keyof typeof DOCS;
const PARAPHRASES: DocName[] = ['paraphrase', 'pureParaphrase', 'chineseParaphrase'];
const KEYWORD_ONLY: DocName[] = ['keywordOnlyInsurance', 'keywordOnlyMuseum'];

let dataDir: string;
let embedder: TransformersEmbedder;
let index: LanceDbIndex;

const pathOf = (name: DocName) => `/docs/${name}.txt`;
const nameOf = (sourcePath: string) => path.posix.basename(sourcePath, '.txt') as DocName;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-relevance-'));
  const model = await writeTinyEmbeddingModel(path.join(dataDir, 'models'));
  embedder = await TransformersEmbedder.open({
    spec: model.spec,
    modelsDir: path.join(dataDir, 'models'),
    cacheDir: path.join(dataDir, 'cache'),
    threads: 1,
  });
  index = await openLanceDbIndex({ dir: path.join(dataDir, 'index'), vectorDimensions: embedder.dimensions });
  const names = Object.keys(DOCS) as DocName[];
  const vectors = await embedder.embed(names.map((name) => DOCS[name]));
  await Promise.all(names.map((name, i) => index.replaceFile(pathOf(name), [document(name, vectors[i]!)])));
  await index.flush();
});

afterAll(async () => {
  await index?.close();
  await embedder?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function document(name: DocName, embedding: number[]): IndexDocument {
  return {
    id: `${name}:0`,
    content: DOCS[name],
    embedding,
    sourcePath: pathOf(name),
    sourceName: `${name}.txt`,
    contentHash: `hash-${name}`,
    page: null,
    chunkIndex: 0,
    mimeType: 'text/plain',
    title: null,
    modifiedAt: 0,
  };
}

async function ranked(searchIndex: SearchIndex, text: string, mode: 'keyword' | 'vector' | 'hybrid') {
  const [vector] = await embedder.embed([text], { inputType: 'query' });
  const results = await searchIndex.search({ text, vector: vector!, mode, top: 10 });
  return results.map((result) => nameOf(result.sourcePath));
}

describe('relevance with the tiny embedding model', () => {
  it('keyword search finds the keyword matches but misses the paraphrases', async () => {
    const keyword = await ranked(index, 'automobile repair', 'keyword');
    expect(keyword).toEqual(expect.arrayContaining([...KEYWORD_ONLY, 'paraphrase']));
    expect(keyword).not.toContain('pureParaphrase');
    expect(keyword).not.toContain('chineseParaphrase');
  });

  it('vector search ranks every paraphrase (English and Chinese) above keyword-only matches', async () => {
    const vector = await ranked(index, 'automobile repair', 'vector');
    expect(new Set(vector.slice(0, PARAPHRASES.length))).toEqual(new Set(PARAPHRASES));
    for (const keywordOnly of KEYWORD_ONLY) {
      expect(vector.indexOf(keywordOnly)).toBeGreaterThan(PARAPHRASES.length - 1);
    }
  });

  it('a Chinese query finds the English paraphrases too', async () => {
    const vector = await ranked(index, '汽车修理', 'vector');
    expect(new Set(vector.slice(0, PARAPHRASES.length))).toEqual(new Set(PARAPHRASES));
  });

  it('hybrid search puts a paraphrase first, above the keyword-only matches', async () => {
    const hybrid = await ranked(index, 'automobile repair', 'hybrid');
    expect(hybrid[0]).toBe('paraphrase');
    const firstKeywordOnly = Math.min(...KEYWORD_ONLY.map((name) => hybrid.indexOf(name)));
    expect(hybrid.indexOf('paraphrase')).toBeLessThan(firstKeywordOnly);
  });
});
