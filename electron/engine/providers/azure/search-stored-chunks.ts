/**
 * Reading stored chunks back from Azure AI Search (`SearchIndex.readChunks`): one filtered query
 * for a file's wanted chunk indexes. Answers read the whole text of the hits they cite, previews
 * the hit and its neighbours.
 */
import type { StoredChunk } from '../../types';
import { allOf, sourcePathEquals } from './search-odata';
import type { SearchDocument } from './search-schema';

/** Every stored field except the vector; fields the index lacks are left out of `select`. */
export const STORED_CHUNK_FIELDS = [
  'id',
  'content',
  'sourcePath',
  'sourceName',
  'contentHash',
  'page',
  'chunkIndex',
  'mimeType',
  'title',
  'modifiedAt',
  'regions',
  'pageSize',
  'caption',
  'tags',
] as const satisfies readonly (keyof SearchDocument)[];

export type StoredChunkField = (typeof STORED_CHUNK_FIELDS)[number];

/** Whole non-negative numbers only, once each (they go into a filter). */
export function wantedChunkIndexes(chunkIndexes: readonly number[]): number[] {
  return [...new Set(chunkIndexes)].filter((index) => Number.isInteger(index) && index >= 0);
}

/** `sourcePath eq '…' and (chunkIndex eq 1 or chunkIndex eq 2)`. */
export function storedChunksFilter(sourcePath: string, chunkIndexes: readonly number[]): string {
  const indexes = chunkIndexes.map((index) => `chunkIndex eq ${index}`).join(' or ');
  return allOf([sourcePathEquals(sourcePath), indexes]) ?? sourcePathEquals(sourcePath);
}

export function toStoredChunk(document: Partial<SearchDocument>): StoredChunk {
  const modifiedAt = document.modifiedAt ? Date.parse(document.modifiedAt) : Number.NaN;
  return {
    id: document.id ?? '',
    content: document.content ?? '',
    sourcePath: document.sourcePath ?? '',
    sourceName: document.sourceName ?? '',
    contentHash: document.contentHash ?? '',
    page: document.page ?? null,
    chunkIndex: document.chunkIndex ?? 0,
    mimeType: document.mimeType ?? 'application/octet-stream',
    title: document.title ?? null,
    modifiedAt: Number.isFinite(modifiedAt) ? modifiedAt : 0,
    regions: document.regions ?? null,
    pageSize: document.pageSize ?? null,
    caption: document.caption ?? null,
    tags: document.tags ?? null,
  };
}
