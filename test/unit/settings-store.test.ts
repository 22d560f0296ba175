import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { defaultDataDir } from '../../electron/engine/settings/data-dir';
import { MemorySecretStore } from '../../electron/engine/settings/secret-store';
import { assertSafeEndpoint, SettingsStore } from '../../electron/engine/settings/settings-store';

const tempDir = () => mkdtemp(path.join(os.tmpdir(), 'quarry-settings-'));

describe('SettingsStore', () => {
  it('defaults to the local backend and reports keys only as set or not', async () => {
    const dir = await tempDir();
    const secrets = new MemorySecretStore();
    const store = await SettingsStore.open(dir, secrets, {});
    expect((await store.publicSettings()).backend).toBe('local');
    const updated = await store.update({
      azure: { searchEndpoint: 'https://x.search.windows.net', keys: { search: 's3cret' } },
    });
    expect(updated.azure.keysSet.search).toBe(true);
    expect(JSON.stringify(updated)).not.toContain('s3cret');
    expect(await readFile(path.join(dir, 'settings.json'), 'utf8')).not.toContain('s3cret');
    expect(await secrets.get('azure.search.key')).toBe('s3cret');
    const cleared = await store.update({ azure: { keys: { search: '' } } });
    expect(cleared.azure.keysSet.search).toBe(false);
  });

  it('persists across reopen and lets the environment override endpoints', async () => {
    const dir = await tempDir();
    const store = await SettingsStore.open(dir, new MemorySecretStore(), {});
    await store.update({ concurrency: 7, azure: { searchIndex: 'from-file' } });
    const reopened = await SettingsStore.open(dir, new MemorySecretStore(), {
      AZURE_SEARCH_INDEX: 'from-env',
      AZURE_SEARCH_API_KEY: 'k',
    });
    const settings = await reopened.publicSettings();
    expect(settings.concurrency).toBe(7);
    expect(settings.azure.searchIndex).toBe('from-env');
    expect(settings.azure.keysSet.search).toBe(true);
  });

  it('accepts http only for loopback endpoints', () => {
    expect(() => assertSafeEndpoint('http://127.0.0.1:4010')).not.toThrow();
    expect(() => assertSafeEndpoint('https://contoso.openai.azure.com')).not.toThrow();
    expect(() => assertSafeEndpoint('http://contoso.openai.azure.com')).toThrow(QuarryError);
    expect(() => assertSafeEndpoint('not a url')).toThrow(QuarryError);
  });

  it('rejects a settings file that is not valid JSON with a clear error', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'settings.json'), '{oops');
    await expect(SettingsStore.open(dir, new MemorySecretStore(), {})).rejects.toThrow(/not valid JSON/);
  });

  it('puts the data dir where Electron keeps userData, unless QUARRY_DATA_DIR says otherwise', () => {
    expect(defaultDataDir({ QUARRY_DATA_DIR: '/tmp/q' }, 'linux')).toBe('/tmp/q');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Quarry');
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Quarry$/);
  });
});
