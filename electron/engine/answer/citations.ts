/**
 * The sources an answer cites: every [n] (also [1, 3], [2-4], [1][2]) that names one of the
 * numbered sources in its prompt, in order of first mention. A number outside the list is a
 * model's invention and is dropped, never mapped to something that was not retrieved. Each
 * citation's snippet is the part of its chunk that best matches the claim it backs.
 */
import type { Citation } from '../../contract/model';
import { buildSnippet } from '../search/snippet';
import type { RetrievedPassage } from './grounded-prompt';

const CITATION_GROUP = /\[(\s*\d+(?:\s*(?:[-–]|,|;)\s*\d+)*\s*)\]/gu;
/** A range like [1-40] from a confused model must not expand into thousands of numbers. */
const MAX_RANGE = 50;
/** Longest claim used to place a snippet. */
const MAX_CLAIM_CHARS = 400;

interface Mention {
  n: number;
  /** Where the first [..] naming it starts in the answer. */
  at: number;
}

function mentions(text: string): Mention[] {
  const seen = new Map<number, number>();
  for (const match of text.matchAll(CITATION_GROUP)) {
    for (const part of (match[1] ?? '').split(/[,;]/u)) {
      const range = /^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$/u.exec(part);
      if (!range) continue;
      const from = Number(range[1]);
      const to = range[2] === undefined || Number(range[2]) < from ? from : Number(range[2]);
      for (let n = from; n <= (to - from > MAX_RANGE ? from : to); n++) {
        if (!seen.has(n)) seen.set(n, match.index);
      }
    }
  }
  return [...seen].map(([n, at]) => ({ n, at }));
}

/** The numbers [n] the text mentions, in order of first mention, without repeats. */
export function citedNumbers(text: string): number[] {
  return mentions(text).map((mention) => mention.n);
}

export function citationsFor(answer: string, sources: readonly RetrievedPassage[]): Citation[] {
  return mentions(answer)
    .filter(({ n }) => Number.isInteger(n) && n >= 1 && n <= sources.length)
    .map(({ n, at }) => {
      const { hit, text } = sources[n - 1] as RetrievedPassage;
      return {
        ref: n,
        chunkId: hit.id,
        sourcePath: hit.sourcePath,
        sourceName: hit.sourceName,
        page: hit.page,
        chunkIndex: hit.chunkIndex,
        snippet: snippetFor(text, claimBefore(answer, at)) ?? hit.snippet,
        mimeType: hit.mimeType,
      };
    });
}

/** The sentence a citation mark closes: the answer's text before the mark, back to the previous sentence end. */
export function claimBefore(answer: string, at: number): string {
  const before = answer.slice(0, at).replace(CITATION_GROUP, ' ').trimEnd();
  const body = before.replace(/[.!?。！？]+$/u, '');
  const sentences = body.split(/(?<=[.!?。！？])\s+/u);
  return (sentences.at(-1) ?? '').trim().slice(-MAX_CLAIM_CHARS);
}

/** The window of the chunk that matches the claim, or null when they share no words. */
function snippetFor(chunkText: string, claim: string): string | null {
  if (!claim || !chunkText) return null;
  const { snippet, highlights } = buildSnippet(chunkText, claim);
  return highlights.length > 0 ? snippet : null;
}
