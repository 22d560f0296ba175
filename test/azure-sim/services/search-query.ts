/** POST docs/search.post.search: text, vector, hybrid and semantic queries over one index. */
import type { SimResponse } from '../core/types';
import { embedText } from './openai-embedding-vector';
import { invalidRequest, searchError } from './search-errors';
import { compileFilter, FilterError, type FilterPredicate } from './search-filter';
import { DEFAULT_TAGS, highlightField, type Tags } from './search-highlight';
import type { CompiledIndex, FieldInfo } from './search-index-schema';
import type { StoredDocument } from './search-index-store';
import { fieldText } from './search-index-store';
import { csv, projectDocument, selectedFields, unknownFields } from './search-projection';
import { bm25, knn, reciprocalRankFusion, type Scored } from './search-ranking';
import {
  extractAnswers,
  parseSemanticOption,
  type RerankedResult,
  rerank,
  type SemanticOptions,
} from './search-semantic';
import { parseSimpleQuery, queryTerms, tokenize, usesEnglishStemming } from './search-text';

export const QUERY_LIMITS = { defaultTop: 50, maxPageSize: 1000 } as const;

/** Native sizes of the embedding models a vectorizer may name (for `kind: text` queries). */
const MODEL_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

type Body = Record<string, unknown>;

const param = (message: string, name: string): SimResponse =>
  searchError(400, `${message}\r\nParameter name: ${name}`);

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

interface VectorList {
  readonly results: Scored[];
  readonly weight: number;
}

function searchableFields(index: CompiledIndex, names: string[] | undefined): FieldInfo[] {
  const fields = [...index.fields.values()].filter((f) => f.searchable);
  return names ? fields.filter((f) => names.includes(f.name)) : fields;
}

/** Text matcher for `search.ismatch` inside filters. */
function textMatcher(index: CompiledIndex) {
  return (
    values: Readonly<Record<string, unknown>>,
    query: string,
    fields: string[] | undefined,
  ): boolean => {
    const parsed = parseSimpleQuery(query, 'any', false);
    if (!parsed) return true;
    const wanted = new Set(queryTerms(parsed));
    return searchableFields(index, fields).some((field) =>
      tokenize(fieldText(values[field.name]), usesEnglishStemming(field.analyzer)).some((t) =>
        wanted.has(t.term),
      ),
    );
  };
}

function vectorLists(
  index: CompiledIndex,
  body: Body,
  docs: readonly StoredDocument[],
  defaultK: number,
): VectorList[] | SimResponse {
  const queries = body.vectorQueries;
  if (queries === undefined || queries === null) return [];
  if (!Array.isArray(queries))
    return param("The 'vectorQueries' property must be an array.", 'vectorQueries');
  const lists: VectorList[] = [];
  for (const raw of queries) {
    const query = (raw ?? {}) as Body;
    const names = csv(query.fields);
    if (!names) return param("The vector query's 'fields' property is required.", 'vectorQueries');
    const k = numberOr(query.k, defaultK);
    for (const name of names) {
      const field = index.fields.get(name);
      if (!field?.vector) {
        return param(`The field '${name}' in the vector query is not a vector field.`, 'vectorQueries');
      }
      let vector: number[];
      if (query.kind === 'text') {
        const vectorizer = field.vector.vectorizer;
        if (!vectorizer) {
          return param(
            `The field '${name}' has no vectorizer configured in its vector search profile, so text vector queries cannot be used.`,
            'vectorQueries',
          );
        }
        const native = MODEL_DIMENSIONS[vectorizer.modelName ?? ''] ?? field.vector.dimensions;
        vector = Array.from(embedText(String(query.text ?? ''), native, field.vector.dimensions));
      } else {
        if (!Array.isArray(query.vector))
          return param("The vector query's 'vector' property is required.", 'vectorQueries');
        vector = query.vector as number[];
        if (vector.length !== field.vector.dimensions) {
          return param(
            `The vector query's 'vector' property has ${vector.length} dimensions but the field '${name}' expects ${field.vector.dimensions}.`,
            'vectorQueries',
          );
        }
      }
      lists.push({ results: knn(docs, field, vector, k), weight: numberOr(query.weight, 1) });
    }
  }
  return lists;
}

