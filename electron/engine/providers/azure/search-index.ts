/**
 * The Azure AI Search SearchIndex (`@azure/search-documents`): the index is created if missing
 * (schema in search-schema.ts) and checked if present; uploads from all files share batches
 * (search-upload-batcher.ts) through the `search.index` limiter; queries and lookups go through
 * the `search.query` limiter. A changed file's chunks are replaced: its new chunks are committed
 * first, then the old ones that are not among them are deleted, so the file never vanishes from
 * search in between.
 */
import {
  IndexDocumentsBatch,
  SearchClient,
  SearchIndexClient,
  type SearchIndex as SearchIndexDefinition,
} from '@azure/search-documents';
import { QuarryError, type SearchResult } from '../../../contract';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import type { CallOptions, IndexDocument, IndexQuery, SearchIndex, StoredChunk } from '../../types';
import { azureClientOptions, azureCredential } from './azure-clients';
import type { SearchConfig } from './azure-config';
import { AzureServiceError, toQuarryError } from './errors';
import { HashLookupBatcher } from './search-hash-lookup';
import { sourcePathEquals } from './search-odata';
import { buildSearchRequest } from './search-request';
import { toSearchResult } from './search-results';
import {
  buildIndexDefinition,
  checkExistingIndex,
  type IndexShape,
  type SearchDocument,
  toSearchDocument,
} from './search-schema';
import {
  STORED_CHUNK_FIELDS,
  storedChunksFilter,
  toStoredChunk,
  wantedChunkIndexes,
} from './search-stored-chunks';
import {
  type IndexAction,
  type ItemOutcome,
  UploadBatcher,
  type UploadBatcherOptions,
  type UploadBatcherStats,
} from './search-upload-batcher';

export interface AzureSearchIndexOptions extends CallOptions {
  config: SearchConfig;
  /** Size of the embedding vectors (the index's vector field must match). */
  dimensions: number;
  limiters: { index: ServiceLimiter; query: ServiceLimiter };
  /** Batching knobs (max actions/bytes, linger, item retries); defaults suit the service limits. */
  batching?: Omit<UploadBatcherOptions, 'send'>;
}

export interface AzureSearchIndex extends SearchIndex {
  readonly indexName: string;
  readonly shape: IndexShape;
  /** Sends pending uploads now and waits for every batch in flight. */
  flush(): Promise<void>;
  uploadStats(): UploadBatcherStats;
}

/** Ids fetched per lookup page (the service's page limit). */
const ID_PAGE_SIZE = 1000;
/** `skip` may not exceed this (service limit). */
const MAX_SKIP = 100_000;

function runOptions(abortSignal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return abortSignal ? { abortSignal } : {};
}

function isNotFound(error: unknown): boolean {
  return error instanceof AzureServiceError && error.status === 404;
}

/** Finds the index or creates it; either way checks that Quarry can use it. */
async function ensureIndex(
  client: SearchIndexClient,
  options: AzureSearchIndexOptions,
  abortSignal: AbortSignal | undefined,
): Promise<IndexShape> {
  const { config, dimensions, limiters } = options;
  const context = {
    service: 'search.index',
    resource: `index '${config.indexName}'`,
    endpoint: config.endpoint,
  };
  const getIndex = (): Promise<SearchIndexDefinition | null> =>
    limiters.index.run(async (signal) => {
      try {
        return await client.getIndex(config.indexName, { abortSignal: signal });
      } catch (error) {
        const mapped = toQuarryError(error, context);
        if (isNotFound(mapped)) return null;
        throw mapped;
      }
    }, runOptions(abortSignal));
  const existing = await getIndex();
  if (existing) return checkExistingIndex(existing, dimensions);
  try {
    const created = await limiters.index.run(async (signal) => {
      try {
        return await client.createIndex(buildIndexDefinition(config.indexName, dimensions), {
          abortSignal: signal,
        });
      } catch (error) {
        throw toQuarryError(error, context);
      }
    }, runOptions(abortSignal));
    return checkExistingIndex(created, dimensions);
  } catch (error) {
    // Another Quarry (or user) created it meanwhile: use theirs if it fits.
    const raced = error instanceof AzureServiceError && error.status === 409 ? await getIndex() : null;
    if (raced) return checkExistingIndex(raced, dimensions);
    throw error;
  }
}

