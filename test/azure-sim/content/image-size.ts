import type { DocumentFormat } from './types';

export interface ImageSize {
  width: number;
  height: number;
}

const view = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function pngSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 24) return undefined;
  const data = view(bytes);
  return { width: data.getUint32(16), height: data.getUint32(20) };
}

/** Start-of-frame markers carry the dimensions; C4 (DHT), C8 and CC (DAC) share the range but do not. */
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegSize(bytes: Uint8Array): ImageSize | undefined {
  const data = view(bytes);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // standalone markers have no length
      continue;
    }
    const length = data.getUint16(offset + 2);
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) return undefined;
      return { height: data.getUint16(offset + 5), width: data.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}

function gifSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 10) return undefined;
  const data = view(bytes);
  return { width: data.getUint16(6, true), height: data.getUint16(8, true) };
}

function bmpSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 26) return undefined;
  const data = view(bytes);
  if (data.getUint32(14, true) === 12)
    return { width: data.getUint16(18, true), height: data.getUint16(20, true) };
  // A negative height marks a top-down bitmap.
  return { width: Math.abs(data.getInt32(18, true)), height: Math.abs(data.getInt32(22, true)) };
}

function webpSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 30) return undefined;
  const data = view(bytes);
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === 'VP8 ') {
    return { width: data.getUint16(26, true) & 0x3fff, height: data.getUint16(28, true) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = data.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const u24 = (at: number): number => data.getUint16(at, true) | ((bytes[at + 2] ?? 0) << 16);
    return { width: u24(24) + 1, height: u24(27) + 1 };
  }
  return undefined;
}

function tiffSize(bytes: Uint8Array): ImageSize | undefined {
  if (bytes.length < 8) return undefined;
  const data = view(bytes);
  const little = bytes[0] === 0x49;
  const ifd = data.getUint32(4, little);
  if (ifd + 2 > bytes.length) return undefined;
  const entries = data.getUint16(ifd, little);
  let width: number | undefined;
  let height: number | undefined;
  for (let index = 0; index < entries; index += 1) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > bytes.length) return undefined;
    const tag = data.getUint16(entry, little);
    const type = data.getUint16(entry + 2, little);
    const value = type === 3 ? data.getUint16(entry + 8, little) : data.getUint32(entry + 8, little);
    if (tag === 256) width = value;
    if (tag === 257) height = value;
  }
  return width !== undefined && height !== undefined ? { width, height } : undefined;
}

/** HEIF keeps the size in an `ispe` property box: 4 bytes version/flags, then width and height. */
function heifSize(bytes: Uint8Array): ImageSize | undefined {
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('ispe');
  if (at < 0 || at + 16 > bytes.length) return undefined;
  const data = view(bytes);
  return { width: data.getUint32(at + 8), height: data.getUint32(at + 12) };
}

const readers: Partial<Record<DocumentFormat, (bytes: Uint8Array) => ImageSize | undefined>> = {
  png: pngSize,
  jpeg: jpegSize,
  gif: gifSize,
  bmp: bmpSize,
  webp: webpSize,
  tiff: tiffSize,
  heif: heifSize,
};

/** Pixel dimensions from the image header, or undefined when the header is missing or cut short. */
export function readImageSize(bytes: Uint8Array, format: DocumentFormat): ImageSize | undefined {
  const size = readers[format]?.(bytes);
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}
