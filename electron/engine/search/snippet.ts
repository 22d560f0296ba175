/**
 * Builds the short text shown under a search result: the window of a chunk that best matches the
 * query (the exact phrase if it is there, else the most distinct query terms), trimmed on word
 * boundaries, with the [start, end) ranges of every query-term occurrence inside it.
 * Matching is case- and accent-insensitive; Chinese/Japanese/Thai terms match as substrings.
 */
import { isUnspacedTerm, isWordChar, queryTermSequence } from './query-terms';
import { type FoldedText, foldWithOffsets } from './text-fold';

export interface Snippet {
  snippet: string;
  /** Sorted, non-overlapping [start, end) ranges within `snippet`. */
  highlights: [number, number][];
}

export interface SnippetOptions {
  /** Longest snippet in characters, not counting the ellipses; about 240 by default. */
  maxChars?: number;
}

const DEFAULT_MAX_CHARS = 240;
const ELLIPSIS = '…';
/** Hits considered per chunk: more only slows the window search on pathological text. */
const MAX_HITS = 2000;
/** How far a window edge may move to land on a word boundary. */
const BOUNDARY_SLACK = 24;

/** One occurrence of a query term, in original-content offsets. */
interface Hit {
  term: string;
  start: number;
  end: number;
}

interface Window {
  start: number;
  end: number;
}

export function buildSnippet(content: string, query: string, options: SnippetOptions = {}): Snippet {
  const maxChars = Math.max(16, options.maxChars ?? DEFAULT_MAX_CHARS);
  const sequence = queryTermSequence(query);
  const terms = [...new Set(sequence)];
  const folded = foldWithOffsets(content);
  const hits = findHits(content, folded, terms);
  const phrases = sequence.length > 1 ? findPhrases(content, hits, sequence) : [];
  const window = bestWindow(content, folded, hits, phrases, maxChars);
  return renderWindow(content, window, hits);
}

/**
 * Every occurrence of the query's terms in `content` as sorted, merged [start, end) ranges, with
 * the same matching as snippets (folded, whole words; CJK as substrings). For showing a whole
 * passage with its matches marked (previews).
 */
export function termRanges(content: string, query: string): [number, number][] {
  const terms = [...new Set(queryTermSequence(query))];
  if (terms.length === 0) return [];
  const hits = findHits(content, foldWithOffsets(content), terms);
  return mergeRanges(hits.map((hit): [number, number] => [hit.start, hit.end]));
}