function semanticOptions(index: CompiledIndex, body: Body): SemanticOptions | SimResponse | undefined {
  if (body.queryType !== 'semantic') return undefined;
  const name =
    typeof body.semanticConfiguration === 'string' ? body.semanticConfiguration : index.defaultSemanticConfig;
  if (!name) {
    return param(
      "The 'semanticConfiguration' parameter is required when 'queryType' is 'semantic' and the index has no default semantic configuration.",
      'semanticConfiguration',
    );
  }
  const config = index.semanticConfigs.find((c) => c.name === name);
  if (!config) return param(`Unknown semantic configuration '${name}'.`, 'semanticConfiguration');
  const captions = parseSemanticOption(body.captions);
  const answers = parseSemanticOption(body.answers);
  return {
    config,
    queryText: String(body.semanticQuery ?? body.search ?? ''),
    captions: captions ? { highlight: captions.get('highlight') !== 'false' } : undefined,
    answers: answers
      ? { count: Number(answers.get('count') ?? 1), threshold: Number(answers.get('threshold') ?? 0.7) }
      : undefined,
  };
}

function orderBy(results: Scored[], orderby: unknown): Scored[] | SimResponse {
  const clauses = csv(orderby);
  if (!clauses) return results;
  const keys = clauses.map((clause) => {
    const [field = '', direction = 'asc'] = clause.split(/\s+/);
    return { field, descending: direction.toLowerCase() === 'desc' };
  });
  const value = (r: Scored, field: string): unknown =>
    field === 'search.score()' ? r.score : r.doc.values[field];
  return [...results].sort((a, b) => {
    for (const { field, descending } of keys) {
      const x = value(a, field);
      const y = value(b, field);
      if (x === y) continue;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const order = (x as number | string) < (y as number | string) ? -1 : 1;
      return descending ? -order : order;
    }
    return 0;
  });
}

