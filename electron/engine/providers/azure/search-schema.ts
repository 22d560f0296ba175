/**
 * The Azure AI Search index of DESIGN.md ("The index", a public contract: other tools query it):
 * one document per chunk, keyed by the chunk's deterministic id, with a vector field sized to the
 * embedding deployment (HNSW, cosine) and a semantic configuration on the content.
 *
 * Fields beyond DESIGN.md's minimum: `title`, `modifiedAt` (DateTimeOffset), `folders` (every
 * ancestor folder of `sourcePath`, `/`-separated, for folder filters: OData has no startswith),
 * `regions` (polygons of the chunk's blocks on its page) with `pageSize`, and an image's
 * `caption` and `tags`.
 */
import type { SearchField, SearchIndex as SearchIndexDefinition } from '@azure/search-documents';
import { QuarryError } from '../../../contract';
import type { BlockRegion, IndexDocument, PageSize } from '../../types';

export const VECTOR_FIELD = 'embedding';
export const VECTOR_PROFILE = 'quarry-vector-profile';
export const VECTOR_ALGORITHM = 'quarry-hnsw';
export const SEMANTIC_CONFIGURATION = 'quarry-semantic';

/** Fields every Quarry index must have; the optional ones are used only where the index has them. */
export const REQUIRED_FIELDS = [
  'id',
  'content',
  VECTOR_FIELD,
  'sourcePath',
  'sourceName',
  'contentHash',
  'page',
  'chunkIndex',
  'mimeType',
] as const;

/** The stored shape of one document (what Quarry uploads and reads back). */
export type SearchDocument = {
  id: string;
  content: string;
  embedding?: number[] | null;
  sourcePath: string;
  sourceName: string;
  contentHash: string;
  page: number | null;
  chunkIndex: number;
  mimeType: string;
  title?: string | null;
  modifiedAt?: string | null;
  folders?: string[];
  regions?: BlockRegion[] | null;
  pageSize?: PageSize | null;
  caption?: string | null;
  tags?: string[] | null;
};

export function buildIndexDefinition(name: string, dimensions: number): SearchIndexDefinition {
  const fields: SearchField[] = [
    { name: 'id', type: 'Edm.String', key: true, filterable: true },
    { name: 'content', type: 'Edm.String', searchable: true },
    {
      name: VECTOR_FIELD,
      type: 'Collection(Edm.Single)',
      searchable: true,
      // Not returned with results: 1,536 floats per hit would dwarf the rest of the answer.
      hidden: true,
      vectorSearchDimensions: dimensions,
      vectorSearchProfileName: VECTOR_PROFILE,
    },
    { name: 'sourcePath', type: 'Edm.String', filterable: true },
    { name: 'sourceName', type: 'Edm.String', searchable: true, filterable: true },
    { name: 'contentHash', type: 'Edm.String', filterable: true },
    { name: 'page', type: 'Edm.Int32', filterable: true, sortable: true },
    { name: 'chunkIndex', type: 'Edm.Int32', filterable: true, sortable: true },
    { name: 'mimeType', type: 'Edm.String', filterable: true, facetable: true },
    { name: 'title', type: 'Edm.String', searchable: true },
    { name: 'modifiedAt', type: 'Edm.DateTimeOffset', filterable: true, sortable: true },
    { name: 'folders', type: 'Collection(Edm.String)', filterable: true },
    {
      name: 'regions',
      type: 'Collection(Edm.ComplexType)',
      fields: [
        { name: 'page', type: 'Edm.Int32' },
        { name: 'polygon', type: 'Collection(Edm.Double)' },
      ],
    },
    {
      name: 'pageSize',
      type: 'Edm.ComplexType',
      fields: [
        { name: 'width', type: 'Edm.Double' },
        { name: 'height', type: 'Edm.Double' },
        { name: 'unit', type: 'Edm.String' },
      ],
    },
    { name: 'caption', type: 'Edm.String', searchable: true },
    { name: 'tags', type: 'Collection(Edm.String)', searchable: true, filterable: true, facetable: true },
  ];
  return {
    name,
    fields,
    vectorSearch: {
      algorithms: [
        {
          name: VECTOR_ALGORITHM,
          kind: 'hnsw',
          parameters: { metric: 'cosine', m: 4, efConstruction: 400, efSearch: 500 },
        },
      ],
      profiles: [{ name: VECTOR_PROFILE, algorithmConfigurationName: VECTOR_ALGORITHM }],
    },
    semanticSearch: {
      defaultConfigurationName: SEMANTIC_CONFIGURATION,
      configurations: [
        {
          name: SEMANTIC_CONFIGURATION,
          prioritizedFields: {
            titleField: { name: 'title' },
            contentFields: [{ name: 'content' }, { name: 'caption' }],
            keywordsFields: [{ name: 'tags' }],
          },
        },
      ],
    },
  };
}

