/**
 * Azure AI Search hits -> Quarry SearchResults. The snippet comes, in this order, from the semantic
 * caption's highlights, the service's hit highlights, the caption text, or — when the service
 * marked nothing (vector-only queries) — Quarry's own snippet builder over the chunk. Tags the
 * service puts around matches become [start, end) ranges in the plain snippet.
 */
import type { SearchResult } from '../../../contract';
import { buildSnippet, type Snippet } from '../../search/snippet';

/** Highlight tags Quarry asks for: private-use characters that never occur in real text. */
export const HIGHLIGHT_PRE_TAG = '\uE000';
export const HIGHLIGHT_POST_TAG = '\uE001';
/** Semantic captions always mark with <em> (no option to change it). */
const CAPTION_PRE_TAG = '<em>';
const CAPTION_POST_TAG = '</em>';
const FRAGMENT_SEPARATOR = ' … ';
/** Fragments shown at most (the service returns the best first). */
const MAX_FRAGMENTS = 2;

/** The fields a result needs from the stored document. */
export interface HitDocument {
  id: string;
  content?: string | null;
  sourcePath: string;
  sourceName: string;
  page?: number | null;
  chunkIndex?: number | null;
  mimeType?: string | null;
}

export interface Hit {
  document: HitDocument;
  score: number;
  rerankerScore?: number;
  /** Field name -> fragments with highlight tags. */
  highlights?: Record<string, string[] | undefined>;
  captions?: { text?: string; highlights?: string }[];
}

/**
 * Removes the tags from `tagged` and returns the plain text (whitespace collapsed) with the
 * ranges the tags enclosed. Unbalanced tags are tolerated: an open range ends with the text.
 */
export function taggedToSnippet(tagged: string, preTag: string, postTag: string): Snippet {
  let snippet = '';
  const highlights: [number, number][] = [];
  let openAt: number | undefined;
  let pendingSpace = false;
  let index = 0;
  while (index < tagged.length) {
    if (tagged.startsWith(preTag, index)) {
      if (pendingSpace && snippet.length > 0) snippet += ' ';
      pendingSpace = false;
      openAt ??= snippet.length;
      index += preTag.length;
      continue;
    }
    if (tagged.startsWith(postTag, index)) {
      if (openAt !== undefined && snippet.length > openAt) highlights.push([openAt, snippet.length]);
      openAt = undefined;
      index += postTag.length;
      continue;
    }
    const char = tagged[index]!;
    index += 1;
    if (/\s/u.test(char)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace && snippet.length > 0) snippet += ' ';
    pendingSpace = false;
    snippet += char;
  }
  if (openAt !== undefined && snippet.length > openAt) highlights.push([openAt, snippet.length]);
  return { snippet, highlights: mergeRanges(highlights) };
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const range of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function snippetOf(hit: Hit, queryText: string): Snippet {
  const caption = hit.captions?.[0];
  if (caption?.highlights?.includes(CAPTION_PRE_TAG)) {
    return taggedToSnippet(caption.highlights, CAPTION_PRE_TAG, CAPTION_POST_TAG);
  }
  const fragments = (hit.highlights?.content ?? []).slice(0, MAX_FRAGMENTS);
  if (fragments.length > 0) {
    return taggedToSnippet(fragments.join(FRAGMENT_SEPARATOR), HIGHLIGHT_PRE_TAG, HIGHLIGHT_POST_TAG);
  }
  if (caption?.text) return buildSnippet(caption.text, queryText);
  return buildSnippet(hit.document.content ?? '', queryText);
}

export function toSearchResult(hit: Hit, queryText: string, semantic: boolean): SearchResult {
  const { document } = hit;
  const { snippet, highlights } = snippetOf(hit, queryText);
  const page = typeof document.page === 'number' && document.page > 0 ? document.page : null;
  return {
    id: document.id,
    sourcePath: document.sourcePath,
    sourceName: document.sourceName,
    page,
    chunkIndex: Math.max(0, document.chunkIndex ?? 0),
    score: semantic ? (hit.rerankerScore ?? hit.score) : hit.score,
    snippet,
    highlights,
    mimeType: document.mimeType ?? 'application/octet-stream',
  };
}
