/**
 * The local SearchIndex: one LanceDB table (schema in lancedb-schema.ts) with a full-text index,
 * and vector search over the nullable `embedding` column once an embedder fills it.
 *
 * Writes from many files are coalesced into few commits (lancedb-write-queue.ts). Freshness: the
 * full-text index only covers rows present when it was last built or updated, and LanceDB 0.31's
 * own search of the other rows loses some of them. So this index remembers which files were
 * committed since the last update ("fresh" files), searches the index with `fastSearch()` and
 * the fresh rows itself (lancedb-fresh-rows.ts), and updates the index (`optimize()`: index
 * update, compaction, pruning of old versions) in the background once writes settle, during long
 * ingests whenever fresh rows reach a share of the table (see afterWrite), and on close, so a
 * search never waits for it.
 * A table left with unindexed rows by a crash is brought up to date when opened (searches wait).
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import * as lancedb from '@lancedb/lancedb';
import PQueue from 'p-queue';
import { QuarryError, type SearchResult } from '../../../contract';
import { reciprocalRankFusion } from '../../search/fusion';
import { buildSnippet } from '../../search/snippet';
import type { CallOptions, IndexDocument, IndexQuery, SearchIndex, StoredChunk } from '../../types';
import { IndexedFileHashes } from './lancedb-file-hashes';
import { asRecord, type ChunkHit, numberField, readHit, readStoredChunk } from './lancedb-hits';
import { keywordSearch } from './lancedb-keyword-search';
import {
  CHUNKS_TABLE,
  type ChunkRow,
  checkChunkSchema,
  chunkSchema,
  DEFAULT_VECTOR_DIMENSIONS,
  FTS_COLUMN,
  RESULT_COLUMNS,
  toChunkRow,
} from './lancedb-schema';
import { chunked, sqlAnd, sqlColumn, sqlIn, sqlInFolder, sqlNumberBound, sqlString } from './lancedb-sql';
import {
  type ChunkToEmbed,
  EMBEDDING_COLUMN,
  type EmbeddingUpdate,
  readChunkToEmbed,
} from './lancedb-vector-column';
import {
  DEFAULT_VECTOR_INDEX_POLICY,
  maintainVectorIndex,
  type VectorIndexPolicy,
} from './lancedb-vector-index';
import { CoalescingWriter, type FileWrite } from './lancedb-write-queue';

export interface OpenLanceDbIndexOptions extends CallOptions {
  /** Folder of the LanceDB database (created if missing). */
  dir: string;
  /** Size of the embedding vectors; 384 by default. A table built with another size is refused. */
  vectorDimensions?: number;
  /** How long a write waits for others to share its commit. */
  writeLingerInMs?: number;
  /** Rows per commit at most (a larger single file still commits alone). */
  maxBatchRows?: number;
  /** Files per commit at most. */
  maxBatchFiles?: number;
  /** Quiet time after the last commit before the index is folded and the table compacted. */
  maintenanceDelayInMs?: number;
  /** During continuous writes, update the index after this many new rows at least (see afterWrite). */
  maintenanceEveryRows?: number;
  /** Table versions younger than this survive pruning. */
  versionRetentionInMs?: number;
  /** Background maintenance failures (the next search or maintenance retries). */
  onBackgroundError?: (error: QuarryError) => void;
  /** When maintenance builds the ANN index on the vectors (see lancedb-vector-index.ts). */
  vectorIndex?: VectorIndexPolicy;
}

export interface LanceDbIndex extends SearchIndex {
  readonly vectorDimensions: number;
  /** Always available here (optional on SearchIndex). */
  readChunks(
    sourcePath: string,
    chunkIndexes: readonly number[],
    options?: CallOptions,
  ): Promise<StoredChunk[]>;
  /** Commits every write submitted so far. */
  flush(options?: CallOptions): Promise<void>;
  /** Commits pending writes, then folds new rows into the indexes, compacts and prunes now. */
  optimize(options?: CallOptions): Promise<void>;
  /** Chunks with no vector yet (indexed while no model was available, or after a model change). */
  readChunksWithoutEmbedding(limit: number, options?: CallOptions): Promise<ChunkToEmbed[]>;
  countChunksWithoutEmbedding(options?: CallOptions): Promise<number>;
  /** Sets the vectors of stored chunks in place (chunks gone since are skipped); returns how many were set. */
  writeEmbeddings(updates: readonly EmbeddingUpdate[], options?: CallOptions): Promise<number>;
}

