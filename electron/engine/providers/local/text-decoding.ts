import chardet from 'chardet';
import iconv from 'iconv-lite';
import { QuarryError } from '../../../contract';
import { looksLikeText, looksLikeUtf16WithoutBom } from '../../pipeline/mime';

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as (iconv-lite name). */
  encoding: string;
}

/** chardet looks at this much; more only costs time. */
const DETECTION_SAMPLE_BYTES = 64 * 1024;

/** Labels chardet uses that should be read as a superset the way browsers do (WHATWG Encoding). */
const SUPERSET_ENCODINGS: Readonly<Record<string, string>> = {
  'iso-8859-1': 'windows-1252',
  ascii: 'windows-1252',
  gb2312: 'gb18030',
  gbk: 'gb18030',
};

function decodeBom(bytes: Buffer): DecodedText | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.toString('utf8', 3), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  return null;
}

function decodeUtf8Strict(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function normaliseEncoding(name: string): string | null {
  const lower = name.toLowerCase();
  const encoding = SUPERSET_ENCODINGS[lower] ?? lower;
  return iconv.encodingExists(encoding) ? encoding : null;
}

/** Legacy-encoding candidates: a declared charset first (e.g. HTML meta), then chardet's guesses. */
function candidateEncodings(bytes: Buffer, declared: string | undefined): string[] {
  const guesses = chardet.analyse(bytes.subarray(0, DETECTION_SAMPLE_BYTES)).map((match) => match.name);
  const names = [...(declared ? [declared] : []), ...guesses, 'windows-1252'];
  const candidates: string[] = [];
  for (const name of names) {
    const encoding = normaliseEncoding(name);
    if (encoding && encoding !== 'utf-8' && encoding !== 'utf8' && !candidates.includes(encoding)) {
      candidates.push(encoding);
    }
  }
  return candidates;
}

/**
 * Decodes text bytes of any common encoding: a BOM (UTF-8, UTF-16LE/BE) decides; otherwise valid
 * UTF-8 is UTF-8; otherwise the declared charset or chardet's best guess that decodes cleanly
 * (GB18030, Shift_JIS, windows-1252, ...). Bytes that are not text are rejected as unsupported.
 */
export function decodeText(bytes: Buffer, options: { declaredEncoding?: string } = {}): DecodedText {
  const withBom = decodeBom(bytes);
  if (withBom) return withBom;
  const utf16 = looksLikeUtf16WithoutBom(bytes);
  if (utf16) return { text: iconv.decode(bytes, utf16), encoding: utf16 };
  if (!looksLikeText(bytes)) {
    throw new QuarryError('unsupported', 'File is not text (binary content)', { reason: 'unsupported_type' });
  }
  const utf8 = decodeUtf8Strict(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };

  const candidates = candidateEncodings(bytes, options.declaredEncoding);
  let fallback: DecodedText | null = null;
  for (const encoding of candidates) {
    const text = iconv.decode(bytes, encoding);
    // A wrong multi-byte guess leaves replacement characters behind; try the next guess.
    if (!text.includes('\uFFFD')) return { text, encoding };
    fallback ??= { text, encoding };
  }
  return fallback ?? { text: iconv.decode(bytes, 'windows-1252'), encoding: 'windows-1252' };
}
