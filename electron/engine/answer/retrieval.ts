/**
 * Retrieval for an answer: the search the person would get in the same mode (with its fallbacks),
 * then each hit's whole chunk from the index, since a snippet is too little to answer from.
 */
import type { SearchMode } from '../../contract/model';
import type { Backend } from '../backend';
import { runSearch } from '../search/search-service';
import type { RetrievedPassage } from './grounded-prompt';

export interface Retrieval {
  /** Best first. */
  passages: RetrievedPassage[];
  /** Why another mode was used than asked, as `search` says it. */
  notice: string | null;
}

export async function retrievePassages(
  backend: Backend,
  query: { question: string; mode: SearchMode; top: number },
  options: { abortSignal?: AbortSignal } = {},
): Promise<Retrieval> {
  const search = await runSearch(
    backend,
    { query: query.question, mode: query.mode, top: query.top },
    options,
  );
  const texts = await chunkTexts(backend, search.results, options);
  return {
    passages: search.results.map((hit) => ({
      hit,
      text: texts.get(chunkKey(hit.sourcePath, hit.chunkIndex)) ?? hit.snippet,
    })),
    notice: search.notice,
  };
}

/** Full chunk texts by `path#chunkIndex`, one read per file; empty when the index cannot read chunks. */
async function chunkTexts(
  backend: Backend,
  hits: readonly { sourcePath: string; chunkIndex: number }[],
  options: { abortSignal?: AbortSignal },
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const readChunks = backend.index.readChunks?.bind(backend.index);
  if (!readChunks) return texts;
  const byPath = new Map<string, number[]>();
  for (const hit of hits) byPath.set(hit.sourcePath, [...(byPath.get(hit.sourcePath) ?? []), hit.chunkIndex]);
  await Promise.all(
    [...byPath].map(async ([sourcePath, indexes]) => {
      for (const chunk of await readChunks(sourcePath, indexes, options)) {
        texts.set(chunkKey(chunk.sourcePath, chunk.chunkIndex), chunk.content);
      }
    }),
  );
  return texts;
}

function chunkKey(sourcePath: string, chunkIndex: number): string {
  return `${chunkIndex}#${sourcePath}`;
}
