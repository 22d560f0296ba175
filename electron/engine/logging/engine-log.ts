/** The engine's log file in its data folder: `<dataDir>/logs/quarry.log`, keys from env scrubbed. */
import path from 'node:path';
import { secretsFromEnv } from './env-secrets';
import { openLogFile } from './log-file';
import type { EngineLogFile } from './types';

export function openEngineLog(dataDir: string, env: NodeJS.ProcessEnv): EngineLogFile {
  return openLogFile({ directory: path.join(dataDir, 'logs'), secrets: secretsFromEnv(env) });
}
