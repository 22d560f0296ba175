import { insertJpegComments, readJpegComments } from './jpeg-comments';
import { insertPngTextChunk, readPngTextChunks } from './png-chunks';
import { sniffFormat } from './sniff';
import type { DocumentFormat } from './types';

/**
 * The text convention (see README.md): an image that carries its own text under this key is read
 * without OCR. PNG: a tEXt/zTXt/iTXt chunk with this keyword. JPEG: COM segments whose payload
 * starts with this key and a NUL byte, followed by UTF-8 text (split over several segments when long).
 */
export const SIM_TEXT_KEY = 'quarry-sim-text';

const jpegPrefix = Buffer.from(`${SIM_TEXT_KEY}\0`, 'latin1');
const jpegChunkBytes = 60_000;

/** The text an image declares under the convention, or undefined when it has none. */
export function readSimText(
  bytes: Uint8Array,
  format: DocumentFormat = sniffFormat(bytes),
): string | undefined {
  if (format === 'png') return readPngTextChunks(bytes).get(SIM_TEXT_KEY);
  if (format !== 'jpeg') return undefined;
  const parts = readJpegComments(bytes)
    .filter((payload) => payload.subarray(0, jpegPrefix.length).equals(jpegPrefix))
    .map((payload) => payload.subarray(jpegPrefix.length));
  return parts.length > 0 ? Buffer.concat(parts).toString('utf8') : undefined;
}

/** Returns a copy of a PNG or JPEG that carries `text` under the convention; lines are separated by '\n'. */
export function embedSimText(bytes: Uint8Array, text: string): Uint8Array {
  const format = sniffFormat(bytes);
  if (format === 'png') return insertPngTextChunk(bytes, SIM_TEXT_KEY, text);
  if (format !== 'jpeg') throw new TypeError(`embedSimText needs a PNG or JPEG, got ${format}`);
  const utf8 = Buffer.from(text, 'utf8');
  const payloads: Buffer[] = [];
  for (let start = 0; start < utf8.length || payloads.length === 0; start += jpegChunkBytes) {
    payloads.push(Buffer.concat([jpegPrefix, utf8.subarray(start, start + jpegChunkBytes)]));
  }
  return insertJpegComments(bytes, payloads);
}
