import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract/errors';
import { type SafeStorageLike, SafeStorageSecretStore } from '../../electron/main/safe-storage-secret-store';

/** Stands in for Electron's safeStorage: real AES-GCM under a key that lives only in memory. */
function fakeSafeStorage(
  state: { available: boolean; backend: ReturnType<SafeStorageLike['getSelectedStorageBackend']> } = {
    available: true,
    backend: 'gnome_libsecret',
  },
): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => state.available,
    getSelectedStorageBackend: () => state.backend,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('SafeStorageSecretStore', () => {
  let dir: string;
  let filePath: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'quarry-secrets-'));
    filePath = path.join(dir, 'nested', 'secrets.json');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores only ciphertext, reads it back, and deletes it', async () => {
    const store = new SafeStorageSecretStore({ filePath, safeStorage: fakeSafeStorage(), platform: 'linux' });
    expect(await store.get('openai')).toBeNull();
    await store.set('openai', 'sk-very-secret-value');
    const onDisk = await readFile(filePath, 'utf8');
    expect(onDisk).not.toContain('sk-very-secret-value');
    expect(onDisk).not.toContain(Buffer.from('sk-very-secret-value').toString('base64'));
    expect((await stat(filePath)).mode & 0o077).toBe(0);
    expect(await store.get('openai')).toBe('sk-very-secret-value');
    await store.delete('openai');
    expect(await store.get('openai')).toBeNull();
  });

  it('keeps every value when several are set at once', async () => {
    const store = new SafeStorageSecretStore({
      filePath,
      safeStorage: fakeSafeStorage(),
      platform: 'darwin',
    });
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.set(name, `value-${name}`)));
    expect(await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.get(name)))).toEqual([
      'value-a',
      'value-b',
      'value-c',
      'value-d',
    ]);
  });

  it('refuses to store when encryption is unavailable, or only the hard-coded Linux key is', async () => {
    for (const [state, platform] of [
      [{ available: false, backend: 'gnome_libsecret' }, 'win32'],
      [{ available: true, backend: 'basic_text' }, 'linux'],
    ] as const) {
      const store = new SafeStorageSecretStore({ filePath, safeStorage: fakeSafeStorage(state), platform });
      await expect(store.set('search', 'key')).rejects.toBeInstanceOf(QuarryError);
      await expect(store.set('search', 'key')).rejects.toMatchObject({
        code: 'unsupported',
        reason: 'secret_storage_unavailable',
      });
    }
    await expect(stat(filePath)).rejects.toThrow();
  });

  it('reports a ciphertext it cannot decrypt (e.g. a new OS keychain) as a QuarryError', async () => {
    await new SafeStorageSecretStore({ filePath, safeStorage: fakeSafeStorage(), platform: 'linux' }).set(
      'vision',
      'v',
    );
    const otherKey = new SafeStorageSecretStore({
      filePath,
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
    });
    await expect(otherKey.get('vision')).rejects.toMatchObject({
      code: 'auth',
      reason: 'secret_undecryptable',
    });
  });

  it('reports a damaged secrets file as a QuarryError', async () => {
    await writeFile(path.join(dir, 'secrets.json'), '{not json');
    const store = new SafeStorageSecretStore({
      filePath: path.join(dir, 'secrets.json'),
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
    });
    await expect(store.get('openai')).rejects.toMatchObject({
      code: 'service',
      reason: 'secrets_file_corrupt',
    });
  });
});
