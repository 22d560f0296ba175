/**
 * An IndexQuery as an Azure AI Search request:
 *   keyword  — `search` text (simple syntax, or full Lucene when asked), hit highlights on content;
 *   vector   — one vector query (k = top) on the embedding field, no text;
 *   hybrid   — both in one request (the service fuses them with RRF);
 *   semantic — the semantic ranker over the text results (plus the vector query when there is a
 *              vector), with extractive captions and their highlights.
 * Filters: MIME types (`search.in`), folder (the `folders` collection), modification dates.
 */
import type { SearchOptions } from '@azure/search-documents';
import { QuarryError } from '../../../contract';
import type { IndexQuery } from '../../types';
import { allOf, fieldIn, inFolder, modifiedBetween } from './search-odata';
import { HIGHLIGHT_POST_TAG, HIGHLIGHT_PRE_TAG } from './search-results';
import { type IndexShape, type SearchDocument, VECTOR_FIELD } from './search-schema';

/** Nearest neighbours asked of the vector query in hybrid mode: a deeper list fuses better. */
const HYBRID_MIN_K = 50;
const MAX_TOP = 1000;

export const RESULT_FIELDS = [
  'id',
  'content',
  'sourcePath',
  'sourceName',
  'page',
  'chunkIndex',
  'mimeType',
] as const;
type ResultField = (typeof RESULT_FIELDS)[number];

export interface SearchRequest {
  /** Undefined for vector-only queries. */
  searchText: string | undefined;
  options: SearchOptions<SearchDocument, ResultField>;
  semantic: boolean;
}

function requireField(shape: IndexShape, field: string, what: string): void {
  if (!shape.fields.has(field)) {
    throw new QuarryError(
      'unsupported',
      `This Azure AI Search index has no "${field}" field, so it cannot filter by ${what} (it was not created by Quarry).`,
      { reason: 'filter_unavailable' },
    );
  }
}

function filterOf(query: IndexQuery, shape: IndexShape): string | undefined {
  const { mimeTypes, folder, modifiedAfter, modifiedBefore } = query.filters ?? {};
  if (folder) requireField(shape, 'folders', 'folder');
  if (modifiedAfter !== undefined || modifiedBefore !== undefined) requireField(shape, 'modifiedAt', 'date');
  return allOf([
    mimeTypes && mimeTypes.length > 0 ? fieldIn('mimeType', mimeTypes) : undefined,
    folder ? inFolder(folder) : undefined,
    modifiedBetween(modifiedAfter, modifiedBefore),
  ]);
}

function vectorQueries(
  vector: number[],
  k: number,
): NonNullable<SearchOptions<SearchDocument>['vectorSearchOptions']> {
  return { queries: [{ kind: 'vector', vector, kNearestNeighborsCount: k, fields: [VECTOR_FIELD] }] };
}

function requireVector(query: IndexQuery, shape: IndexShape): number[] {
  if (!query.vector) {
    throw new QuarryError('invalid_input', 'Vector search needs the query embedded first', {
      reason: 'missing_vector',
    });
  }
  if (query.vector.length !== shape.dimensions) {
    throw new QuarryError(
      'invalid_input',
      `The query vector has ${query.vector.length} dimensions; the index expects ${shape.dimensions}`,
      { reason: 'dimension_mismatch' },
    );
  }
  return query.vector;
}

export function buildSearchRequest(query: IndexQuery, shape: IndexShape): SearchRequest {
  const top = Math.max(1, Math.min(MAX_TOP, query.top));
  const filter = filterOf(query, shape);
  const common = {
    top,
    select: [...RESULT_FIELDS],
    ...(filter ? { filter } : {}),
  };
  const highlighting = {
    highlightFields: 'content',
    highlightPreTag: HIGHLIGHT_PRE_TAG,
    highlightPostTag: HIGHLIGHT_POST_TAG,
  };
  const text = query.text.trim() || '*';
  switch (query.mode) {
    case 'keyword':
      return {
        searchText: text,
        options: { ...common, ...highlighting, queryType: query.syntax ?? 'simple', searchMode: 'any' },
        semantic: false,
      };
    case 'vector':
      return {
        searchText: undefined,
        options: { ...common, vectorSearchOptions: vectorQueries(requireVector(query, shape), top) },
        semantic: false,
      };
    case 'hybrid': {
      const options = {
        ...common,
        ...highlighting,
        queryType: query.syntax ?? 'simple',
        searchMode: 'any',
      } as const;
      if (!query.vector) return { searchText: text, options, semantic: false };
      const k = Math.max(top, HYBRID_MIN_K);
      return {
        searchText: text,
        options: { ...options, vectorSearchOptions: vectorQueries(requireVector(query, shape), k) },
        semantic: false,
      };
    }
    case 'semantic': {
      if (!shape.semanticConfiguration) {
        throw new QuarryError('unsupported', 'This Azure AI Search index has no semantic configuration', {
          reason: 'semantic_unavailable',
        });
      }
      const vector = query.vector ? requireVector(query, shape) : undefined;
      return {
        searchText: text,
        options: {
          ...common,
          ...highlighting,
          queryType: 'semantic',
          semanticSearchOptions: {
            configurationName: shape.semanticConfiguration,
            captions: { captionType: 'extractive', highlight: true },
            errorMode: 'partial',
          },
          ...(vector ? { vectorSearchOptions: vectorQueries(vector, Math.max(top, HYBRID_MIN_K)) } : {}),
        },
        semantic: true,
      };
    }
  }
}
