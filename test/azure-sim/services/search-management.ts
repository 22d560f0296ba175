/** Index management: create (POST / PUT), get, list, delete. */
import type { SimRequest, SimResponse } from '../core/types';
import { indexNotFound, invalidRequest, searchError } from './search-errors';
import { compileIndex, normaliseIndexDefinition, SchemaError } from './search-index-schema';
import type { IndexStore } from './search-index-store';

/** True when the client asked for `odata.metadata=minimal` (index clients do). */
export function wantsMinimalMetadata(req: SimRequest): boolean {
  return /odata\.metadata=minimal/i.test(req.headers.accept ?? '');
}

export function odataContentType(req: SimRequest): string {
  const level = wantsMinimalMetadata(req) ? 'minimal' : 'none';
  return `application/json; odata.metadata=${level}; odata.streaming=true; charset=utf-8`;
}

function indexBody(
  req: SimRequest,
  baseUrl: string,
  definition: Record<string, unknown>,
  etag: string,
): unknown {
  if (!wantsMinimalMetadata(req)) return definition;
  return { '@odata.context': `${baseUrl}/$metadata#indexes/$entity`, '@odata.etag': etag, ...definition };
}

function parseBody(req: SimRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Creates or replaces an index; `pathName` is set for PUT. */
export function putIndex(
  store: IndexStore,
  req: SimRequest,
  baseUrl: string,
  pathName: string | undefined,
): SimResponse {
  const raw = parseBody(req);
  if (raw === undefined) return invalidRequest('The request body is not valid JSON.');
  let compiled: ReturnType<typeof compileIndex>;
  try {
    const definition = normaliseIndexDefinition(raw);
    if (pathName !== undefined && definition.name !== pathName) {
      return invalidRequest(
        `name : The index name '${String(definition.name)}' in the body does not match '${pathName}' in the URL.`,
      );
    }
    compiled = compileIndex(definition);
  } catch (error) {
    if (error instanceof SchemaError) return invalidRequest(error.message);
    throw error;
  }
  if (pathName === undefined && store.get(compiled.name)) {
    return searchError(
      409,
      `Cannot create index '${compiled.name}' because it already exists.`,
      'ResourceNameAlreadyInUse',
    );
  }
  const outcome = store.put(compiled);
  const apiVersion = req.query.get('api-version') ?? '';
  return {
    status: outcome === 'created' ? 201 : 200,
    headers: {
      'Content-Type': odataContentType(req),
      ETag: compiled.etag,
      ...(outcome === 'created'
        ? { Location: `${baseUrl}/indexes('${compiled.name}')?api-version=${apiVersion}` }
        : {}),
    },
    body: { kind: 'json', value: indexBody(req, baseUrl, compiled.definition, compiled.etag) },
  };
}

export function getIndex(store: IndexStore, req: SimRequest, baseUrl: string, name: string): SimResponse {
  const entry = store.get(name);
  if (!entry) return indexNotFound(name);
  return {
    status: 200,
    headers: { 'Content-Type': odataContentType(req), ETag: entry.index.etag },
    body: { kind: 'json', value: indexBody(req, baseUrl, entry.index.definition, entry.index.etag) },
  };
}

export function listIndexes(store: IndexStore, req: SimRequest, baseUrl: string): SimResponse {
  const value = store.names().flatMap((name) => {
    const entry = store.get(name);
    return entry ? [indexBody(req, baseUrl, entry.index.definition, entry.index.etag)] : [];
  });
  const body = wantsMinimalMetadata(req)
    ? { '@odata.context': `${baseUrl}/$metadata#indexes`, value }
    : { value };
  return {
    status: 200,
    headers: { 'Content-Type': odataContentType(req) },
    body: { kind: 'json', value: body },
  };
}

export function deleteIndex(store: IndexStore, name: string): SimResponse {
  return store.delete(name) ? { status: 204, body: { kind: 'empty' } } : indexNotFound(name);
}
