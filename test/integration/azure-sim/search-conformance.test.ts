/**
 * Conformance of the simulated AI Search with the real recordings in
 * ../shared/azure-recordings/ai-search, driven by the real @azure/search-documents clients.
 */
import {
  AzureKeyCredential,
  IndexDocumentsBatch,
  SearchClient,
  SearchIndexClient,
} from '@azure/search-documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { embedText } from '../../azure-sim/services/openai-embedding-vector';
import { captureResponses } from './helpers/capture';
import { createIndexRaw, hotelIndex, sampleHotels } from './helpers/hotels';
import {
  HAS_RECORDINGS,
  noteIfRecordingsMissing,
  type RecordedExchange,
  readRecording,
  shapeDifferences,
} from './helpers/recordings';

noteIfRecordingsMissing('search-conformance');

type Hotel = Record<string, unknown>;
interface Named {
  name?: unknown;
  [key: string]: unknown;
}
/** The recorded index definition, as far as the test renames things in it. */
interface RecordedIndex {
  name: string;
  fields: (Named & { vectorSearchProfile?: string })[];
  vectorSearch: {
    profiles: (Named & { algorithm?: string; vectorizer?: string; compression?: string })[];
    algorithms: Named[];
    vectorizers: Named[];
    compressions: Named[];
  };
  [key: string]: unknown;
}
/** Headers Search clients read on document operations. */
const DOC_HEADERS = ['content-type', 'odata-version', 'preference-applied', 'request-id', 'elapsed-time'];

