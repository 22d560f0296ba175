import { countTokens } from './token-count';

const LATIN_STOPS = new Set(['.', '!', '?', '…']);
/** CJK sentence punctuation (full-width); they end a sentence without a following space. */
const CJK_STOPS = new Set(['。', '！', '？', '；', '｡']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '」', '』', '）', '】', '》']);
const WHITESPACE = /\s/;

function isSpace(char: string | undefined): boolean {
  return char !== undefined && WHITESPACE.test(char);
}

/**
 * Splits text into sentences. Every piece keeps its trailing whitespace, so joining the pieces
 * gives back the text exactly. Ends: . ! ? … followed by whitespace, CJK 。！？； anywhere, and
 * line breaks (list items, log lines, CSV-like rows).
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    let end = -1;
    if (CJK_STOPS.has(char)) {
      end = i + 1;
      while (CLOSERS.has(text[end] ?? '')) end++;
    } else if (LATIN_STOPS.has(char)) {
      let next = i + 1;
      while (LATIN_STOPS.has(text[next] ?? '')) next++;
      while (CLOSERS.has(text[next] ?? '')) next++;
      if (next >= text.length || isSpace(text[next])) end = next;
      else i = next - 1;
    } else if (char === '\n') {
      end = i + 1;
    }
    if (end >= 0) {
      while (end < text.length && isSpace(text[end])) end++;
      sentences.push(text.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

/** Largest code-point count `k` in [0, hi] for which `fits(k)` holds (fits is monotonic). */
function largestFitting(hi: number, fits: (count: number) => boolean): number {
  let lo = 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whitespace near the end of a cut is a nicer place to cut; only looks at the last 30%. */
function backOffToSpace(codePoints: readonly string[], cut: number): number {
  for (let i = cut; i > cut * 0.7; i--) {
    if (isSpace(codePoints[i - 1])) return i;
  }
  return cut;
}

/**
 * Splits text with no usable sentence ends (e.g. unpunctuated CJK) into pieces of at most
 * `maxTokens`, cutting only between code points and preferring whitespace.
 */
export function splitByTokens(text: string, maxTokens: number): string[] {
  const codePoints = Array.from(text);
  const pieces: string[] = [];
  let start = 0;
  while (start < codePoints.length) {
    // No token is shorter than a code point in practice, but whitespace runs can be long.
    const hi = Math.min(codePoints.length - start, Math.max(maxTokens, 1) * 16);
    const fits = (count: number) => countTokens(codePoints.slice(start, start + count).join('')) <= maxTokens;
    let take = largestFitting(hi, fits);
    if (take === 0)
      take = 1; // a single code point always goes somewhere
    else if (start + take < codePoints.length)
      take = backOffToSpace(codePoints.slice(start, start + take), take);
    pieces.push(codePoints.slice(start, start + take).join(''));
    start += take;
  }
  return pieces;
}

/** The end of `text` holding at most `maxTokens`, starting at a code point (preferably after a space). */
export function tailByTokens(text: string, maxTokens: number): string {
  const codePoints = Array.from(text);
  const hi = Math.min(codePoints.length, Math.max(maxTokens, 1) * 16);
  const fits = (count: number) =>
    countTokens(codePoints.slice(codePoints.length - count).join('')) <= maxTokens;
  const take = largestFitting(hi, fits);
  let from = codePoints.length - take;
  for (let i = from; i < from + take * 0.3; i++) {
    if (isSpace(codePoints[i])) {
      from = i + 1;
      break;
    }
  }
  return codePoints.slice(from).join('');
}
