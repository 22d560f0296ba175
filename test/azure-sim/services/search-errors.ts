import type { ServiceErrorEnvelopes, SimResponse } from '../core/types';

/** AI Search's OData error body: `{"error":{"code":"","message":…}}` (code often empty). */
export function searchError(status: number, message: string, code = ''): SimResponse {
  return { status, body: { kind: 'json', value: { error: { code, message } } } };
}

/** 400 "The request is invalid. Details: …", the service's wording for bad input. */
export function invalidRequest(details: string): SimResponse {
  return searchError(400, `The request is invalid. Details: ${details}`, 'InvalidRequestParameter');
}

export function indexNotFound(index: string): SimResponse {
  return searchError(404, `The index '${index}' for service 'sim' was not found.`);
}

export const QUERY_THROTTLE_MESSAGE =
  'Failed to execute query because not enough resources were available to cover 100% of the index. Please try again later.';
export const INDEXING_THROTTLE_MESSAGE =
  'Failed to execute indexing request for this document because not enough resources were available. You may be reaching the limits of your provisioned capacity. Please try again later or adjust the number of replicas. See http://aka.ms/azure-search-throttling for more information.';

export const searchErrors: ServiceErrorEnvelopes = {
  // Search answers a wrong key with 403 and no body.
  unauthorized: () => ({ status: 403, body: { kind: 'empty' } }),
  throttled: () => searchError(429, 'You are sending too many requests. Please try again later.'),
  unavailable: (req) =>
    searchError(503, req.path.includes('search.index') ? INDEXING_THROTTLE_MESSAGE : QUERY_THROTTLE_MESSAGE),
  internalError: () => searchError(500, 'An unexpected error occurred. Please try again later.'),
  notFound: (req) => searchError(404, `The resource at '${req.path}' was not found.`),
};
