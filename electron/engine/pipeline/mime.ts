import path from 'node:path';

export const DOCX_MIME_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** How many leading bytes `detectMimeType` wants to see. */
export const MIME_SNIFF_BYTES = 4096;

export const TEXT_MIME_TYPES = [
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
  'text/html',
] as const;

export const IMAGE_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/tiff',
  'image/bmp',
  'image/gif',
  'image/webp',
] as const;

/** What the local backend can extract today (images need OCR, which comes later). */
export const LOCAL_SUPPORTED_MIME_TYPES: readonly string[] = [
  ...TEXT_MIME_TYPES,
  'application/pdf',
  DOCX_MIME_TYPE,
];

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.pdf': 'application/pdf',
  '.docx': DOCX_MIME_TYPE,
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

function startsWith(bytes: Buffer, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

function startsWithAscii(bytes: Buffer, text: string, offset = 0): boolean {
  return bytes.toString('latin1', offset, offset + text.length) === text;
}

/** Content signatures that identify a format regardless of the file's name. */
function sniffSignature(bytes: Buffer): string | 'zip' | null {
  // The PDF spec allows junk before the header; readers accept it within the first 1 KB.
  if (bytes.subarray(0, 1024).includes('%PDF-', 0, 'latin1')) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  if (startsWithAscii(bytes, 'GIF87a') || startsWithAscii(bytes, 'GIF89a')) return 'image/gif';
  if (startsWithAscii(bytes, 'RIFF') && startsWithAscii(bytes, 'WEBP', 8)) return 'image/webp';
  // "BM" alone is too weak (text can start with it): also require the reserved bytes to be zero.
  if (startsWithAscii(bytes, 'BM') && bytes.length >= 14 && bytes.readUInt32LE(6) === 0) return 'image/bmp';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return null;
}

/** True when the bytes look like UTF-16 text without a BOM (NULs in every other byte). */
export function looksLikeUtf16WithoutBom(bytes: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(bytes.length, MIME_SNIFF_BYTES) / 2);
  if (pairs < 2) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) evenNuls++;
    if (bytes[2 * i + 1] === 0) oddNuls++;
  }
  // Mostly-ASCII UTF-16 has a NUL in nearly every high byte and almost none in the low bytes.
  if (oddNuls >= pairs * 0.6 && evenNuls <= pairs * 0.05) return 'utf-16le';
  if (evenNuls >= pairs * 0.6 && oddNuls <= pairs * 0.05) return 'utf-16be';
  return null;
}

function hasTextBom(bytes: Buffer): boolean {
  return (
    startsWith(bytes, [0xef, 0xbb, 0xbf]) ||
    startsWith(bytes, [0xff, 0xfe]) ||
    startsWith(bytes, [0xfe, 0xff])
  );
}

/**
 * True when the bytes look like text in some encoding: a BOM, UTF-16 without a BOM, or no NUL
 * bytes and almost no control characters. Bytes >= 0x80 are fine (legacy encodings use them).
 */
export function looksLikeText(bytes: Buffer): boolean {
  if (bytes.length === 0) return true;
  if (hasTextBom(bytes) || looksLikeUtf16WithoutBom(bytes)) return true;
  const sample = bytes.subarray(0, MIME_SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return false;
    // Allowed controls: \t \n \v \f \r and ESC (ANSI colours in logs).
    if (byte < 0x20 && !(byte >= 0x09 && byte <= 0x0d) && byte !== 0x1b) control++;
  }
  return control <= sample.length * 0.01;
}

/**
 * MIME type of a file from its name and first bytes, or null when Quarry cannot read it.
 * Content signatures win over names (a PNG named .txt is a PNG), but a .pdf or .docx whose bytes
 * are wrong keeps its type so extraction can fail it as corrupt with a clear message. Text types
 * must actually look like text; a file with an unknown name that looks like text is text/plain.
 */
export function detectMimeType(filePath: string, firstBytes: Buffer): string | null {
  const byExtension = MIME_BY_EXTENSION[path.extname(filePath).toLowerCase()] ?? null;
  if (firstBytes.length === 0) return byExtension;

  const signature = sniffSignature(firstBytes);
  if (signature === 'zip') return byExtension === DOCX_MIME_TYPE ? DOCX_MIME_TYPE : null;
  if (signature) return signature;

  if (byExtension === 'application/pdf' || byExtension === DOCX_MIME_TYPE) return byExtension;
  if (byExtension?.startsWith('image/')) return byExtension;
  if (!looksLikeText(firstBytes)) return null;
  return byExtension ?? 'text/plain';
}
