import { countTokens, decodeTokens, encodeTokens } from './token-count';

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

/** Whitespace near the end of a cut is a nicer place to cut; only looks at the last 30%. */
function backOffToSpace(codePoints: readonly string[], cut: number): number {
  for (let i = cut; i > cut * 0.7; i--) {
    if (isSpace(codePoints[i - 1])) return i;
  }
  return cut;
}

/**
 * How many leading code points of `codePoints` fit in `maxTokens`. Encodes a window once, keeps
 * its first `maxTokens` tokens and decodes them: that is a byte prefix of the text, so a trailing
 * partial character (decoded as U+FFFD) is dropped and the cut lands between characters.
 */
function fittingPrefixLength(codePoints: readonly string[], maxTokens: number): number {
  let window = Math.min(codePoints.length, maxTokens * 4);
  let windowText = codePoints.slice(0, window).join('');
  let tokens = encodeTokens(windowText);
  while (tokens.length <= maxTokens && window < codePoints.length) {
    window = Math.min(codePoints.length, window * 2);
    windowText = codePoints.slice(0, window).join('');
    tokens = encodeTokens(windowText);
  }
  if (tokens.length <= maxTokens) return codePoints.length;
  const prefix = decodeTokens(tokens.slice(0, maxTokens)).replace(/\uFFFD+$/, '');
  let length = windowText.startsWith(prefix) ? Array.from(prefix).length : 0;
  // Re-tokenised on its own, a prefix can differ slightly; trim until it really fits.
  while (length > 0 && countTokens(codePoints.slice(0, length).join('')) > maxTokens) length--;
  return Math.max(1, length);
}

/**
 * Splits text with no usable sentence ends (e.g. unpunctuated CJK) into pieces of at most
 * `maxTokens`, cutting only between code points and preferring whitespace.
 */
export function splitByTokens(text: string, maxTokens: number): string[] {
  let codePoints = Array.from(text);
  const pieces: string[] = [];
  const limit = Math.max(1, maxTokens);
  while (codePoints.length > 0) {
    let take = fittingPrefixLength(codePoints, limit);
    if (take < codePoints.length) take = backOffToSpace(codePoints, take);
    pieces.push(codePoints.slice(0, take).join(''));
    codePoints = codePoints.slice(take);
  }
  return pieces;
}

/** The end of `text` holding at most `maxTokens`, starting at a code point (preferably after a space). */
export function tailByTokens(text: string, maxTokens: number): string {
  const codePoints = Array.from(text);
  const window = codePoints.slice(Math.max(0, codePoints.length - Math.max(1, maxTokens) * 4)).join('');
  const tokens = encodeTokens(window);
  let tail =
    tokens.length <= maxTokens
      ? window
      : decodeTokens(tokens.slice(tokens.length - maxTokens)).replace(/^\uFFFD+/, '');
  if (!window.endsWith(tail)) tail = '';
  while (tail && countTokens(tail) > maxTokens) tail = Array.from(tail).slice(1).join('');
  const tailPoints = Array.from(tail);
  // Prefer to start after a space within the first 30% so the overlap does not begin mid-word.
  for (let i = 0; i < tailPoints.length * 0.3; i++) {
    if (isSpace(tailPoints[i])) return tailPoints.slice(i + 1).join('');
  }
  return tail;
}