/**
 * LanceDB 0.31 deadlocks building a full-text index of a few thousand real-sized chunks when its
 * CPU pool has only two threads (the pool is sized by the core count: two on small machines), so
 * the pool gets at least eight. Set before the first LanceDB call, which creates the pool; a
 * value chosen by the user wins.
 */
process.env.LANCE_CPU_THREADS ??= String(Math.max(8, availableParallelism()));

const DEFAULTS = {
  writeLingerInMs: 50,
  maxBatchRows: 20_000,
  maxBatchFiles: 1_000,
  maintenanceDelayInMs: 2_000,
  maintenanceEveryRows: 10_000,
  versionRetentionInMs: 60_000,
  vectorIndex: DEFAULT_VECTOR_INDEX_POLICY,
};

/** The first full-text index is built early: it is cheap on few rows, and scanning fresh rows is not. */
const FIRST_INDEX_AT_ROWS = 2_000;
/** During long ingests, the index is updated once fresh rows reach this share of the table. */
const FRESH_SHARE_BEFORE_UPDATE = 0.2;
/**
 * ANN candidates re-ranked on full vectors per result: recall@10 0.94 -> 1.0 on 20k clustered
 * 384-d vectors for ~0.5 ms (lancedb-vector-index.ts); a flat search is exact anyway.
 */
const VECTOR_REFINE_FACTOR = 4;
/** Results asked of each list before fusing: deeper lists make RRF more stable. */
const HYBRID_CANDIDATES_MIN = 30;
const MAX_TOP = 1_000;

export async function openLanceDbIndex(options: OpenLanceDbIndexOptions): Promise<LanceDbIndex> {
  const vectorDimensions = options.vectorDimensions ?? DEFAULT_VECTOR_DIMENSIONS;
  if (!Number.isInteger(vectorDimensions) || vectorDimensions <= 0) {
    throw new QuarryError(
      'invalid_input',
      `Vector dimensions must be a positive integer, got ${vectorDimensions}.`,
    );
  }
  options.abortSignal?.throwIfAborted();
  await mkdir(options.dir, { recursive: true });
  const db = await guard('open the local index', () => lancedb.connect(options.dir));
  let table: lancedb.Table | undefined;
  try {
    const names = await guard('open the local index', () => db.tableNames());
    if (names.includes(CHUNKS_TABLE)) {
      table = await guard('open the local index', () => db.openTable(CHUNKS_TABLE));
      const opened = table;
      checkChunkSchema(
        await guard('read the index schema', () => opened.schema()),
        vectorDimensions,
        options.dir,
      );
    } else {
      table = await guard('create the local index', () =>
        db.createEmptyTable(CHUNKS_TABLE, chunkSchema(vectorDimensions)),
      );
    }
    const chunksTable = table;
    const files = await guard('read the local index', () => IndexedFileHashes.load(chunksTable));
    const index = new LanceDbSearchIndex(db, table, files, vectorDimensions, {
      ...DEFAULTS,
      ...definedOnly(options),
    });
    await index.catchUpIfBehind();
    return index;
  } catch (error) {
    table?.close();
    db.close();
    throw error;
  }
}

type Settings = typeof DEFAULTS & Pick<OpenLanceDbIndexOptions, 'onBackgroundError'>;

class LanceDbSearchIndex implements LanceDbIndex {
  readonly vectorDimensions: number;
  private readonly db: lancedb.Connection;
  private readonly table: lancedb.Table;
  private readonly settings: Settings;
  /** Every table mutation (commits, index builds, optimize) runs here, one at a time. */
  private readonly queue = new PQueue({ concurrency: 1 });
  private readonly writer: CoalescingWriter<ChunkRow>;
  /** Each indexed file's content hash (see lancedb-file-hashes.ts). */
  private readonly files: IndexedFileHashes;
  private ftsIndexName: string | undefined;
  /** Files committed since the full-text index was last updated, with their row counts. */
  private readonly freshFiles = new Map<string, number>();
  private freshRowCount = 0;
  /** Rows in the table after the last commit. */
  private tableRowCount = 0;
  /** The update of an index left behind by an earlier session; searches wait for it. */
  private catchUp: Promise<void> | undefined;
  /** Set when that update failed: which rows are unindexed is unknown, so all are searched as fresh. */
  private everyRowFresh = false;
  private maintenanceTimer: ReturnType<typeof setTimeout> | undefined;
  /** The queued (not yet started) index update, if any. */
  private maintenanceWaiting: { run: Promise<void> } | undefined;
  private closed = false;

