/**
 * Internal engine types shared by the pipeline and the providers. Not part of the UI contract
 * (see electron/contract for that); providers implement these interfaces, the pipeline sees only them.
 */
import type { SearchMode, SearchResult } from '../contract';

/** A file the pipeline works on. `diskPath` is where its bytes are; `sourcePath` is what the index stores. */
export interface SourceFile {
  diskPath: string;
  /** Absolute path of the file, or its (relative) name for browser uploads. */
  sourcePath: string;
  name: string;
  size: number;
  mtimeMs: number;
  mimeType: string;
  /** sha256 hex of the bytes; set after hashing. */
  contentHash?: string;
}

/** A structural block inside a page; the chunker keeps blocks whole where it can. */
export interface TextBlock {
  kind: 'heading' | 'paragraph' | 'table' | 'list';
  text: string;
  /**
   * Where the text sits, for hit highlighting (OCR lines, Azure layout): polygon as flat
   * [x1, y1, x2, y2, ...]; units are pixels for images and inches for PDF pages, as Azure
   * Document Intelligence reports them. `page` is 1-based (1 for single images).
   */
  regions?: { page: number; polygon: number[] }[];
}

export interface ExtractedPage {
  /** 1-based page number, or null where the format has no pages. */
  page: number | null;
  blocks: TextBlock[];
  /** True when the page has no text layer (a scan): an OCR stage should read it. */
  needsOcr?: boolean;
  /** Page geometry that the blocks' `regions` refer to; absent for flowing formats (DOCX, HTML). */
  width?: number;
  height?: number;
  unit?: PageSize['unit'];
}

/** One polygon of a block on a page (see TextBlock.regions). */
export type BlockRegion = NonNullable<TextBlock['regions']>[number];

/** Size of a page in its own unit (Document Intelligence: inches for PDFs, pixels for images). */
export interface PageSize {
  width: number;
  height: number;
  unit: 'inch' | 'pixel';
}

export interface ExtractedDocument {
  mimeType: string;
  title?: string;
  pages: ExtractedPage[];
  /** Image caption and tags (Azure Vision); the chunker may copy them onto the file's chunks. */
  caption?: string;
  tags?: string[];
}

export interface CallOptions {
  abortSignal?: AbortSignal;
}

export interface Extractor {
  /** MIME types this extractor reads. */
  readonly mimeTypes: readonly string[];
  /** Throws QuarryError (invalid_input / unsupported) with a specific `reason` for bad files. */
  extract(file: SourceFile, options?: CallOptions): Promise<ExtractedDocument>;
}

export interface Chunk {
  /** Deterministic: derived from contentHash + chunkIndex. */
  id: string;
  content: string;
  page: number | null;
  chunkIndex: number;
  tokenCount: number;
  /** Polygons of the blocks the chunk was cut from (for highlighting a hit on its page). */
  regions?: BlockRegion[];
}

/** One row of the index: the public schema of DESIGN.md ("The index"). */
export interface IndexDocument {
  id: string;
  content: string;
  embedding: number[] | null;
  sourcePath: string;
  sourceName: string;
  contentHash: string;
  page: number | null;
  chunkIndex: number;
  mimeType: string;
  title: string | null;
  modifiedAt: number;
  /**
   * Optional extras (the Azure index stores them; the local index may ignore them): the polygons
   * of the chunk's blocks, the size of its page they refer to, and an image's caption and tags.
   */
  regions?: BlockRegion[] | null;
  pageSize?: PageSize | null;
  caption?: string | null;
  tags?: string[] | null;
}

/** A chunk as the index stores it, without its embedding. */
export type StoredChunk = Omit<IndexDocument, 'embedding'>;

export interface EmbedOptions extends CallOptions {
  /** Search queries and indexed text may be embedded differently (E5: "query: " / "passage: "). Default 'document'. */
  inputType?: 'query' | 'document';
}

export interface Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: string[], options?: EmbedOptions): Promise<number[][]>;
}

export interface IndexQuery {
  text: string;
  vector?: number[];
  mode: SearchMode;
  top: number;
  filters?: {
    mimeTypes?: string[];
    folder?: string;
    /** Epoch ms bounds on the file's modification time: `modifiedAt >= after` and `< before`. */
    modifiedAfter?: number;
    modifiedBefore?: number;
  };
  /** Keyword syntax: `simple` (default) or `full` (Lucene: fields, fuzzy, regex). Azure only. */
  syntax?: 'simple' | 'full';
}

export interface SearchIndex {
  /** Replaces every chunk of `sourcePath` with `docs` (a changed file's old chunks go). */
  replaceFile(sourcePath: string, docs: IndexDocument[], options?: CallOptions): Promise<void>;
  removeFile(sourcePath: string, options?: CallOptions): Promise<void>;
  /** contentHash currently indexed for a path, or null; used to skip unchanged files. */
  indexedHash(sourcePath: string, options?: CallOptions): Promise<string | null>;
  search(query: IndexQuery, options?: CallOptions): Promise<SearchResult[]>;
  /**
   * Stored chunks of one file by chunk index, in chunk order; indexes it does not hold are left
   * out. Previews use it (the hit and its neighbours); an index without it cannot show previews.
   */
  readChunks?(
    sourcePath: string,
    chunkIndexes: readonly number[],
    options?: CallOptions,
  ): Promise<StoredChunk[]>;
  count(options?: CallOptions): Promise<number>;
  close(): Promise<void>;
}
