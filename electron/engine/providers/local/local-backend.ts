import path from 'node:path';
import type { Backend } from '../../backend';
import { openLanceDbIndex } from './lancedb-index';
import { createLocalExtractor } from './local-extractor';

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
    close: () => index.close(),
  };
}