function facets(
  results: readonly Scored[],
  specs: unknown,
): Record<string, { count: number; value: unknown }[]> | undefined {
  if (!Array.isArray(specs) || specs.length === 0) return undefined;
  const out: Record<string, { count: number; value: unknown }[]> = {};
  for (const spec of specs) {
    const [field = '', ...options] = String(spec).split(',');
    const countOption = options.find((o) => o.startsWith('count:'));
    const limit = countOption ? Number(countOption.slice('count:'.length)) : 10;
    const counts = new Map<unknown, number>();
    for (const r of results) {
      const raw = r.doc.values[field];
      for (const v of Array.isArray(raw) ? raw : [raw])
        if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    out[field] = [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([value, count]) => ({ count, value }));
  }
  return out;
}

/** Runs one search request against the visible documents of an index. */
export function runSearch(index: CompiledIndex, allDocs: readonly StoredDocument[], body: Body): SimResponse {
  let filter: FilterPredicate | undefined;
  if (typeof body.filter === 'string' && body.filter.trim() !== '') {
    try {
      filter = compileFilter(body.filter, index.fields, textMatcher(index));
    } catch (error) {
      if (error instanceof FilterError) return param(error.message, '$filter');
      throw error;
    }
  }
  const select = csv(body.select);
  const badSelect = select ? unknownFields(index, select) : [];
  if (badSelect.length > 0) {
    return param(
      `Invalid expression: Could not find a property named '${badSelect[0]}' on type 'search.document'.`,
      '$select',
    );
  }
  const searchFieldNames = csv(body.searchFields);
  const badSearchField = searchFieldNames?.find((n) => !index.fields.get(n)?.searchable);
  if (badSearchField) {
    return invalidRequest(
      `searchFields : The field '${badSearchField}' is not searchable or does not exist.`,
    );
  }
  const top = numberOr(body.top, QUERY_LIMITS.defaultTop);
  const skip = numberOr(body.skip, 0);
  if (top < 0 || skip < 0) return invalidRequest('top/skip : Values must not be negative.');

  const filtered = filter ? allDocs.filter((d) => filter(d.values)) : [...allDocs];
  const postFilter = body.vectorFilterMode === 'postFilter';
  const vectorDocs = postFilter ? allDocs : filtered;
  const vectors = vectorLists(index, body, vectorDocs, top + skip || QUERY_LIMITS.defaultTop);
  if (!Array.isArray(vectors)) return vectors;
  const vectorResults =
    postFilter && filter
      ? vectors.map((l) => ({ ...l, results: l.results.filter((r) => filter(r.doc.values)) }))
      : vectors;

  const stem = searchableFields(index, searchFieldNames).some((f) => usesEnglishStemming(f.analyzer));
  const text = parseSimpleQuery(String(body.search ?? ''), body.searchMode === 'all' ? 'all' : 'any', stem);
  const textResults = text ? bm25(filtered, searchableFields(index, searchFieldNames), text) : undefined;

  let results: Scored[];
  if (vectorResults.length === 0) results = textResults ?? filtered.map((doc) => ({ doc, score: 1 }));
  else if (!textResults && vectorResults.length === 1) results = vectorResults[0]?.results ?? [];
  else
    results = reciprocalRankFusion([
      ...(textResults ? [{ results: textResults, weight: 1 }] : []),
      ...vectorResults,
    ]);

  const semantic = semanticOptions(index, body);
  if (semantic && 'status' in semantic) return semantic;
  let reranked: RerankedResult[] | undefined;
  if (semantic) reranked = rerank(results, semantic);
  const ordered = orderBy(reranked ?? results, body.orderby);
  if (!Array.isArray(ordered)) return ordered;

  const pageSize = Math.min(top, QUERY_LIMITS.maxPageSize);
  const page = ordered.slice(skip, skip + pageSize);
  const fields = selectedFields(index, select);
  const highlightNames = csv(body.highlight)?.map((h) => h.split('-')[0] ?? h);
  const tags: Tags = {
    pre: typeof body.highlightPreTag === 'string' ? body.highlightPreTag : DEFAULT_TAGS.pre,
    post: typeof body.highlightPostTag === 'string' ? body.highlightPostTag : DEFAULT_TAGS.post,
  };
  const terms = new Set(text ? queryTerms(text) : []);

  const value = page.map((result) => {
    const item: Record<string, unknown> = { '@search.score': result.score };
    const r = result as Partial<RerankedResult>;
    if (r.rerankerScore !== undefined) item['@search.rerankerScore'] = r.rerankerScore;
    if (r.captions) item['@search.captions'] = r.captions;
    if (highlightNames && terms.size > 0) {
      const highlights: Record<string, string[]> = {};
      for (const name of highlightNames) {
        const field = index.fields.get(name);
        const fragments = highlightField(
          result.doc.values[name],
          terms,
          usesEnglishStemming(field?.analyzer),
          tags,
        );
        if (fragments) highlights[name] = fragments;
      }
      if (Object.keys(highlights).length > 0) item['@search.highlights'] = highlights;
    }
    return { ...item, ...projectDocument(result.doc.values, fields) };
  });

  const response: Record<string, unknown> = {};
  if (body.count === true) response['@odata.count'] = ordered.length;
  const facetResults = facets(ordered, body.facets);
  if (facetResults) response['@search.facets'] = facetResults;
  if (semantic?.answers && reranked) response['@search.answers'] = extractAnswers(reranked, semantic);
  if (top > QUERY_LIMITS.maxPageSize && ordered.length > skip + pageSize) {
    response['@search.nextPageParameters'] = { ...body, skip: skip + pageSize, top: top - pageSize };
  }
  response.value = value;
  return { status: 200, body: { kind: 'json', value: response }, notes: { hits: ordered.length } };
}
