import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { QuarryError } from '../contract/errors';
import type { SecretStorageInfo } from '../contract/model';
import type { SecretStore } from '../engine/settings/secret-store';

/** The part of Electron's `safeStorage` this store uses (injected, so the store runs in Node tests too). */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export interface SafeStorageSecretStoreOptions {
  /** JSON file holding base64 ciphertexts, e.g. `<userData>/secrets.json`. */
  filePath: string;
  safeStorage: SafeStorageLike;
  /** `process.platform`; on Linux the 'basic_text' backend (a hard-coded key) is refused. */
  platform: NodeJS.Platform;
}

interface SecretsFile {
  version: 1;
  /** name -> base64 of safeStorage ciphertext. Plain text never reaches this file. */
  entries: Record<string, string>;
}

/**
 * API keys encrypted with the OS keychain through Electron `safeStorage`; only ciphertext is
 * written to disk. Refuses to store anything when real encryption is unavailable rather than
 * falling back to plain text.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly storage: SecretStorageInfo = {
    kind: 'safe-storage',
    persistent: true,
    detail:
      "Keys are encrypted with this computer's keychain (Electron safeStorage); only ciphertext is written.",
  };
  private readonly options: SafeStorageSecretStoreOptions;
  /** Serialises read-modify-write cycles so concurrent `set`s do not lose each other. */
  private writes: Promise<void> = Promise.resolve();

  constructor(options: SafeStorageSecretStoreOptions) {
    this.options = options;
  }

  async get(name: string): Promise<string | null> {
    await this.writes;
    const encoded = (await this.readFile()).entries[name];
    if (encoded === undefined) return null;
    this.assertEncryptionAvailable('read');
    try {
      return this.options.safeStorage.decryptString(Buffer.from(encoded, 'base64'));
    } catch (error) {
      throw new QuarryError('auth', `The stored key "${name}" cannot be decrypted; enter it again.`, {
        reason: 'secret_undecryptable',
        cause: error,
      });
    }
  }

  async set(name: string, value: string): Promise<void> {
    this.assertEncryptionAvailable('store');
    const ciphertext = this.options.safeStorage.encryptString(value).toString('base64');
    await this.update((entries) => {
      entries[name] = ciphertext;
    });
  }

  async delete(name: string): Promise<void> {
    await this.update((entries) => {
      delete entries[name];
    });
  }

  private assertEncryptionAvailable(action: 'store' | 'read'): void {
    const { safeStorage, platform } = this.options;
    const available =
      safeStorage.isEncryptionAvailable() &&
      (platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
    if (!available) {
      throw new QuarryError(
        'unsupported',
        `Cannot ${action} API keys: no OS secret storage is available (on Linux install and unlock a ` +
          'keyring such as GNOME Keyring or KWallet). Keys are never kept in plain text; set them ' +
          'through environment variables instead.',
        { reason: 'secret_storage_unavailable' },
      );
    }
  }

  private update(change: (entries: Record<string, string>) => void): Promise<void> {
    const next = this.writes.then(async () => {
      const file = await this.readFile();
      change(file.entries);
      await this.writeFileAtomically(file);
    });
    // Keep the chain alive after a failure; the caller still sees the rejection through `next`.
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async readFile(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(this.options.filePath, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return { version: 1, entries: {} };
      throw error;
    }
    const parsed = parseJson(text);
    if (!isSecretsFile(parsed)) {
      throw new QuarryError(
        'service',
        `The secrets file ${this.options.filePath} is not in the expected format.`,
        {
          reason: 'secrets_file_corrupt',
        },
      );
    }
    return parsed;
  }

  private async writeFileAtomically(file: SecretsFile): Promise<void> {
    const { filePath } = this.options;
    await mkdir(dirname(filePath), { recursive: true });
    const temporaryPath = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporaryPath, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temporaryPath, filePath);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function isSecretsFile(value: unknown): value is SecretsFile {
  if (typeof value !== 'object' || value === null) return false;
  if (!('version' in value) || value.version !== 1) return false;
  if (!('entries' in value) || typeof value.entries !== 'object' || value.entries === null) return false;
  return Object.values(value.entries).every((entry) => typeof entry === 'string');
}
