/** AI Search queries through the real SearchClient: text, filters, paging, highlights, vectors, hybrid, semantic. */
import { AzureKeyCredential, SearchClient } from '@azure/search-documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { embedText } from '../../azure-sim/services/openai-embedding-vector';
import { captureResponses } from './helpers/capture';
import { createIndexRaw } from './helpers/hotels';

interface Chunk {
  id: string;
  content: string;
  title: string;
  sourcePath: string;
  page: number | null;
  tags: string[];
  modified: string;
  embedding: number[];
}

const DIMS = 64;
const vector = (text: string) => Array.from(embedText(text, DIMS, DIMS));

const CHUNKS: Omit<Chunk, 'embedding'>[] = [
  {
    id: 'a1',
    title: 'Invoice',
    content: 'The invoice total is due within thirty days of delivery.',
    sourcePath: '/docs/invoice.pdf',
    page: 1,
    tags: ['finance'],
    modified: '2024-01-10T00:00:00Z',
  },
  {
    id: 'a2',
    title: 'Invoice',
    content: 'Late invoice payments incur a fee. Invoice questions go to accounting.',
    sourcePath: '/docs/invoice.pdf',
    page: 2,
    tags: ['finance', 'policy'],
    modified: '2024-01-10T00:00:00Z',
  },
  {
    id: 'b1',
    title: 'Garden',
    content: 'Tomatoes need sun and water. Prune the roses in spring.',
    sourcePath: '/docs/garden.docx',
    page: null,
    tags: ['home'],
    modified: '2023-06-01T00:00:00Z',
  },
  {
    id: 'c1',
    title: 'Travel',
    content: 'The train to Lyon leaves at nine. Bring the payment receipt.',
    sourcePath: '/docs/travel.txt',
    page: null,
    tags: ['travel'],
    modified: '2024-03-05T00:00:00Z',
  },
  {
    id: 'd1',
    title: '索引',
    content: '文件索引和搜索功能',
    sourcePath: '/docs/cjk.txt',
    page: null,
    tags: [],
    modified: '2024-02-01T00:00:00Z',
  },
];