describe.skipIf(!HAS_RECORDINGS)('AI Search conformance with the recordings', () => {
  let sim: AzureSim;
  let credential: AzureKeyCredential;

  beforeAll(async () => {
    sim = await startAzureSim();
    credential = new AzureKeyCredential(sim.keys.search);
  });
  afterAll(async () => {
    await sim.close();
  });

  const searchClient = (index: string) => {
    const capture = captureResponses();
    const client = new SearchClient<Hotel>(sim.endpoints.search, index, credential, {
      allowInsecureConnection: true,
      additionalPolicies: capture.policies,
    });
    return { client, capture };
  };

  it('create index: 201, Location/ETag, and every server default as recorded', async () => {
    const recording = readRecording('ai-search/create-vector-index-2024-09-01-preview.json');
    // The recorder replaced names with "Sanitized"; give each a real, distinct name again.
    const request = structuredClone(recording.request.body) as RecordedIndex;
    const expected = structuredClone(recording.response.body) as RecordedIndex;
    const fieldNames = ['hotelId', 'description', 'descriptionVector', 'descriptionVectorHalf'];
    for (const body of [request, expected]) {
      body.name = 'hotels-vector';
      const { fields, vectorSearch } = body;
      fields.forEach((field, i) => {
        field.name = fieldNames[i];
      });
      vectorSearch.profiles.forEach((profile, i) => {
        profile.name = fields[2 + i]?.vectorSearchProfile;
      });
      vectorSearch.algorithms.forEach((algorithm, i) => {
        algorithm.name = vectorSearch.profiles[i]?.algorithm;
      });
      (vectorSearch.vectorizers[0] as Named).name = vectorSearch.profiles[0]?.vectorizer;
      (vectorSearch.compressions[0] as Named).name = vectorSearch.profiles[1]?.compression;
    }
    const response = await fetch(`${sim.baseUrl}/indexes?api-version=2024-09-01-Preview`, {
      method: 'POST',
      headers: {
        'api-key': sim.keys.search,
        'content-type': 'application/json',
        accept: 'application/json;odata.metadata=minimal',
      },
      body: JSON.stringify(request),
    });
    expect(response.status).toBe(recording.response.status);
    const body = (await response.json()) as Record<string, unknown>;
    expect(
      shapeDifferences(body, expected, { ignore: ['$.scoringProfiles', '$.corsOptions', '$.suggesters'] }),
    ).toEqual([]);
    // Defaults filled in exactly as the service does.
    const {
      '@odata.context': _c,
      '@odata.etag': _e,
      scoringProfiles: _s,
      corsOptions: _o,
      suggesters: _g,
      ...rest
    } = body;
    const {
      '@odata.context': _c2,
      '@odata.etag': _e2,
      scoringProfiles: _s2,
      corsOptions: _o2,
      suggesters: _g2,
      ...expectedRest
    } = expected;
    expect(rest).toEqual(expectedRest);
    expect(body['@odata.etag']).toBe(response.headers.get('etag'));
    expect(response.headers.get('location')).toBe(
      `${sim.baseUrl}/indexes('hotels-vector')?api-version=2024-09-01-Preview`,
    );
    for (const name of Object.keys(recording.response.headers).filter((h) => h !== 'Server')) {
      expect(response.headers.get(name), name).not.toBeNull();
    }
    expect(response.headers.get('content-type')).toBe(recording.response.headers['Content-Type']);

    // The index client reads the same definition back.
    const indexClient = new SearchIndexClient(sim.endpoints.search, credential, {
      allowInsecureConnection: true,
    });
    const index = await indexClient.getIndex('hotels-vector');
    expect(index.fields.map((f) => f.name)).toEqual(fieldNames);
    expect(index.vectorSearch?.algorithms?.[0]).toMatchObject({
      kind: 'hnsw',
      parameters: { m: 4, efConstruction: 400, efSearch: 500 },
    });
  });

  it('index batches: per-item 201/200/404, 207 on partial failure, $count as text, lookups', async () => {
    const recording = readRecording<{ entries: (RecordedExchange & { _note: string })[] }>(
      'ai-search/index-documents-batch-2025-11-01-preview.json',
    );
    await createIndexRaw(sim.baseUrl, sim.keys.search, hotelIndex('hotels-batch'));
    const { client, capture } = searchClient('hotels-batch');
    await client.uploadDocuments(sampleHotels());

    const batchEntries = recording.entries.filter((e) => e.request.uri.includes('search.index'));
    for (const entry of batchEntries) {
      const actions = (entry.request.body as { value: Record<string, unknown>[] }).value;
      const batch = new IndexDocumentsBatch<Hotel>();
      for (const { '@search.action': action, ...doc } of actions) {
        if (action === 'upload') batch.upload([doc]);
        else if (action === 'merge') batch.merge([doc]);
        else if (action === 'mergeOrUpload') batch.mergeOrUpload([doc]);
        else batch.delete([doc]);
      }
      const result = await client.indexDocuments(batch);
      const raw = capture.last();
      expect(raw.status, entry._note).toBe(entry.response.status);
      const recordedItems = (entry.response.body as { value: Record<string, unknown>[] }).value;
      const rawItems = (JSON.parse(raw.bodyText ?? '{}') as { value: Record<string, unknown>[] }).value;
      expect(
        rawItems.map(({ key: _k, ...item }) => item),
        entry._note,
      ).toEqual(recordedItems.map(({ key: _k, ...item }) => item));
      expect(rawItems.map((item) => item.key)).toEqual(actions.map((a) => a.hotelId));
      expect(result.results.map((r) => r.statusCode)).toEqual(recordedItems.map((r) => r.statusCode));
      for (const name of DOC_HEADERS) expect(raw.headers[name], name).toBeDefined();
      expect(raw.headers['content-type']).toBe(entry.response.headers['Content-Type']);
      if (entry._note.startsWith('delete')) {
        const countEntry = recording.entries.find((e) => e.request.uri.includes('$count'));
        expect(await client.getDocumentsCount()).toBe(countEntry?.response.body);
        expect(capture.last().headers['content-type']).toBe(countEntry?.response.headers['Content-Type']);
        expect(capture.last().bodyText).toBe(String(countEntry?.response.body));
      }
    }

    // Lookup of an existing key: unset fields null, empty collections [] (the recorded body).
    const found = recording.entries.find((e) => e._note.startsWith('lookup of an existing'));
    expect(await client.getDocument('1000')).toEqual(found?.response.body);

    // Lookup of a missing key: 404, empty body, no Content-Type. (@azure/search-documents 13
    // cannot deserialize the empty body and throws a TypeError instead of a RestError.)
    const missing = recording.entries.find((e) => e._note.startsWith('lookup of a deleted'));
    await client.deleteDocuments([{ hotelId: '3' }]);
    await expect(client.getDocument('3')).rejects.toThrow();
    const raw = capture.last();
    expect(raw.status).toBe(missing?.response.status);
    expect(raw.bodyText ?? '').toBe('');
    expect(raw.headers['content-type']).toBeUndefined();
    for (const name of Object.keys(missing?.response.headers ?? {}).filter(
      (h) => h !== 'Transfer-Encoding',
    )) {
      expect(raw.headers[name.toLowerCase()], name).toBeDefined();
    }
  });

  it('simple search: the recorded hits come back with the recorded shape', async () => {
    const recording = readRecording('ai-search/search-simple-2025-11-01-preview.json');
    const hits = (recording.response.body as { value: Hotel[] }).value;
    await createIndexRaw(sim.baseUrl, sim.keys.search, hotelIndex('hotels-simple'));
    const { client, capture } = searchClient('hotels-simple');
    await client.uploadDocuments([
      ...hits.map(({ '@search.score': _s, ...doc }) => doc),
      { hotelId: '99', hotelName: 'Quiet Cabin', description: 'A cabin.' },
    ]);
    const results = await client.search(String((recording.request.body as { search: string }).search));
    const documents: Hotel[] = [];
    for await (const result of results.results) documents.push(result.document);
    expect(documents.map((d) => d.hotelId).sort()).toEqual(hits.map((h) => h.hotelId).sort());

    const raw = capture.last();
    expect(raw.status).toBe(200);
    const body = JSON.parse(raw.bodyText ?? '{}') as { value: Hotel[] };
    expect(shapeDifferences(body, recording.response.body, { nullMatchesAnything: true })).toEqual([]);
    for (const hit of body.value) {
      const recorded = hits.find((h) => h.hotelId === hit.hotelId);
      const { '@search.score': score, ...doc } = hit;
      expect(score).toBeGreaterThan(0);
      expect(doc).toEqual({
        ...Object.fromEntries(Object.keys(doc).map((k) => [k, null])),
        ...omitScore(recorded),
      });
    }
    for (const name of DOC_HEADERS) expect(raw.headers[name], name).toBeDefined();
    expect(raw.headers['content-type']).toBe(recording.response.headers['Content-Type']);
  });

  describe('semantic, answers and vector queries', () => {
    const recording = HAS_RECORDINGS
      ? readRecording<{ entries: RecordedExchange[] }>(
          'ai-search/search-semantic-answers-vector-2024-09-01-preview.json',
        )
      : { entries: [] };

    beforeAll(async () => {
      await createIndexRaw(sim.baseUrl, sim.keys.search, hotelIndex('hotels-semantic', true));
      const { client } = searchClient('hotels-semantic');
      await client.uploadDocuments(
        sampleHotels().map((h) => ({
          ...h,
          vectorDescription: Array.from(embedText(String(h.description), 1536, 1536)),
        })),
      );
    });

    it('semantic ranking: @odata.count, @search.rerankerScore and the recorded document shape', async () => {
      const entry = recording.entries[0] as RecordedExchange;
      const { client, capture } = searchClient('hotels-semantic');
      const results = await client.search('luxury', {
        includeTotalCount: true,
        queryType: 'semantic',
        select: ['*'] as never,
        skip: 0,
        top: 5,
        semanticSearchOptions: { configurationName: 'semantic-configuration' },
      });
      expect(results.count).toBe(1);
      const raw = JSON.parse(capture.last().bodyText ?? '{}') as { value: Hotel[] };
      expect(shapeDifferences(raw, entry.response.body, { nullMatchesAnything: true })).toEqual([]);
      const first = raw.value[0] as Hotel;
      expect(first.hotelId).toBe('1');
      expect(first['@search.rerankerScore']).toBeGreaterThan(0);
      expect(first['@search.rerankerScore']).toBeLessThanOrEqual(4);
      expect('@search.captions' in first).toBe(false);
    });

    it('semantic answers below the threshold: "@search.answers": [] and reranked hits', async () => {
      const entry = recording.entries[1] as RecordedExchange;
      const { client, capture } = searchClient('hotels-semantic');
      const results = await client.search('What are the most luxurious hotels?', {
        queryType: 'semantic',
        select: ['hotelId'],
        top: 3,
        semanticSearchOptions: {
          configurationName: 'semantic-configuration',
          answers: { answerType: 'extractive', count: 3, threshold: 0.7 },
        },
      });
      expect(results.answers).toEqual([]);
      const raw = JSON.parse(capture.last().bodyText ?? '{}') as { value: Hotel[] };
      expect(shapeDifferences(raw, entry.response.body)).toEqual([]);
      expect(raw.value).toHaveLength(3);
      const reranker = raw.value.map((v) => v['@search.rerankerScore'] as number);
      expect([...reranker].sort((a, b) => b - a)).toEqual(reranker);
    });

    it('pure vector query: similarity scores, k hits, retrievable:false vectors not echoed', async () => {
      const entry = recording.entries[2] as RecordedExchange;
      const { client, capture } = searchClient('hotels-semantic');
      const vector = Array.from(embedText('luxury hotels with an infinity pool and a spa', 1536, 1536));
      const results = await client.search('*', {
        select: ['hotelId'],
        top: 3,
        vectorSearchOptions: {
          queries: [{ kind: 'vector', vector, kNearestNeighborsCount: 3, fields: ['vectorDescription'] }],
        },
      });
      const ids: unknown[] = [];
      for await (const r of results.results) ids.push(r.document.hotelId);
      expect(ids).toHaveLength(3);
      expect(ids[0]).toBe('1');
      const raw = JSON.parse(capture.last().bodyText ?? '{}') as { value: Hotel[] };
      expect(shapeDifferences(raw, entry.response.body)).toEqual([]);
      for (const hit of raw.value) {
        expect(hit['@search.score']).toBeGreaterThan(0.5);
        expect(hit['@search.score']).toBeLessThanOrEqual(1);
      }
    });
  });
});

function omitScore(hit: Hotel | undefined): Hotel {
  const { '@search.score': _score, ...doc } = hit ?? {};
  return doc;
}