class AzureAiSearchIndex implements AzureSearchIndex {
  private readonly batcher: UploadBatcher;
  private readonly hashLookup: HashLookupBatcher;
  /**
   * Paths `indexedHash` found nothing for and nothing has written since: replacing or removing
   * them needs no lookup of old chunks (one query per new file saved).
   */
  private readonly knownAbsent = new Set<string>();
  private readonly queryContext: { service: string; resource: string; endpoint: string };

  constructor(
    private readonly client: SearchClient<SearchDocument>,
    private readonly options: AzureSearchIndexOptions,
    readonly shape: IndexShape,
  ) {
    this.queryContext = {
      service: 'search.query',
      resource: `index '${options.config.indexName}'`,
      endpoint: options.config.endpoint,
    };
    this.hashLookup = new HashLookupBatcher({ lookup: (filter, top) => this.lookupHashes(filter, top) });
    this.batcher = new UploadBatcher({
      ...options.batching,
      send: (actions, signal) => this.sendBatch(actions, signal),
    });
  }

  get indexName(): string {
    return this.options.config.indexName;
  }

  uploadStats(): UploadBatcherStats {
    return this.batcher.stats();
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async replaceFile(sourcePath: string, docs: IndexDocument[], options: CallOptions = {}): Promise<void> {
    const stranger = docs.find((doc) => doc.sourcePath !== sourcePath);
    if (stranger) {
      throw new QuarryError(
        'invalid_input',
        `Chunk ${stranger.id} belongs to ${stranger.sourcePath}, not ${sourcePath}`,
        {
          reason: 'wrong_source_path',
        },
      );
    }
    const uploads: IndexAction[] = docs.map((doc) => ({
      type: 'upload',
      document: toSearchDocument(doc, this.shape.fields),
    }));
    // New chunks first (batched with other files' right away), then the old ones that are gone.
    await this.batcher.submit(uploads, options);
    if (this.knownAbsent.delete(sourcePath)) return;
    const keep = new Set(docs.map((doc) => doc.id));
    const stale = (await this.idsOf(sourcePath, options.abortSignal)).filter((id) => !keep.has(id));
    if (stale.length > 0) await this.batcher.submit(deletions(stale), options);
  }

  async removeFile(sourcePath: string, options: CallOptions = {}): Promise<void> {
    if (this.knownAbsent.delete(sourcePath)) return;
    const ids = await this.idsOf(sourcePath, options.abortSignal);
    if (ids.length > 0) await this.batcher.submit(deletions(ids), options);
  }

  async indexedHash(sourcePath: string, options: CallOptions = {}): Promise<string | null> {
    const hash = await this.hashLookup.hashOf(sourcePath, options.abortSignal);
    if (hash === null) this.knownAbsent.add(sourcePath);
    return hash;
  }

  /** One query for many paths' hashes (see search-hash-lookup.ts). */
  private lookupHashes(filter: string, top: number): Promise<Map<string, string>> {
    return this.options.limiters.query.run(async (signal) => {
      try {
        const response = await this.client.search('*', {
          filter,
          select: ['sourcePath', 'contentHash'],
          top,
          abortSignal: signal,
        });
        const hashes = new Map<string, string>();
        for await (const hit of response.results)
          hashes.set(hit.document.sourcePath, hit.document.contentHash);
        return hashes;
      } catch (error) {
        throw toQuarryError(error, this.queryContext);
      }
    });
  }

  async search(query: IndexQuery, options: CallOptions = {}): Promise<SearchResult[]> {
    const request = buildSearchRequest(query, this.shape);
    return this.options.limiters.query.run(async (signal) => {
      try {
        const response = await this.client.search(request.searchText, {
          ...request.options,
          abortSignal: signal,
        });
        const results: SearchResult[] = [];
        // One page: `top` is within the page size, so iterating makes no further request.
        for await (const hit of response.results) {
          if (results.length >= (request.options.top ?? query.top)) break;
          results.push(toSearchResult(hit, query.text, request.semantic));
        }
        return results;
      } catch (error) {
        throw toQuarryError(error, this.queryContext);
      }
    }, runOptions(options.abortSignal));
  }

  async readChunks(
    sourcePath: string,
    chunkIndexes: readonly number[],
    options: CallOptions = {},
  ): Promise<StoredChunk[]> {
    const wanted = wantedChunkIndexes(chunkIndexes);
    if (wanted.length === 0) return [];
    const select = STORED_CHUNK_FIELDS.filter((field) => this.shape.fields.has(field));
    return this.options.limiters.query.run(async (signal) => {
      try {
        const response = await this.client.search('*', {
          filter: storedChunksFilter(sourcePath, wanted),
          select,
          top: wanted.length,
          abortSignal: signal,
        });
        const chunks: StoredChunk[] = [];
        for await (const hit of response.results) chunks.push(toStoredChunk(hit.document));
        return chunks.sort((a, b) => a.chunkIndex - b.chunkIndex);
      } catch (error) {
        throw toQuarryError(error, this.queryContext);
      }
    }, runOptions(options.abortSignal));
  }

  async count(options: CallOptions = {}): Promise<number> {
    return this.options.limiters.query.run(async (signal) => {
      try {
        return await this.client.getDocumentsCount({ abortSignal: signal });
      } catch (error) {
        throw toQuarryError(error, this.queryContext);
      }
    }, runOptions(options.abortSignal));
  }

  async close(): Promise<void> {
    await this.batcher.flush();
    await this.batcher.close();
  }

  /** Every stored chunk id of a path, page by page. */
  private async idsOf(sourcePath: string, abortSignal: AbortSignal | undefined): Promise<string[]> {
    const ids: string[] = [];
    for (let skip = 0; skip <= MAX_SKIP; skip += ID_PAGE_SIZE) {
      const page = await this.options.limiters.query.run(async (signal) => {
        try {
          const response = await this.client.search('*', {
            filter: sourcePathEquals(sourcePath),
            select: ['id'],
            orderBy: ['chunkIndex asc'],
            top: ID_PAGE_SIZE,
            skip,
            abortSignal: signal,
          });
          const found: string[] = [];
          for await (const hit of response.results) found.push(hit.document.id);
          return found;
        } catch (error) {
          throw toQuarryError(error, this.queryContext);
        }
      }, runOptions(abortSignal));
      ids.push(...page);
      if (page.length < ID_PAGE_SIZE) break;
    }
    return ids;
  }

  private sendBatch(actions: readonly IndexAction[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const context = {
      service: 'search.index',
      resource: `index '${this.options.config.indexName}'`,
      endpoint: this.options.config.endpoint,
    };
    return this.options.limiters.index.run(
      async (requestSignal) => {
        const batch = new IndexDocumentsBatch<SearchDocument>(
          actions.map((action) => ({
            __actionType: action.type,
            ...(action.document as Partial<SearchDocument>),
          })),
        );
        let results: Awaited<ReturnType<SearchClient<SearchDocument>['indexDocuments']>>['results'];
        try {
          ({ results } = await this.client.indexDocuments(batch, {
            throwOnAnyFailure: false,
            abortSignal: requestSignal,
          }));
        } catch (error) {
          throw toQuarryError(error, context);
        }
        // Keys are unique within a batch (the batcher sees to it), so results are matched by key.
        const byKey = new Map(results.map((result) => [result.key, result]));
        return actions.map((action): ItemOutcome => {
          const result = byKey.get(action.document.id);
          return result
            ? {
                succeeded: result.succeeded,
                statusCode: result.statusCode,
                errorMessage: result.errorMessage ?? null,
              }
            : {
                succeeded: false,
                statusCode: 503,
                errorMessage: 'The service returned no result for this document.',
              };
        });
      },
      { abortSignal: signal },
    );
  }
}

function deletions(ids: readonly string[]): IndexAction[] {
  return ids.map((id) => ({ type: 'delete', document: { id } }));
}

export function createSearchClients(config: SearchConfig): {
  indexClient: SearchIndexClient;
  searchClient: SearchClient<SearchDocument>;
} {
  const credential = azureCredential(config.auth);
  const clientOptions = { ...azureClientOptions(config.endpoint), serviceVersion: config.apiVersion };
  return {
    indexClient: new SearchIndexClient(config.endpoint, credential, clientOptions),
    searchClient: new SearchClient<SearchDocument>(
      config.endpoint,
      config.indexName,
      credential,
      clientOptions,
    ),
  };
}

/** Opens (creating if needed) the configured index; fails clearly when it cannot be used. */
export async function openAzureSearchIndex(options: AzureSearchIndexOptions): Promise<AzureSearchIndex> {
  if (!Number.isInteger(options.dimensions) || options.dimensions <= 0 || options.dimensions > 4096) {
    throw new QuarryError(
      'invalid_input',
      `Embedding dimensions must be 1..4096, got ${options.dimensions}`,
      {
        reason: 'invalid_setting',
      },
    );
  }
  const { indexClient, searchClient } = createSearchClients(options.config);
  const shape = await ensureIndex(indexClient, options, options.abortSignal);
  return new AzureAiSearchIndex(searchClient, options, shape);
}
