import type { SimContext, SimReply, SimRequest, SimService, SimServiceFactory } from '../core/types';
import { runIndexBatch } from './search-batch';
import { indexNotFound, invalidRequest, searchErrors } from './search-errors';
import { IndexStore } from './search-index-store';
import {
  deleteIndex,
  getIndex,
  listIndexes,
  odataContentType,
  putIndex,
  wantsMinimalMetadata,
} from './search-management';
import { csv, projectDocument, selectedFields } from './search-projection';
import { runSearch } from './search-query';
import { parseSearchPath, type SearchPath, searchRouteId } from './search-routes';

function parseJsonBody(req: SimRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** GET docs?search=…: the query-string form, mapped onto the POST body shape. */
function queryStringBody(query: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const copy = (from: string, to: string, parse: (v: string) => unknown = (v) => v) => {
    const value = query.get(from);
    if (value !== null) body[to] = parse(value);
  };
  copy('search', 'search');
  copy('$filter', 'filter');
  copy('$select', 'select');
  copy('$orderby', 'orderby');
  copy('$top', 'top', Number);
  copy('$skip', 'skip', Number);
  copy('$count', 'count', (v) => v === 'true');
  copy('searchMode', 'searchMode');
  copy('searchFields', 'searchFields');
  copy('queryType', 'queryType');
  copy('highlight', 'highlight');
  copy('highlightPreTag', 'highlightPreTag');
  copy('highlightPostTag', 'highlightPostTag');
  copy('semanticConfiguration', 'semanticConfiguration');
  return body;
}

/** Azure AI Search: indexes, document batches, search, count and lookup, in memory. */
export const createSearchService: SimServiceFactory = ({ ledger, options }) => {
  const store = new IndexStore();
  ledger.registerDocumentSource({
    indexNames: () => store.names(),
    documents: (name) => {
      const entry = store.get(name);
      return entry ? [...entry.documents.values()].map((d) => ({ ...d.values })) : undefined;
    },
  });

  /** Search sheds load with 503 (queries, indexing) and 429 (management), per the protocol doc. */
  const throttle = (ctx: SimContext, req: SimRequest): SimReply | undefined => {
    const name =
      ctx.route === 'search.index'
        ? 'search.index'
        : ctx.route === 'search.management'
          ? 'search.management'
          : 'search.query';
    const decision = ctx.quotas.take([{ name, cost: 1 }]);
    if (decision.allowed) return undefined;
    return name === 'search.management'
      ? ctx.throttled(decision.retryAfterMs)
      : searchErrors.unavailable(req);
  };

  const serve = async (req: SimRequest, ctx: SimContext, path: SearchPath): Promise<SimReply> => {
    switch (path.kind) {
      case 'indexes':
        await ctx.work('search.management', 1);
        return req.method === 'POST'
          ? putIndex(store, req, ctx.baseUrl, undefined)
          : listIndexes(store, req, ctx.baseUrl);
      case 'index':
        await ctx.work('search.management', 1);
        if (req.method === 'PUT') return putIndex(store, req, ctx.baseUrl, path.index);
        if (req.method === 'DELETE') return deleteIndex(store, path.index);
        return getIndex(store, req, ctx.baseUrl, path.index);
      default:
        break;
    }
    const entry = store.get(path.index);
    if (!entry) return indexNotFound(path.index);
    const jsonHeaders = { 'Content-Type': odataContentType(req) };
    switch (path.kind) {
      case 'batch': {
        const itemFault = ctx.faults.take(ctx.route, ['itemErrors']);
        const reply = runIndexBatch({
          entry,
          body: req.body,
          visibleFromMs: ctx.now() + options.searchVisibilityDelayMs,
          itemFault,
          rng: ctx.rng,
        });
        await ctx.work('search.index', Number(reply.notes?.actions ?? 0));
        return reply.status < 300 ? { ...reply, headers: jsonHeaders } : reply;
      }
      case 'count':
        await ctx.work('search.query', 1);
        return {
          status: 200,
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          body: { kind: 'text', text: String(store.visibleDocuments(path.index, ctx.now()).length) },
        };
      case 'lookup': {
        await ctx.work('search.query', 1);
        const doc = entry.documents.get(path.key);
        // A missing document is a 404 with an empty body (recorded).
        if (!doc || doc.visibleFromMs > ctx.now()) return { status: 404, body: { kind: 'empty' } };
        const fields = selectedFields(entry.index, csv(req.query.get('$select')));
        return {
          status: 200,
          headers: jsonHeaders,
          body: { kind: 'json', value: projectDocument(doc.values, fields) },
        };
      }
      case 'search':
      case 'searchGet': {
        const body = path.kind === 'search' ? parseJsonBody(req) : queryStringBody(req.query);
        if (!body) return invalidRequest('The request body is not a valid search request.');
        await ctx.work('search.query', 1);
        const reply = runSearch(entry.index, store.visibleDocuments(path.index, ctx.now()), body);
        if (reply.status !== 200 || !wantsMinimalMetadata(req) || reply.body.kind !== 'json') {
          return reply.status === 200 ? { ...reply, headers: jsonHeaders } : reply;
        }
        const context = { '@odata.context': `${ctx.baseUrl}/indexes('${path.index}')/$metadata#docs(*)` };
        return {
          ...reply,
          headers: jsonHeaders,
          body: { kind: 'json', value: { ...context, ...(reply.body.value as object) } },
        };
      }
    }
  };

  const service: SimService = {
    name: 'search',
    throttleHeaders: 'none',
    owns: (req) => /^\/+indexes(\/|\(|$)/.test(req.path),
    routeOf: (req) => {
      const path = parseSearchPath(req.path);
      return path ? searchRouteId(path, req.method) : undefined;
    },
    isAuthorized: (req, keys) => req.headers['api-key'] === keys.search,
    responseHeaders: (req, status) => {
      const headers: Record<string, string> = {
        'request-id': req.id,
        'elapsed-time': String(Math.max(1, Date.now() - req.receivedAtMs)),
        'OData-Version': '4.0',
      };
      if (!req.path.endsWith('/$count')) headers['Preference-Applied'] = 'odata.include-annotations="*"';
      if (status >= 400) headers['Content-Language'] = 'en';
      const clientRequestId = req.headers['x-ms-client-request-id'];
      if (clientRequestId) headers['client-request-id'] = clientRequestId;
      return headers;
    },
    async handle(req, ctx) {
      if (!req.query.get('api-version')) {
        return invalidRequest("api-version : The 'api-version' query parameter is required.");
      }
      const path = parseSearchPath(req.path) as SearchPath;
      return throttle(ctx, req) ?? serve(req, ctx, path);
    },
    errors: searchErrors,
    reset: () => store.clear(),
  };
  return service;
};
