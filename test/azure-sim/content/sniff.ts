import type { DocumentFormat } from './types';

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  signature.every((byte, index) => bytes[at + index] === byte);

/** PDF readers accept the header anywhere in the first KiB (ISO 32000 leniency). */
const pdfHeaderOffset = (bytes: Uint8Array): number =>
  Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).indexOf('%PDF-');

function officeKind(bytes: Uint8Array): DocumentFormat {
  // Entry names sit uncompressed in a ZIP's local headers and central directory.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  if (text.includes('word/document.xml')) return 'docx';
  if (text.includes('xl/workbook.xml')) return 'xlsx';
  if (text.includes('ppt/presentation.xml')) return 'pptx';
  return 'unknown';
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

/** Identifies a document by its magic bytes, never by the declared content type. */
export function sniffFormat(bytes: Uint8Array): DocumentFormat {
  if (bytes.length < 4) return 'unknown';
  if (pdfHeaderOffset(bytes) >= 0) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 2) === 'BM') return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'tiff';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (
    ascii(bytes, 4, 4) === 'ftyp' &&
    ['heic', 'heix', 'mif1', 'msf1', 'hevc'].includes(ascii(bytes, 8, 4))
  ) {
    return 'heif';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeKind(bytes);
  if (looksLikeHtml(bytes)) return 'html';
  return 'unknown';
}

export const imageFormats: ReadonlySet<DocumentFormat> = new Set([
  'png',
  'jpeg',
  'gif',
  'bmp',
  'tiff',
  'webp',
  'heif',
]);
