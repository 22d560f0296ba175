import type { SimRequest } from './types';

/**
 * Headers every Cognitive Services response carries (OpenAI, DI, Vision): `apim-request-id`,
 * `x-ms-region` (absent on gateway 401/429 replies, as in the recordings) and the echo of the
 * client's `x-ms-client-request-id`.
 */
export function cognitiveServicesHeaders(
  req: SimRequest,
  status: number,
  region: string,
): Record<string, string> {
  const headers: Record<string, string> = { 'apim-request-id': req.id };
  const gatewayReply = status === 401 || status === 429;
  if (!gatewayReply) headers['x-ms-region'] = region;
  const clientRequestId = req.headers['x-ms-client-request-id'];
  if (clientRequestId) headers['x-ms-client-request-id'] = clientRequestId;
  return headers;
}

/** Reads a header value case-insensitively from a SimRequest (names are stored lower case). */
export function header(req: SimRequest, name: string): string | undefined {
  return req.headers[name.toLowerCase()];
}

/** The key sent in `Ocp-Apim-Subscription-Key` or `api-key`, if any. */
export function subscriptionKey(req: SimRequest): string | undefined {
  return req.headers['ocp-apim-subscription-key'] ?? req.headers['api-key'];
}
