/**
 * Multi-page TIFF support for OCR. Leptonica (inside tesseract.js) reads only a TIFF's first page,
 * so each further page is handed over as a copy of the file whose header points at that page's
 * directory: TIFF offsets are absolute, so nothing else has to move.
 */

const CLASSIC_TIFF = 42;
const ENTRY_BYTES = 12;
/** Stops a malicious directory loop or an absurd page count. */
const MAX_PAGES = 10_000;

interface TiffReader {
  u16(offset: number): number;
  u32(offset: number): number;
  setU32(bytes: Uint8Array, offset: number, value: number): void;
}

function readerFor(bytes: Uint8Array): TiffReader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const order = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
  if (order !== 'II' && order !== 'MM') return null;
  const little = order === 'II';
  return {
    u16: (offset) => view.getUint16(offset, little),
    u32: (offset) => view.getUint32(offset, little),
    setU32: (target, offset, value) =>
      new DataView(target.buffer, target.byteOffset, target.byteLength).setUint32(offset, value, little),
  };
}

/** Offsets of every image directory (page), in order; empty when this is no classic TIFF. */
export function tiffPageOffsets(bytes: Uint8Array): number[] {
  if (bytes.byteLength < 8) return [];
  const reader = readerFor(bytes);
  if (!reader || reader.u16(2) !== CLASSIC_TIFF) return []; // BigTIFF (43) and others: left to Leptonica
  const offsets: number[] = [];
  const seen = new Set<number>();
  let offset = reader.u32(4);
  while (offset !== 0 && offsets.length < MAX_PAGES && !seen.has(offset)) {
    if (offset + 2 > bytes.byteLength) break;
    const entries = reader.u16(offset);
    if (entries === 0) break; // a directory without tags describes no image
    const next = offset + 2 + entries * ENTRY_BYTES;
    if (next + 4 > bytes.byteLength) break;
    seen.add(offset);
    offsets.push(offset);
    offset = reader.u32(next);
  }
  return offsets;
}

/** The image of page `index` (0-based): the file itself for the first page, a header-patched copy after. */
export function tiffPage(bytes: Uint8Array, offsets: readonly number[], index: number): Uint8Array {
  const offset = offsets[index];
  const reader = readerFor(bytes);
  if (index === 0 || offset === undefined || !reader) return bytes;
  const copy = new Uint8Array(bytes);
  reader.setU32(copy, 4, offset);
  return copy;
}