  constructor(
    db: lancedb.Connection,
    table: lancedb.Table,
    files: IndexedFileHashes,
    vectorDimensions: number,
    settings: Settings,
  ) {
    this.db = db;
    this.table = table;
    this.files = files;
    this.vectorDimensions = vectorDimensions;
    this.settings = settings;
    this.writer = new CoalescingWriter<ChunkRow>({
      queue: this.queue,
      commit: (writes) => this.commit(writes),
      lingerInMs: settings.writeLingerInMs,
      maxBatchRows: settings.maxBatchRows,
      maxBatchFiles: settings.maxBatchFiles,
    });
  }

  async replaceFile(sourcePath: string, docs: IndexDocument[], options: CallOptions = {}): Promise<void> {
    this.assertOpen();
    const stray = docs.find((doc) => doc.sourcePath !== sourcePath);
    if (stray) {
      throw new QuarryError(
        'invalid_input',
        `Chunk ${stray.id} belongs to ${stray.sourcePath}, not ${sourcePath}.`,
      );
    }
    const rows = docs.map((doc) => toChunkRow(doc, this.vectorDimensions));
    await this.writer.submit({ sourcePath, rows }, options);
  }

  async removeFile(sourcePath: string, options: CallOptions = {}): Promise<void> {
    this.assertOpen();
    await this.writer.submit({ sourcePath, rows: [] }, options);
  }

  async indexedHash(sourcePath: string, options: CallOptions = {}): Promise<string | null> {
    this.assertOpen();
    options.abortSignal?.throwIfAborted();
    return this.files.hashOf(sourcePath);
  }

  async readChunks(
    sourcePath: string,
    chunkIndexes: readonly number[],
    options: CallOptions = {},
  ): Promise<StoredChunk[]> {
    this.assertOpen();
    options.abortSignal?.throwIfAborted();
    const wanted = [...new Set(chunkIndexes)].filter((index) => Number.isInteger(index) && index >= 0);
    if (wanted.length === 0) return [];
    const rows = await guard('read the local index', () =>
      this.table
        .query()
        .where(
          `${sqlColumn('sourcePath')} = ${sqlString(sourcePath)} AND ${sqlColumn('chunkIndex')} IN (${wanted.join(', ')})`,
        )
        .select(STORED_CHUNK_COLUMNS)
        .limit(wanted.length)
        .toArray(),
    );
    return rows.map(readStoredChunk).sort((a, b) => a.chunkIndex - b.chunkIndex);
  }

  async count(options: CallOptions = {}): Promise<number> {
    this.assertOpen();
    options.abortSignal?.throwIfAborted();
    return guard('count the local index', () => this.table.countRows());
  }

  async search(query: IndexQuery, options: CallOptions = {}): Promise<SearchResult[]> {
    this.assertOpen();
    const { abortSignal } = options;
    abortSignal?.throwIfAborted();
    const top = Math.min(Math.max(Math.floor(query.top), 0), MAX_TOP);
    if (top === 0) return [];
    const vector = query.vector;
    if (vector && vector.length !== this.vectorDimensions) {
      throw new QuarryError(
        'invalid_input',
        `The query vector has ${vector.length} dimensions; the local index holds ${this.vectorDimensions}.`,
        { reason: 'embedding_dimensions_mismatch' },
      );
    }
    const where = filterPredicate(query.filters);
    // Without a query vector every mode is answered by keywords; the caller says so to the person.
    const mode = vector ? query.mode : 'keyword';
    let hits: ChunkHit[];
    if (mode === 'keyword' || !vector) {
      hits = await this.keywordHits(query.text, top, where);
    } else if (mode === 'vector') {
      hits = await this.vectorHits(vector, top, where);
    } else {
      const depth = Math.max(top * 2, HYBRID_CANDIDATES_MIN);
      const [keyword, semantic] = await Promise.all([
        this.keywordHits(query.text, depth, where),
        this.vectorHits(vector, depth, where),
      ]);
      hits = reciprocalRankFusion([keyword, semantic], { key: (hit) => hit.id })
        .slice(0, top)
        .map((fused) => ({ ...fused.item, score: fused.score }));
    }
    abortSignal?.throwIfAborted();
    return hits.map((hit) => toSearchResult(hit, query.text));
  }

