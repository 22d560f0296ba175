import os from 'node:os';
import path from 'node:path';

/**
 * The default data folder, shared by the app and the CLI so both see the same index. It matches
 * where Electron puts `userData` for an app named Quarry; QUARRY_DATA_DIR overrides it.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.QUARRY_DATA_DIR?.trim()) return path.resolve(env.QUARRY_DATA_DIR.trim());
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Quarry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Quarry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Quarry');
}
