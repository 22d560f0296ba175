/** AI Search index management and document batches: both URL forms, limits, errors. */
import { AzureKeyCredential, SearchClient, SearchIndexClient } from '@azure/search-documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';
import { captureResponses } from './helpers/capture';

const definition = (name: string) => ({
  name,
  fields: [
    { name: 'id', type: 'Edm.String', key: true },
    { name: 'content', type: 'Edm.String', searchable: true },
    { name: 'page', type: 'Edm.Int32', filterable: true },
    { name: 'embedding', type: 'Collection(Edm.Single)', dimensions: 4, vectorSearchProfile: 'p' },
  ],
  vectorSearch: { algorithms: [{ name: 'h', kind: 'hnsw' }], profiles: [{ name: 'p', algorithm: 'h' }] },
});

describe('AI Search indexes and batches', () => {
  let sim: AzureSim;
  const request = (method: string, pathAndQuery: string, body?: unknown, apiKey?: string) =>
    fetch(`${sim.baseUrl}${pathAndQuery}`, {
      method,
      headers: { 'api-key': apiKey ?? sim.keys.search, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  beforeAll(async () => {
    sim = await startAzureSim({ searchVisibilityDelayMs: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('POST creates (201), a second POST conflicts (409), PUT updates (200), both URL forms read and delete', async () => {
    expect((await request('POST', '/indexes?api-version=2024-07-01', definition('crud'))).status).toBe(201);
    expect((await request('POST', '/indexes?api-version=2024-07-01', definition('crud'))).status).toBe(409);
    const updated = await request('PUT', "/indexes('crud')?api-version=2024-07-01", definition('crud'));
    expect(updated.status).toBe(200);
    const created = await request('PUT', '/indexes/crud-two?api-version=2024-07-01', definition('crud-two'));
    expect(created.status).toBe(201);
    const got = await request('GET', '/indexes/crud?api-version=2024-07-01');
    expect(got.status).toBe(200);
    expect(
      ((await got.json()) as { fields: { name: string; retrievable: boolean }[] }).fields[0],
    ).toMatchObject({
      name: 'id',
      retrievable: true,
      searchable: true,
    });
    const list = (await (await request('GET', '/indexes?api-version=2024-07-01')).json()) as {
      value: { name: string }[];
    };
    expect(list.value.map((i) => i.name)).toEqual(['crud', 'crud-two']);
    expect((await request('DELETE', "/indexes('crud')?api-version=2024-07-01")).status).toBe(204);
    expect((await request('DELETE', '/indexes/crud-two?api-version=2024-07-01')).status).toBe(204);
    expect((await request('GET', "/indexes('crud')?api-version=2024-07-01")).status).toBe(404);
  });

  it('the index client creates, reads and deletes through the SDK', async () => {
    const client = new SearchIndexClient(sim.endpoints.search, new AzureKeyCredential(sim.keys.search), {
      allowInsecureConnection: true,
    });
    await client.createOrUpdateIndex({
      name: 'sdk-index',
      fields: [
        { name: 'id', type: 'Edm.String', key: true },
        { name: 'content', type: 'Edm.String', searchable: true },
      ],
    });
    expect((await client.getIndex('sdk-index')).fields.map((f) => f.name)).toEqual(['id', 'content']);
    await client.deleteIndex('sdk-index');
    await expect(client.getIndex('sdk-index')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('refuses invalid definitions with 400', async () => {
    const noKey = { name: 'bad', fields: [{ name: 'content', type: 'Edm.String' }] };
    const response = await request('POST', '/indexes?api-version=2024-07-01', noKey);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'exactly one key field',
    );
    const badVector = definition('bad-vector');
    badVector.vectorSearch.profiles = [];
    expect((await request('POST', '/indexes?api-version=2024-07-01', badVector)).status).toBe(400);
    expect(
      (await request('POST', '/indexes?api-version=2024-07-01', { ...definition('Bad_Name') })).status,
    ).toBe(400);
  });

  describe('batches', () => {
    beforeAll(async () => {
      await request('POST', '/indexes?api-version=2024-07-01', definition('batch'));
    });
    const batch = (value: unknown[]) =>
      request('POST', "/indexes('batch')/docs/search.index?api-version=2024-07-01", { value });

    it('more than 1000 actions, or more than 16 MB: 413, nothing stored', async () => {
      const tooMany = Array.from({ length: 1001 }, (_, i) => ({ '@search.action': 'upload', id: `k${i}` }));
      expect((await batch(tooMany)).status).toBe(413);
      const huge = [{ '@search.action': 'upload', id: 'big', content: 'x'.repeat(16 * 1024 * 1024 + 10) }];
      expect((await batch(huge)).status).toBe(413);
      expect(sim.ledger.documents('batch')).toEqual([]);
      const exactly1000 = Array.from({ length: 1000 }, (_, i) => ({
        '@search.action': 'upload',
        id: `k${i}`,
      }));
      expect((await batch(exactly1000)).status).toBe(200);
      expect(sim.ledger.documents('batch')).toHaveLength(1000);
    });

    it('unknown fields and wrong vector lengths reject the whole batch with 400', async () => {
      const unknown = await batch([{ '@search.action': 'upload', id: 'u1', colour: 'red' }]);
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(
        "The property 'colour' does not exist",
      );
      const vector = await batch([{ '@search.action': 'upload', id: 'u2', embedding: [1, 2] }]);
      expect(vector.status).toBe(400);
      expect(((await vector.json()) as { error: { message: string } }).error.message).toContain(
        "expects a length of '4'",
      );
    });

    it('an invalid key fails only its item (207)', async () => {
      const response = await batch([
        { '@search.action': 'upload', id: 'good-key' },
        { '@search.action': 'upload', id: 'bad key/with slash' },
      ]);
      expect(response.status).toBe(207);
      const body = (await response.json()) as { value: { statusCode: number; status: boolean }[] };
      expect(body.value.map((v) => v.statusCode)).toEqual([201, 400]);
    });

    it('merge keeps unmentioned fields; deleted documents disappear from lookups', async () => {
      const client = new SearchClient<{ id: string; content?: string; page?: number }>(
        sim.endpoints.search,
        'batch',
        new AzureKeyCredential(sim.keys.search),
        { allowInsecureConnection: true },
      );
      await client.uploadDocuments([{ id: 'm1', content: 'first', page: 1 }]);
      await client.mergeDocuments([{ id: 'm1', page: 2 }]);
      expect(await client.getDocument('m1')).toMatchObject({ id: 'm1', content: 'first', page: 2 });
      const plain = await request('GET', '/indexes/batch/docs/m1?api-version=2024-07-01');
      expect(((await plain.json()) as { page: number }).page).toBe(2);
      await client.deleteDocuments([{ id: 'm1' }]);
      expect((await request('GET', "/indexes('batch')/docs('m1')?api-version=2024-07-01")).status).toBe(404);
    });
  });

  it('documents become searchable only after the visibility delay', async () => {
    const delayed = await startAzureSim({ searchVisibilityDelayMs: 300 });
    await fetch(`${delayed.baseUrl}/indexes?api-version=2024-07-01`, {
      method: 'POST',
      headers: { 'api-key': delayed.keys.search, 'content-type': 'application/json' },
      body: JSON.stringify(definition('later')),
    });
    const client = new SearchClient<{ id: string }>(
      delayed.endpoints.search,
      'later',
      new AzureKeyCredential(delayed.keys.search),
      {
        allowInsecureConnection: true,
      },
    );
    await client.uploadDocuments([{ id: 'a' }]);
    expect(await client.getDocumentsCount()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await client.getDocumentsCount()).toBe(1);
    await delayed.close();
  });

  it('a wrong key gets 403; a missing api-version gets 400', async () => {
    const capture = captureResponses();
    const client = new SearchClient(sim.endpoints.search, 'batch', new AzureKeyCredential('wrong'), {
      allowInsecureConnection: true,
      additionalPolicies: capture.policies,
    });
    await expect(client.getDocumentsCount()).rejects.toThrow();
    expect(capture.last().status).toBe(403);
    expect((await request('GET', "/indexes('batch')/docs/$count")).status).toBe(400);
  });
});