function findHits(content: string, folded: FoldedText, terms: string[]): Hit[] {
  const hits: Hit[] = [];
  const text = folded.folded;
  for (const term of terms) {
    const substring = isUnspacedTerm(term);
    for (let at = text.indexOf(term); at !== -1 && hits.length < MAX_HITS; at = text.indexOf(term, at + 1)) {
      const start = folded.sourceStart[at]!;
      const end = folded.sourceEnd[at + term.length - 1]!;
      if (substring || isWholeWord(content, start, end)) hits.push({ term, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** True when the range is not part of a longer word ("fox" in "fox's", not in "foxes"). */
function isWholeWord(content: string, start: number, end: number): boolean {
  const before = start > 0 ? String.fromCodePoint(content.codePointAt(charStartBefore(content, start))!) : '';
  const after = end < content.length ? String.fromCodePoint(content.codePointAt(end)!) : '';
  return !(before && isWordChar(before)) && !(after && isWordChar(after));
}

function charStartBefore(content: string, index: number): number {
  const low = content.charCodeAt(index - 1);
  const isLowSurrogate = low >= 0xdc00 && low <= 0xdfff;
  return isLowSurrogate && index >= 2 ? index - 2 : index - 1;
}

/** Occurrences of the whole query as a phrase: its terms in order, separated by nothing but non-word characters. */
function findPhrases(content: string, hits: Hit[], sequence: string[]): Window[] {
  const phrases: Window[] = [];
  const byStart = new Map<number, Hit[]>();
  for (const hit of hits) {
    const list = byStart.get(hit.start);
    if (list) list.push(hit);
    else byStart.set(hit.start, [hit]);
  }
  for (const first of hits) {
    if (first.term !== sequence[0]) continue;
    let end = first.end;
    let matched = true;
    for (const term of sequence.slice(1)) {
      const next = nextWordStart(content, end);
      const hit = byStart.get(next)?.find((candidate) => candidate.term === term);
      if (!hit) {
        matched = false;
        break;
      }
      end = hit.end;
    }
    if (matched) phrases.push({ start: first.start, end });
  }
  return phrases;
}

function nextWordStart(content: string, from: number): number {
  let index = from;
  while (index < content.length) {
    const char = String.fromCodePoint(content.codePointAt(index)!);
    if (isWordChar(char)) break;
    index += char.length;
  }
  return index;
}

/** Anchors tried per chunk when choosing a window. */
const MAX_ANCHORS = 400;

/** The window with the exact phrase, else the most distinct terms, else the most hits; earliest on ties. */
function bestWindow(
  content: string,
  folded: FoldedText,
  hits: Hit[],
  phrases: Window[],
  maxChars: number,
): Window {
  const lead = Math.min(Math.floor(maxChars / 5), 60);
  const anchors: Window[] = [...phrases, ...hits].slice(0, MAX_ANCHORS);
  let best: Window = { start: 0, end: Math.min(content.length, maxChars) };
  let bestAnchor: Window = { start: 0, end: 0 };
  let bestScore = -1;
  for (const anchor of anchors) {
    const start = Math.max(0, Math.min(anchor.start - lead, content.length - maxChars));
    const window = { start, end: Math.min(content.length, start + maxChars) };
    const score = windowScore(window, hits, phrases);
    if (score > bestScore || (score === bestScore && window.start < best.start)) {
      best = window;
      bestAnchor = anchor;
      bestScore = score;
    }
  }
  return snapToBoundaries(content, folded, best, bestAnchor);
}

function windowScore(window: Window, hits: Hit[], phrases: Window[]): number {
  const inside = (range: Window) => range.start >= window.start && range.end <= window.end;
  const phraseBonus = phrases.some(inside) ? 1_000_000 : 0;
  const terms = new Set<string>();
  let hitsInside = 0;
  for (const hit of hits) {
    if (hit.start >= window.end) break;
    if (!inside(hit)) continue;
    terms.add(hit.term);
    hitsInside++;
  }
  return phraseBonus + terms.size * 1000 + Math.min(hitsInside, 999);
}

/**
 * Moves the edges onto whole graphemes and, in spaced scripts, off the middle of a word, never
 * past the anchor the window was chosen for.
 */
function snapToBoundaries(content: string, folded: FoldedText, window: Window, anchor: Window): Window {
  let { start, end } = window;
  if (start > 0 && insideWord(content, start)) {
    const space = findBoundary(content, start, Math.min(anchor.start, start + BOUNDARY_SLACK), 1);
    if (space !== -1) start = space;
  }
  if (end < content.length && insideWord(content, end)) {
    const space = findBoundary(content, end, Math.max(anchor.end, end - BOUNDARY_SLACK), -1);
    if (space !== -1) end = space;
  }
  return { start: snapToGrapheme(folded, start, 1), end: snapToGrapheme(folded, end, -1) };
}

function insideWord(content: string, index: number): boolean {
  return /\S/u.test(content[index - 1] ?? ' ') && /\S/u.test(content[index] ?? ' ');
}

/** Index of the first whitespace boundary from `from` toward `limit`, or -1. */
function findBoundary(content: string, from: number, limit: number, step: 1 | -1): number {
  for (let index = from; step > 0 ? index <= limit : index >= limit; index += step) {
    if (/\s/u.test(content[index] ?? '') || /\s/u.test(content[index - 1] ?? '')) return index;
  }
  return -1;
}

/** Nearest grapheme boundary at or after (1) / at or before (-1) `index`: a window never splits a grapheme. */
function snapToGrapheme(folded: FoldedText, index: number, direction: 1 | -1): number {
  const starts = folded.sourceStart;
  const textEnd = folded.sourceEnd[folded.sourceEnd.length - 1] ?? 0;
  if (index >= textEnd) return textEnd;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! < index) low = middle + 1;
    else high = middle;
  }
  const atOrAfter = starts[low] ?? textEnd;
  if (direction > 0 || atOrAfter === index) return atOrAfter;
  return low > 0 ? starts[low - 1]! : 0;
}

/** Cuts the window out, collapses whitespace, adds ellipses and maps the hits inside onto it. */
function renderWindow(content: string, window: Window, hits: Hit[]): Snippet {
  const outputIndex = new Map<number, number>();
  let text = '';
  let pendingSpace = false;
  for (let index = window.start; index < window.end; index++) {
    const unit = content[index]!;
    if (/\s/u.test(unit)) {
      pendingSpace = text.length > 0;
      outputIndex.set(index, text.length);
      continue;
    }
    if (pendingSpace) text += ' ';
    pendingSpace = false;
    outputIndex.set(index, text.length);
    text += unit;
  }
  const prefix = window.start > 0 && text.length > 0 ? ELLIPSIS : '';
  const suffix = window.end < content.length && text.length > 0 ? ELLIPSIS : '';
  const ranges: [number, number][] = [];
  for (const hit of hits) {
    if (hit.start < window.start || hit.end > window.end) continue;
    const start = outputIndex.get(hit.start);
    const last = outputIndex.get(hit.end - 1);
    if (start === undefined || last === undefined) continue;
    ranges.push([start + prefix.length, last + 1 + prefix.length]);
  }
  return { snippet: prefix + text + suffix, highlights: mergeRanges(ranges) };
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}
