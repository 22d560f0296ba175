import { fetchLoopback } from '../content';
import type { SimRequest, SimResponse } from '../core/types';
import { unsupportedMediaType, urlNotAccessible } from './vision-errors';

/** The image bytes: a raw body, or the `{"url": …}` JSON body fetched (loopback only). */
export async function readVisionImage(
  req: SimRequest,
  signal: AbortSignal,
): Promise<Uint8Array | SimResponse> {
  const contentType = (req.headers['content-type'] ?? 'application/octet-stream')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (contentType === 'application/octet-stream') return new Uint8Array(req.body);
  if (contentType !== 'application/json') return unsupportedMediaType();
  let url: URL;
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    const value =
      typeof parsed === 'object' && parsed !== null ? (parsed as { url?: unknown }).url : undefined;
    url = new URL(typeof value === 'string' ? value : '');
  } catch {
    return urlNotAccessible();
  }
  return (await fetchLoopback(url, signal)) ?? urlNotAccessible();
}
