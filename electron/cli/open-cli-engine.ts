import { type Engine, openEngine } from '../engine/engine';
import { defaultDataDir } from '../engine/settings/data-dir';

/** Opens the engine for a CLI command; `--data-dir` wins over QUARRY_DATA_DIR and the default. */
export function openCliEngine(options: { dataDir?: string }): Promise<Engine> {
  return openEngine({ dataDir: options.dataDir ?? defaultDataDir(), eventFlushIntervalInMs: 100 });
}
