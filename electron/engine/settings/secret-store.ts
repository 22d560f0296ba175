import type { SecretStorageInfo } from '../../contract';

/** Where API keys live. Electron uses safeStorage; the CLI and browser host use the OS keychain or env. */
export interface SecretStore {
  /** Where the keys end up, for the settings form; stores without it are taken as memory-only. */
  readonly storage?: SecretStorageInfo;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** Secrets held in memory only (tests, env-configured CLI runs): nothing reaches disk. */
export class MemorySecretStore implements SecretStore {
  readonly storage: SecretStorageInfo;
  private readonly values = new Map<string, string>();
  /** `detail` says why keys stay in memory (e.g. no OS keychain on this machine). */
  constructor(detail = MEMORY_ONLY_DETAIL) {
    this.storage = { kind: 'memory', persistent: false, detail };
  }
  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
}

export const MEMORY_ONLY_DETAIL =
  'Keys are kept in memory only and forgotten when Quarry stops; they are never written to disk.';

export function secretStorageInfo(store: SecretStore): SecretStorageInfo {
  return store.storage ?? { kind: 'memory', persistent: false, detail: MEMORY_ONLY_DETAIL };
}
