import path from 'node:path';
import type { Backend } from '../../backend';
import { openLanceDbIndex } from './lancedb-index';
import { createLocalExtractor } from './local-extractor';

/** Bump when local extraction output changes, so cached extractions are not reused. */
const LOCAL_EXTRACTOR_VERSION = 'local-v1';
/** Formats worth caching: parsing them costs far more than reading a cached result. */
const CACHED_LOCAL_TYPES = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
]);

export const NO_EMBEDDER_REASON =
  'no local embedding model is installed, so semantic search is off (keyword search works).';

/** The embedded backend: local extraction and a LanceDB index in the data dir. */
export async function openLocalBackend(options: { dataDir: string }): Promise<Backend> {
  const index = await openLanceDbIndex({ dir: path.join(options.dataDir, 'index') });
  return {
    kind: 'local',
    extractor: createLocalExtractor(),
    index,
    embedder: null,
    semanticUnavailableReason: NO_EMBEDDER_REASON,
    extractionCacheKey: (file) => (CACHED_LOCAL_TYPES.has(file.mimeType) ? LOCAL_EXTRACTOR_VERSION : null),
    close: () => index.close(),
  };
}