  async flush(options: CallOptions = {}): Promise<void> {
    options.abortSignal?.throwIfAborted();
    await this.writer.flush();
  }

  async optimize(options: CallOptions = {}): Promise<void> {
    this.assertOpen();
    await this.flush(options);
    await this.maintainNow();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.maintenanceTimer);
    try {
      await this.writer.close();
      // Leave the index complete, so the next session (another process) need not catch up.
      if (this.freshFiles.size > 0) await this.enqueueMaintenance().catch(() => undefined);
      await this.queue.onIdle();
    } finally {
      this.table.close();
      this.db.close();
    }
  }

  async readChunksWithoutEmbedding(limit: number, options: CallOptions = {}): Promise<ChunkToEmbed[]> {
    this.assertOpen();
    options.abortSignal?.throwIfAborted();
    const rows = await guard('read the local index', () =>
      this.table
        .query()
        .where(`${sqlColumn(EMBEDDING_COLUMN)} IS NULL`)
        .select(['id', 'sourcePath', 'content'])
        .limit(Math.max(1, Math.floor(limit)))
        .toArray(),
    );
    return rows.map(readChunkToEmbed);
  }

  async countChunksWithoutEmbedding(options: CallOptions = {}): Promise<number> {
    this.assertOpen();
    options.abortSignal?.throwIfAborted();
    return guard('count the local index', () =>
      this.table.countRows(`${sqlColumn(EMBEDDING_COLUMN)} IS NULL`),
    );
  }

  async writeEmbeddings(updates: readonly EmbeddingUpdate[], options: CallOptions = {}): Promise<number> {
    this.assertOpen();
    const wrong = updates.find((update) => update.embedding.length !== this.vectorDimensions);
    if (wrong) {
      throw new QuarryError(
        'invalid_input',
        `Chunk ${wrong.id} got a ${wrong.embedding.length}-dimensional embedding; the local index holds ${this.vectorDimensions}.`,
        { reason: 'embedding_dimensions_mismatch' },
      );
    }
    if (updates.length === 0) return 0;
    options.abortSignal?.throwIfAborted();
    const updated = await guard('store the embeddings', () =>
      this.queue.add(async () => {
        // Keyed by id and path: identical files share chunk ids. Only the vector column is written.
        const result = await this.table
          .mergeInsert(['id', 'sourcePath'])
          .whenMatchedUpdateAll()
          .execute(updates.map(({ id, sourcePath, embedding }) => ({ id, sourcePath, embedding })));
        // Updated rows leave the full-text index until its next update: search them as fresh rows.
        const perFile = new Map<string, number>();
        for (const update of updates)
          perFile.set(update.sourcePath, (perFile.get(update.sourcePath) ?? 0) + 1);
        for (const [sourcePath, rows] of perFile) {
          this.freshFiles.set(sourcePath, (this.freshFiles.get(sourcePath) ?? 0) + rows);
          this.freshRowCount += rows;
        }
        return result.numUpdatedRows;
      }),
    );
    this.afterWrite();
    return updated;
  }

  /** On open: rows an earlier session left out of the full-text index (or no index) are indexed now. */
  async catchUpIfBehind(): Promise<void> {
    const rows = await guard('read the local index', () => this.table.countRows());
    if (rows === 0) return;
    const name = await this.findFtsIndex();
    const stats = name
      ? await guard('read the index statistics', () => this.table.indexStats(name))
      : undefined;
    if (stats && stats.numUnindexedRows === 0) return;
    const catchUp = this.enqueueMaintenance().catch(() => {
      this.everyRowFresh = true;
    });
    this.catchUp = catchUp;
    void catchUp.finally(() => {
      if (this.catchUp === catchUp) this.catchUp = undefined;
    });
  }

  private async keywordHits(text: string, top: number, where: string | undefined): Promise<ChunkHit[]> {
    if (this.catchUp) await this.catchUp;
    // Read the fresh files before querying the index: if an index update lands in between, its
    // rows are found twice (and merged), never zero times.
    const fresh = {
      paths: this.everyRowFresh ? ('all' as const) : [...this.freshFiles.keys()],
      rowCount: this.freshRowCount,
    };
    const indexed = (await this.findFtsIndex()) !== undefined;
    return guard('search the local index', async () => {
      const anyFresh = fresh.paths === 'all' || fresh.paths.length > 0;
      const totalRowCount = anyFresh ? await this.table.countRows() : 0;
      if (fresh.paths === 'all') fresh.rowCount = totalRowCount;
      return keywordSearch(this.table, { text, top, where, indexed, fresh: { ...fresh, totalRowCount } });
    });
  }

  private vectorHits(vector: number[], top: number, where: string | undefined): Promise<ChunkHit[]> {
    return guard('search the local index', async () => {
      let request = this.table
        .query()
        .nearestTo(Float32Array.from(vector))
        .column('embedding')
        .distanceType('cosine')
        // With the ANN index (quantized vectors), re-rank candidates on the full vectors.
        .refineFactor(VECTOR_REFINE_FACTOR)
        .select([...RESULT_COLUMNS, '_distance'])
        .limit(top);
      if (where) request = request.where(where);
      const rows = await request.toArray();
      // Cosine distance is 1 - similarity; report the similarity so higher is better, as for BM25.
      return rows.map((row) => readHit(row, 1 - numberField(asRecord(row), '_distance')));
    });
  }

  private async commit(writes: FileWrite<ChunkRow>[]): Promise<void> {
    // Only files the table holds need a delete (a predicate scan); new files are plain appends.
    const replaced = writes.map((write) => write.sourcePath).filter((path) => this.files.holds(path));
    for (const group of chunked(replaced, this.settings.maxBatchFiles)) {
      await this.table.delete(sqlIn('sourcePath', group));
      for (const path of group) this.files.record(path, null);
    }
    const rows = writes.flatMap((write) => write.rows);
    if (rows.length > 0) await this.table.add(rows);
    for (const write of writes) {
      this.files.record(write.sourcePath, write.rows[0]?.contentHash ?? null);
      this.freshRowCount -= this.freshFiles.get(write.sourcePath) ?? 0;
      if (write.rows.length > 0) this.freshFiles.set(write.sourcePath, write.rows.length);
      else this.freshFiles.delete(write.sourcePath);
      this.freshRowCount += write.rows.length;
    }
    this.tableRowCount = await this.table.countRows();
    this.afterWrite();
  }

  /**
   * Updates the index now when enough rows are fresh, else after writes settle. "Enough" is few
   * before the first index (cheap to build, costly to scan), then a share of the table, so the
   * cost of updates (which grows with the table) stays proportional to what was written.
   */
  private afterWrite(): void {
    const threshold = this.ftsIndexName
      ? Math.max(
          this.settings.maintenanceEveryRows,
          Math.floor(this.tableRowCount * FRESH_SHARE_BEFORE_UPDATE),
        )
      : Math.min(FIRST_INDEX_AT_ROWS, this.settings.maintenanceEveryRows);
    if (this.freshRowCount >= threshold) void this.enqueueMaintenance().catch(() => undefined);
    else this.scheduleMaintenance();
  }

  /** (Re)starts the quiet-time timer after which the index is folded. */
  private scheduleMaintenance(): void {
    if (this.closed) return;
    clearTimeout(this.maintenanceTimer);
    this.maintenanceTimer = setTimeout(() => {
      this.maintenanceTimer = undefined;
      void this.enqueueMaintenance();
    }, this.settings.maintenanceDelayInMs);
    this.maintenanceTimer.unref?.();
  }

  /** Queues one index update; callers arriving before it starts share it. */
  private enqueueMaintenance(): Promise<void> {
    clearTimeout(this.maintenanceTimer);
    this.maintenanceTimer = undefined;
    if (this.maintenanceWaiting) return this.maintenanceWaiting.run;
    // p-queue may start the task synchronously inside add(), so the task checks its own token.
    const waiting: { run: Promise<void> } = { run: Promise.resolve() };
    this.maintenanceWaiting = waiting;
    waiting.run = this.queue
      .add(async () => {
        if (this.maintenanceWaiting === waiting) this.maintenanceWaiting = undefined;
        await this.maintain();
      })
      .then(() => undefined);
    waiting.run.catch((error: unknown) =>
      this.settings.onBackgroundError?.(toQuarryError('update the local index', error)),
    );
    return waiting.run;
  }

  private async maintainNow(): Promise<void> {
    await guard('update the local index', () => this.enqueueMaintenance());
  }

  /** Builds the full-text index, or folds new rows into it, compacts fragments and prunes old versions. */
  private async maintain(): Promise<void> {
    if ((await this.table.countRows()) > 0) {
      const name = await this.findFtsIndex();
      if (!name) {
        await this.table.createIndex(FTS_COLUMN, { config: ftsIndexConfig(), replace: true });
        await this.findFtsIndex();
      } else {
        await this.table.optimize({
          cleanupOlderThan: new Date(Date.now() - this.settings.versionRetentionInMs),
        });
      }
    }
    // Commits and maintenance share the serial queue: every fresh row is now in the index.
    this.freshFiles.clear();
    this.freshRowCount = 0;
    this.everyRowFresh = false;
    await this.maintainVectorIndex();
  }

  /** Builds the ANN index once there are enough vectors; a failure leaves flat (exact) search. */
  private async maintainVectorIndex(): Promise<void> {
    try {
      await maintainVectorIndex(this.table, {
        policy: this.settings.vectorIndex,
        // A long build waits for quiet time: never while writes wait, never on close.
        quiet: () => !this.closed && this.queue.size === 0 && this.writer.pendingFileCount === 0,
      });
    } catch (error) {
      this.settings.onBackgroundError?.(toQuarryError('build the vector index', error));
    }
  }

  private async findFtsIndex(): Promise<string | undefined> {
    if (this.ftsIndexName) return this.ftsIndexName;
    const indices = await guard('list the index', () => this.table.listIndices());
    this.ftsIndexName = indices.find(
      (index) => index.indexType === 'FTS' && index.columns.length === 1 && index.columns[0] === FTS_COLUMN,
    )?.name;
    return this.ftsIndexName;
  }

  private assertOpen(): void {
    if (this.closed) throw new QuarryError('service', 'The local index is closed.');
  }
}

