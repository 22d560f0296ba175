/**
 * The sources an answer cites: every [n] (also [1, 3], [2-4], [1][2]) that names one of the
 * numbered sources in its prompt, in order of first mention. A number outside the list is a
 * model's invention and is dropped, never mapped to something that was not retrieved.
 */
import type { Citation } from '../../contract/model';
import type { RetrievedPassage } from './grounded-prompt';

const CITATION_GROUP = /\[(\s*\d+(?:\s*(?:[-–]|,|;)\s*\d+)*\s*)\]/gu;
/** A range like [1-40] from a confused model must not expand into thousands of numbers. */
const MAX_RANGE = 50;

/** The numbers [n] the text mentions, in order of first mention, without repeats. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>();
  for (const match of text.matchAll(CITATION_GROUP)) {
    for (const part of (match[1] ?? '').split(/[,;]/u)) {
      const range = /^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$/u.exec(part);
      if (!range) continue;
      const from = Number(range[1]);
      const to = range[2] === undefined ? from : Number(range[2]);
      if (to < from || to - from > MAX_RANGE) {
        seen.add(from);
        continue;
      }
      for (let n = from; n <= to; n++) seen.add(n);
    }
  }
  return [...seen];
}

export function citationsFor(answer: string, sources: readonly RetrievedPassage[]): Citation[] {
  return citedNumbers(answer)
    .filter((n) => Number.isInteger(n) && n >= 1 && n <= sources.length)
    .map((n) => {
      const { hit } = sources[n - 1] as RetrievedPassage;
      return {
        ref: n,
        chunkId: hit.id,
        sourcePath: hit.sourcePath,
        sourceName: hit.sourceName,
        page: hit.page,
        chunkIndex: hit.chunkIndex,
        snippet: hit.snippet,
        mimeType: hit.mimeType,
      };
    });
}