/** What Quarry learned from an existing index: which fields it may write and query. */
export interface IndexShape {
  fields: ReadonlySet<string>;
  dimensions: number;
  /** The semantic configuration to use, or null when the index has none. */
  semanticConfiguration: string | null;
}

/** Checks an index found on the service against what Quarry needs; fails clearly when it cannot work. */
export function checkExistingIndex(index: SearchIndexDefinition, dimensions: number): IndexShape {
  const byName = new Map(index.fields.map((field) => [field.name, field]));
  const missing = REQUIRED_FIELDS.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    throw new QuarryError(
      'invalid_input',
      `The Azure AI Search index "${index.name}" exists but lacks the fields Quarry needs (${missing.join(', ')}). ` +
        'Set AZURE_SEARCH_INDEX to a new name (Quarry creates it) or delete that index.',
      { reason: 'index_schema_mismatch' },
    );
  }
  const vector = byName.get(VECTOR_FIELD);
  const existingDimensions =
    vector && 'vectorSearchDimensions' in vector ? (vector.vectorSearchDimensions ?? undefined) : undefined;
  if (existingDimensions !== dimensions) {
    throw new QuarryError(
      'invalid_input',
      `The Azure AI Search index "${index.name}" stores ${existingDimensions ?? 'no'}-dimensional vectors, but the embedding deployment makes ${dimensions}-dimensional ones. ` +
        'Set AZURE_SEARCH_INDEX to a new name (Quarry creates it), delete that index, or use the embedding deployment it was built with.',
      { reason: 'dimension_mismatch' },
    );
  }
  const configurations = index.semanticSearch?.configurations ?? [];
  const semantic =
    configurations.find((configuration) => configuration.name === SEMANTIC_CONFIGURATION)?.name ??
    index.semanticSearch?.defaultConfigurationName ??
    configurations[0]?.name ??
    null;
  return { fields: new Set(byName.keys()), dimensions, semanticConfiguration: semantic };
}

/** Every ancestor folder of a path, `/`-separated: `/a/b/c.pdf` -> `/`, `/a`, `/a/b`. */
export function ancestorFolders(sourcePath: string): string[] {
  const normalized = sourcePath.replaceAll('\\', '/');
  const parts = normalized.split('/');
  parts.pop();
  const folders: string[] = [];
  let current = '';
  for (const [index, part] of parts.entries()) {
    if (index === 0 && part === '') {
      folders.push('/');
      continue;
    }
    if (part === '') continue;
    current = current === '' && !normalized.startsWith('/') ? part : `${current}/${part}`;
    folders.push(current);
  }
  return folders;
}

/** A folder as `ancestorFolders` spells it: `/` separators, no trailing slash (except the root). */
export function normalizeFolder(folder: string): string {
  const normalized = folder.replaceAll('\\', '/');
  const trimmed = normalized.replace(/\/+$/u, '');
  return trimmed === '' && normalized.startsWith('/') ? '/' : trimmed;
}

/** The document as uploaded, keeping only the fields the index has. */
export function toSearchDocument(doc: IndexDocument, fields: ReadonlySet<string>): SearchDocument {
  const full: SearchDocument = {
    id: doc.id,
    content: doc.content,
    embedding: doc.embedding,
    sourcePath: doc.sourcePath,
    sourceName: doc.sourceName,
    contentHash: doc.contentHash,
    page: doc.page,
    chunkIndex: doc.chunkIndex,
    mimeType: doc.mimeType,
    title: doc.title,
    modifiedAt: Number.isFinite(doc.modifiedAt) ? new Date(doc.modifiedAt).toISOString() : null,
    folders: ancestorFolders(doc.sourcePath),
    regions: doc.regions ?? null,
    pageSize: doc.pageSize ?? null,
    caption: doc.caption ?? null,
    tags: doc.tags ?? null,
  };
  // No vector (no embedder): leave the field out rather than send a null collection.
  if (full.embedding === null) delete full.embedding;
  return Object.fromEntries(Object.entries(full).filter(([name]) => fields.has(name))) as SearchDocument;
}