describe('AI Search queries', () => {
  let sim: AzureSim;
  let client: SearchClient<Chunk>;
  let capture: ReturnType<typeof captureResponses>;

  beforeAll(async () => {
    sim = await startAzureSim();
    await createIndexRaw(sim.baseUrl, sim.keys.search, {
      name: 'chunks',
      fields: [
        { name: 'id', type: 'Edm.String', key: true, filterable: true },
        { name: 'content', type: 'Edm.String', searchable: true, filterable: false, analyzer: 'en.lucene' },
        { name: 'title', type: 'Edm.String', searchable: true, filterable: true },
        { name: 'sourcePath', type: 'Edm.String', filterable: true },
        { name: 'page', type: 'Edm.Int32', filterable: true, sortable: true },
        { name: 'tags', type: 'Collection(Edm.String)', filterable: true, facetable: true },
        { name: 'modified', type: 'Edm.DateTimeOffset', filterable: true, sortable: true },
        {
          name: 'embedding',
          type: 'Collection(Edm.Single)',
          dimensions: DIMS,
          vectorSearchProfile: 'p',
          retrievable: false,
        },
      ],
      vectorSearch: {
        algorithms: [{ name: 'h', kind: 'hnsw', hnswParameters: { metric: 'cosine' } }],
        profiles: [{ name: 'p', algorithm: 'h' }],
      },
      semantic: {
        defaultConfiguration: 'sem',
        configurations: [
          {
            name: 'sem',
            prioritizedFields: {
              titleField: { fieldName: 'title' },
              prioritizedContentFields: [{ fieldName: 'content' }],
            },
          },
        ],
      },
    });
    capture = captureResponses();
    client = new SearchClient<Chunk>(
      sim.endpoints.search,
      'chunks',
      new AzureKeyCredential(sim.keys.search),
      {
        allowInsecureConnection: true,
        additionalPolicies: capture.policies,
      },
    );
    await client.uploadDocuments(CHUNKS.map((c) => ({ ...c, embedding: vector(c.content) })));
  });
  afterAll(async () => {
    await sim.close();
  });

  async function ids(
    text: string,
    options: Parameters<SearchClient<Chunk>['search']>[1] = {},
  ): Promise<string[]> {
    const results = await client.search(text, options);
    const out: string[] = [];
    for await (const r of results.results) out.push(r.document.id);
    return out;
  }
  const lastBody = () =>
    JSON.parse(capture.last().bodyText ?? '{}') as Record<string, unknown> & {
      value: Record<string, unknown>[];
    };

  it('BM25: more occurrences of a rarer term rank higher; stemming finds plurals', async () => {
    expect(await ids('invoice')).toEqual(['a2', 'a1']);
    expect(await ids('invoices')).toEqual(['a2', 'a1']);
    const scores = lastBody().value.map((v) => v['@search.score'] as number);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? Infinity);
  });

  it('searchMode any/all, phrases, exclusions, prefixes, and CJK text', async () => {
    expect((await ids('invoice payment')).sort()).toEqual(['a1', 'a2', 'c1']);
    expect(await ids('invoice payment', { searchMode: 'all' })).toEqual(['a2']);
    expect(await ids('"payment receipt"')).toEqual(['c1']);
    expect(await ids('"receipt payment"')).toEqual([]);
    expect(await ids('invoice -late')).toEqual(['a1']);
    expect(await ids('tomat*')).toEqual(['b1']);
    expect(await ids('索引')).toEqual(['d1']);
  });

  it('filters: eq, ne, and, or, not, comparisons, dates, search.in, any()', async () => {
    const all = { filter: '' };
    expect(await ids('*', { ...all, filter: "sourcePath eq '/docs/invoice.pdf' and page eq 2" })).toEqual([
      'a2',
    ]);
    expect((await ids('*', { filter: "title ne 'Invoice'" })).sort()).toEqual(['b1', 'c1', 'd1']);
    expect((await ids('*', { filter: "title eq 'Garden' or title eq 'Travel'" })).sort()).toEqual([
      'b1',
      'c1',
    ]);
    expect((await ids('*', { filter: "not (title eq 'Invoice')" })).sort()).toEqual(['b1', 'c1', 'd1']);
    expect((await ids('*', { filter: 'page ge 2 or page eq null' })).sort()).toEqual([
      'a2',
      'b1',
      'c1',
      'd1',
    ]);
    expect((await ids('*', { filter: 'modified gt 2024-01-31T00:00:00Z' })).sort()).toEqual(['c1', 'd1']);
    expect((await ids('*', { filter: "search.in(id, 'a1,c1')" })).sort()).toEqual(['a1', 'c1']);
    expect((await ids('*', { filter: "search.in(title, 'Invoice|Travel', '|')" })).sort()).toEqual([
      'a1',
      'a2',
      'c1',
    ]);
    expect((await ids('*', { filter: "tags/any(t: t eq 'policy')" })).sort()).toEqual(['a2']);
    expect((await ids('*', { filter: 'tags/any()' })).sort()).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect((await ids('invoice', { filter: "search.ismatch('train')" })).sort()).toEqual([]);
  });

  it('an invalid filter is a 400 naming $filter', async () => {
    await expect(ids('*', { filter: "content eq 'x'" })).rejects.toMatchObject({ statusCode: 400 });
    expect(capture.last().bodyText).toContain('not a filterable field');
    await expect(ids('*', { filter: "nosuch eq 'x'" })).rejects.toMatchObject({ statusCode: 400 });
    expect(capture.last().bodyText).toContain('Parameter name: $filter');
    await expect(ids('*', { filter: "title eq 'unterminated" })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('select, top, skip, count and orderby', async () => {
    const results = await client.search('*', {
      select: ['id', 'page'],
      orderBy: ['modified desc'],
      top: 2,
      skip: 1,
      includeTotalCount: true,
    });
    expect(results.count).toBe(5);
    const docs: Record<string, unknown>[] = [];
    for await (const r of results.results) {
      docs.push(Object.fromEntries(Object.entries(r.document).filter(([key]) => !key.startsWith('@'))));
    }
    expect(docs).toEqual([
      { id: 'd1', page: null },
      { id: 'a1', page: 1 },
    ]);
    expect(lastBody().value[0]).not.toHaveProperty('embedding');
    await expect(ids('*', { select: ['nosuch' as 'id'] })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('highlights with default and custom tags', async () => {
    const results = await client.search('invoice', { highlightFields: 'content', top: 1 });
    for await (const r of results.results) {
      expect(r.highlights?.content?.[0]).toBe('Late <em>invoice</em> payments incur a fee.');
    }
    await ids('train', { highlightFields: 'content', highlightPreTag: '[', highlightPostTag: ']' });
    expect(lastBody().value[0]?.['@search.highlights']).toEqual({
      content: ['The [train] to Lyon leaves at nine.'],
    });
  });

  it('facets count values of the matching documents', async () => {
    const results = await client.search('*', { facets: ['tags,count:2'] });
    expect(results.facets?.tags?.map((f) => ({ count: f.count, value: f.value }))).toEqual([
      { count: 2, value: 'finance' },
      { count: 1, value: 'policy' },
    ]);
  });

  it('vector queries: cosine kNN, k honoured, filters applied before kNN by default', async () => {
    const query = vector('When is the invoice total due?');
    const knn = await ids('*', {
      vectorSearchOptions: {
        queries: [{ kind: 'vector', vector: query, kNearestNeighborsCount: 2, fields: ['embedding'] }],
      },
    });
    expect(knn).toHaveLength(2);
    expect(knn[0]).toBe('a1');
    const scores = lastBody().value.map((v) => v['@search.score'] as number);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? Infinity);
    const filtered = await ids('*', {
      filter: "title eq 'Travel'",
      vectorSearchOptions: {
        queries: [{ kind: 'vector', vector: query, kNearestNeighborsCount: 2, fields: ['embedding'] }],
      },
    });
    expect(filtered).toEqual(['c1']);
    await expect(
      ids('*', {
        vectorSearchOptions: { queries: [{ kind: 'vector', vector: [1, 2], fields: ['embedding'] }] },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('hybrid (text + vector) fuses both rankings with RRF', async () => {
    const hybrid = await ids('receipt', {
      vectorSearchOptions: {
        queries: [
          {
            kind: 'vector',
            vector: vector('invoice total due'),
            kNearestNeighborsCount: 3,
            fields: ['embedding'],
          },
        ],
      },
    });
    expect(hybrid).toContain('c1');
    expect(hybrid).toContain('a1');
    const scores = lastBody().value.map((v) => v['@search.score'] as number);
    // RRF scores are small: at most (1 + 1) / (60 + 1).
    for (const score of scores) expect(score).toBeLessThanOrEqual(2 / 61 + 1e-9);
    // c1 is the only text hit and also a vector neighbour: found by both lists beats found by one.
    expect(hybrid[0]).toBe('c1');
    expect(scores[0]).toBeCloseTo(1 / 61 + 1 / 63, 9);
  });

  it('semantic: reranker scores, captions with highlights, extractive answers above the threshold', async () => {
    const results = await client.search('When is the invoice total due?', {
      queryType: 'semantic',
      semanticSearchOptions: {
        answers: { answerType: 'extractive', count: 1, threshold: 0.5 },
        captions: { captionType: 'extractive', highlight: true },
      },
    });
    const first = lastBody().value[0];
    expect(first?.id).toBe('a1');
    expect(first?.['@search.rerankerScore']).toBeGreaterThan(
      lastBody().value[1]?.['@search.rerankerScore'] as number,
    );
    expect(first?.['@search.captions']).toEqual([
      {
        text: 'The invoice total is due within thirty days of delivery.',
        highlights: 'The <em>invoice</em> <em>total</em> is <em>due</em> within thirty days of delivery.',
      },
    ]);
    expect(results.answers).toHaveLength(1);
    expect(results.answers?.[0]).toMatchObject({
      key: 'a1',
      text: 'The invoice total is due within thirty days of delivery.',
    });
  });

  it('text vector queries use the sim embedder when the profile has a vectorizer; without one, 400', async () => {
    await expect(
      ids('*', {
        vectorSearchOptions: { queries: [{ kind: 'text', text: 'invoice', fields: ['embedding'] }] },
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('GET docs?search= and /indexes/x/docs/search.post.search (plain URL form) work too', async () => {
    const get = await fetch(
      `${sim.baseUrl}/indexes/chunks/docs?api-version=2024-07-01&search=tomatoes&$select=id&$count=true`,
      {
        headers: { 'api-key': sim.keys.search },
      },
    );
    expect(await get.json()).toEqual({
      '@odata.count': 1,
      value: [{ '@search.score': expect.any(Number), id: 'b1' }],
    });
    const post = await fetch(`${sim.baseUrl}/indexes/chunks/docs/search.post.search?api-version=2024-07-01`, {
      method: 'POST',
      headers: { 'api-key': sim.keys.search, 'content-type': 'application/json' },
      body: JSON.stringify({ search: 'roses', select: 'id' }),
    });
    expect(((await post.json()) as { value: { id: string }[] }).value.map((v) => v.id)).toEqual(['b1']);
  });
});
