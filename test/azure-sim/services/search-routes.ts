/** Parsed AI Search path; both `/indexes('x')/docs('k')` and `/indexes/x/docs/k` forms. */
export type SearchPath =
  | { readonly kind: 'indexes' }
  | { readonly kind: 'index'; readonly index: string }
  | { readonly kind: 'batch'; readonly index: string }
  | { readonly kind: 'search'; readonly index: string }
  | { readonly kind: 'searchGet'; readonly index: string }
  | { readonly kind: 'count'; readonly index: string }
  | { readonly kind: 'lookup'; readonly index: string; readonly key: string };

/** OData string literal inside parentheses: quotes doubled. */
function unquote(value: string): string {
  return value.replace(/''/g, "'");
}

const INDEX_SEGMENT = /^\/indexes(?:\('((?:[^']|'')*)'\)|\/([^/]+))/;

export function parseSearchPath(rawPath: string): SearchPath | undefined {
  const path = rawPath.replace(/\/{2,}/g, '/').replace(/\/$/, '');
  if (path === '/indexes') return { kind: 'indexes' };
  const head = INDEX_SEGMENT.exec(path);
  if (!head) return undefined;
  const index = head[1] !== undefined ? unquote(head[1]) : (head[2] ?? '');
  const rest = path.slice(head[0].length);
  if (rest === '') return { kind: 'index', index };
  if (rest === '/docs') return { kind: 'searchGet', index };
  if (rest === '/docs/search.index') return { kind: 'batch', index };
  if (rest === '/docs/search.post.search') return { kind: 'search', index };
  if (rest === '/docs/$count') return { kind: 'count', index };
  const quotedKey = /^\/docs\('((?:[^']|'')*)'\)$/.exec(rest);
  if (quotedKey?.[1] !== undefined) return { kind: 'lookup', index, key: unquote(quotedKey[1]) };
  const plainKey = /^\/docs\/([^/]+)$/.exec(rest);
  if (plainKey?.[1] !== undefined) return { kind: 'lookup', index, key: plainKey[1] };
  return undefined;
}

/** Route id for faults, quotas and the ledger. */
export function searchRouteId(path: SearchPath, method: string): string | undefined {
  switch (path.kind) {
    case 'indexes':
      return method === 'POST' || method === 'GET' ? 'search.management' : undefined;
    case 'index':
      return ['GET', 'PUT', 'DELETE'].includes(method) ? 'search.management' : undefined;
    case 'batch':
      return method === 'POST' ? 'search.index' : undefined;
    case 'search':
      return method === 'POST' ? 'search.query' : undefined;
    case 'searchGet':
    case 'count':
    case 'lookup':
      return method === 'GET' ? 'search.query' : undefined;
  }
}
