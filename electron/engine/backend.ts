import type { BackendKind } from '../contract';
import type { Answerer } from './answer/answerer';
import type { CallOptions, Chunk, Embedder, ExtractedDocument, SearchIndex, SourceFile } from './types';

/** Reads a file into pages and blocks; the local and Azure backends each provide one. */
export interface DocumentExtractor {
  extract(file: SourceFile, options?: CallOptions): Promise<ExtractedDocument>;
}

/** What the pipeline needs from a backend; it never sees which one it is talking to. */
export interface Backend {
  readonly kind: BackendKind;
  readonly extractor: DocumentExtractor;
  readonly index: SearchIndex;
  /** Null when no embedding model is available: keyword search only. */
  readonly embedder: Embedder | null;
  /** Why semantic search is off, for the UI and CLI; null when it is on. */
  readonly semanticUnavailableReason: string | null;
  /**
   * Key under which a file's extraction is cached (with its content hash), naming the extractor
   * and its version; null when re-reading the file is cheaper than caching it (plain text).
   */
  extractionCacheKey(file: SourceFile): string | null;
  /** The chat model that answers questions (`ask`); null or absent when none is configured. */
  readonly answerer?: Answerer | null;
  /** Why there is no answerer and how to add one; null when there is one. */
  readonly answerUnavailableReason?: string | null;
  /** Files in flight at once; remote backends want many, since their limiters do the pacing. */
  readonly fileConcurrency?: number;
  close(): Promise<void>;
}

export type ChunkFn = (
  doc: ExtractedDocument,
  options: { sourcePath: string; contentHash: string },
) => Chunk[];
