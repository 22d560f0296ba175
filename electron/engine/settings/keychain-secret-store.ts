/**
 * API keys in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux) through @napi-rs/keyring, for the hosts without Electron: the CLI and `quarry serve`.
 * Where no keychain answers (headless Linux has no Secret Service), keys stay in memory only and
 * the settings form says so; they are never written in plain text.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { QuarryError, type SecretStorageInfo } from '../../contract';
import { MemorySecretStore, type SecretStore } from './secret-store';

/** One keychain item (the part of @napi-rs/keyring's AsyncEntry used here; injectable for tests). */
export interface KeychainEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  deletePassword(): Promise<boolean>;
}

export type KeychainEntryFactory = (service: string, account: string) => KeychainEntry;

export interface KeychainOptions {
  /** The keychain "service" the items are filed under. */
  service?: string;
  /** Keeps each data folder's keys apart (account names become `<name>@<scope>`); the data folder. */
  scope: string;
  createEntry?: KeychainEntryFactory;
}

const DEFAULT_SERVICE = 'Quarry';
const PROBE_ACCOUNT = 'quarry.keychain-probe';

const defaultEntry: KeychainEntryFactory = (service, account) => new AsyncEntry(service, account);

export class KeychainSecretStore implements SecretStore {
  readonly storage: SecretStorageInfo = {
    kind: 'os-keychain',
    persistent: true,
    detail: "Keys are stored in this computer's keychain, never in plain text.",
  };

  constructor(
    private readonly service: string,
    private readonly scope: string,
    private readonly createEntry: KeychainEntryFactory,
  ) {}

  async get(name: string): Promise<string | null> {
    return this.guard('read', () => this.entry(name).getPassword());
  }

  async set(name: string, value: string): Promise<void> {
    await this.guard('store', () => this.entry(name).setPassword(value));
  }

  async delete(name: string): Promise<void> {
    await this.guard('delete', () => this.entry(name).deletePassword());
  }

  private entry(name: string): KeychainEntry {
    return this.createEntry(this.service, `${name}@${this.scope}`);
  }

  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new QuarryError(
        'unsupported',
        `Cannot ${action} the API key in the OS keychain; unlock it and try again.`,
        {
          reason: 'secret_storage_unavailable',
          cause: error,
        },
      );
    }
  }
}

/**
 * The keychain store when a keychain answers a harmless read, else a memory-only store whose
 * `storage.detail` tells the person why.
 */
export async function openKeychainSecretStore(options: KeychainOptions): Promise<SecretStore> {
  const service = options.service ?? DEFAULT_SERVICE;
  const createEntry = options.createEntry ?? defaultEntry;
  try {
    // A read alone is not proof: some keyrings answer reads of missing items but refuse every
    // write (seen on headless Linux with kernel keyutils). Write, read back and delete a probe.
    const probe = createEntry(service, `${PROBE_ACCOUNT}@${options.scope}`);
    const value = `probe-${process.pid}-${Date.now()}`;
    await probe.setPassword(value);
    const readBack = await probe.getPassword();
    await probe.deletePassword();
    if (readBack !== value) throw new Error('keychain did not return what was stored');
  } catch {
    return new MemorySecretStore(
      'No OS keychain is available here (on Linux a Secret Service such as GNOME Keyring must be running), ' +
        'so keys are kept in memory only and forgotten when Quarry stops. They are never written to disk; ' +
        'set the AZURE_* environment variables to keep them.',
    );
  }
  return new KeychainSecretStore(service, options.scope, createEntry);
}
