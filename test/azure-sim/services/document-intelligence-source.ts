import { fetchLoopback } from '../content';
import type { SimRequest, SimResponse } from '../core/types';
import {
  contentNotAccessible,
  invalidArgument,
  invalidParameter,
  parameterMissing,
  unsupportedMediaType,
} from './document-intelligence-errors';

/** Raw-body content types the analyze operation accepts (from the v4 spec). */
const rawContentTypes = new Set([
  'application/octet-stream',
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/tiff',
  'image/bmp',
  'image/heif',
  'text/html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(value: string): Uint8Array | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !base64Pattern.test(compact)) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** A `urlSource` is fetched only from loopback (see content/loopback-fetch.ts). */
async function fetchUrlSource(urlSource: string, signal: AbortSignal): Promise<Uint8Array | SimResponse> {
  let url: URL;
  try {
    url = new URL(urlSource);
  } catch {
    return invalidArgument({
      code: 'InvalidContentSourceFormat',
      message: 'Invalid content source: urlSource is not a valid URL.',
    });
  }
  return (
    (await fetchLoopback(url, signal)) ??
    contentNotAccessible('Could not download the file from the given URL.')
  );
}

async function jsonSource(body: Buffer, signal: AbortSignal): Promise<Uint8Array | SimResponse> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return invalidParameter('analyzeRequest', 'The request body is not valid JSON.');
  }
  const request = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const { base64Source, urlSource } = request;
  if (typeof base64Source === 'string' && typeof urlSource === 'string') {
    return invalidParameter('analyzeRequest', 'Only one of urlSource or base64Source may be specified.');
  }
  if (typeof base64Source === 'string') {
    return (
      decodeBase64(base64Source) ??
      invalidArgument({
        code: 'InvalidContentSourceFormat',
        message: 'Invalid content source: base64Source is not valid base64.',
      })
    );
  }
  if (typeof urlSource === 'string') return fetchUrlSource(urlSource, signal);
  return parameterMissing('urlSource or base64Source');
}

/** The document bytes of an analyze request, or the error reply for an unusable body. */
export async function readAnalyzeSource(
  req: SimRequest,
  signal: AbortSignal,
): Promise<Uint8Array | SimResponse> {
  const contentType =
    (req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType === 'application/json') return jsonSource(req.body, signal);
  if (!rawContentTypes.has(contentType)) return unsupportedMediaType();
  return new Uint8Array(req.body);
}
