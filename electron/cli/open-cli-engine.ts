import path from 'node:path';
import { type Engine, openEngine } from '../engine/engine';
import { defaultDataDir } from '../engine/settings/data-dir';
import { openKeychainSecretStore } from '../engine/settings/keychain-secret-store';

/**
 * Opens the engine for a CLI command; `--data-dir` wins over QUARRY_DATA_DIR and the default.
 * Keys set through `quarry serve` go to the OS keychain (memory only where there is none).
 */
export async function openCliEngine(options: {
  dataDir?: string;
  resumeInterruptedJobs?: boolean;
  /** Fetch a missing embedding model in the background (`quarry serve`; one-shot commands do not). */
  downloadEmbeddingModel?: boolean;
}): Promise<Engine> {
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  const secretStore = await openKeychainSecretStore({ scope: dataDir });
  return openEngine({
    dataDir,
    secretStore,
    eventFlushIntervalInMs: 100,
    resumeInterruptedJobs: options.resumeInterruptedJobs ?? false,
    downloadEmbeddingModel: options.downloadEmbeddingModel ?? false,
  });
}