/**
 * Whitespace tokenizer over the pre-tokenised `ftsText` (see fts-tokens.ts): everything is already
 * folded and split. No stemming or stop words, so a query term matches exactly what snippets
 * highlight. No positions: 0.31 cannot update an index with positions incrementally once posting
 * lists grow (it fails decoding its own index), and building one is four times slower; phrases
 * are matched on the candidates instead (lancedb-keyword-search.ts).
 */
function ftsIndexConfig(): lancedb.Index {
  return lancedb.Index.fts({
    baseTokenizer: 'whitespace',
    withPosition: false,
    lowercase: false,
    stem: false,
    removeStopWords: false,
    asciiFolding: false,
  });
}

function filterPredicate(filters: IndexQuery['filters']): string | undefined {
  const mimeTypes = filters?.mimeTypes?.length ? sqlIn('mimeType', filters.mimeTypes) : undefined;
  const folder = filters?.folder ? sqlInFolder('sourcePath', filters.folder) : undefined;
  const after = sqlNumberBound('modifiedAt', '>=', filters?.modifiedAfter);
  const before = sqlNumberBound('modifiedAt', '<', filters?.modifiedBefore);
  return sqlAnd([mimeTypes, folder, after, before]);
}

/** Everything a stored chunk has but its embedding (large, and not needed to show it). */
const STORED_CHUNK_COLUMNS = [
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
];

function toSearchResult(hit: ChunkHit, queryText: string): SearchResult {
  const { snippet, highlights } = buildSnippet(hit.content, queryText);
  return {
    id: hit.id,
    sourcePath: hit.sourcePath,
    sourceName: hit.sourceName,
    page: hit.page,
    chunkIndex: hit.chunkIndex,
    score: hit.score,
    snippet,
    highlights,
    mimeType: hit.mimeType,
  };
}

/** Runs a LanceDB call; anything it throws becomes a `service` QuarryError naming what failed. */
async function guard<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toQuarryError(action, error);
  }
}

function toQuarryError(action: string, error: unknown): QuarryError {
  if (error instanceof QuarryError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new QuarryError('cancelled', 'Cancelled');
  const detail = error instanceof Error ? error.message : String(error);
  return new QuarryError('service', `Could not ${action}: ${detail}`, { cause: error });
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
