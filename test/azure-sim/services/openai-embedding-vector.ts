/**
 * Deterministic, meaning-bearing embeddings: a hashed bag of words plus character trigrams
 * (feature hashing with signs), L2-normalised. Texts that share words score a higher cosine
 * than texts that do not, which is all tests of retrieval need. Shortening to `dimensions`
 * keeps the leading components and renormalises, as text-embedding-3 models do.
 */

const WORD = /[\p{L}\p{N}]+/gu;
/** Scripts written without spaces: every character is a word, neighbours form bigrams. */
const UNSEGMENTED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const POSITIONS_PER_FEATURE = 16;
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.35;

function fnv1a(text: string, salt: number): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Features of a text with their raw weights (term frequency, dampened). */
export function textFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  };
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (UNSEGMENTED.test(word)) {
      const chars = [...word];
      chars.forEach((char, i) => {
        add(`w:${char}`, WORD_WEIGHT);
        const nextChar = chars[i + 1];
        if (nextChar !== undefined) add(`w:${char}${nextChar}`, WORD_WEIGHT);
      });
      continue;
    }
    add(`w:${word}`, WORD_WEIGHT);
    const padded = `^${word}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  if (counts.size === 0 && text.length > 0) add(`raw:${text}`, WORD_WEIGHT);
  for (const [feature, weight] of counts) counts.set(feature, Math.log1p(weight));
  return counts;
}

/** The full-size vector for `text` (`nativeDimensions` long), shortened to `dimensions`. */
export function embedText(text: string, nativeDimensions: number, dimensions: number): Float32Array {
  const full = new Float64Array(nativeDimensions);
  for (const [feature, weight] of textFeatures(text)) {
    for (let k = 0; k < POSITIONS_PER_FEATURE; k++) {
      const hash = fnv1a(feature, k * 0x9e3779b1);
      const sign = hash & 1 ? 1 : -1;
      const position = (hash >>> 1) % nativeDimensions;
      full[position] = (full[position] ?? 0) + sign * weight;
    }
  }
  const size = Math.min(dimensions, nativeDimensions);
  let norm = 0;
  for (let i = 0; i < size; i++) norm += (full[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  const vector = new Float32Array(size);
  if (norm === 0) {
    // Every feature fell outside the kept prefix: fall back to a fixed unit vector.
    vector[fnv1a(text, 7) % size] = 1;
    return vector;
  }
  for (let i = 0; i < size; i++) vector[i] = (full[i] ?? 0) / norm;
  return vector;
}

/** Little-endian float32 bytes, base64-encoded, as the service returns `encoding_format: base64`. */
export function vectorToBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4);
  return bytes.toString('base64');
}
