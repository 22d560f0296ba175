import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeUpload } from '../../electron/engine/pipeline/uploads';
import { highlightRects, type PageTextItem } from '../../electron/engine/search/pdf-highlight-rects';
import { regionRects } from '../../electron/engine/search/region-rects';
import {
  type KeychainEntry,
  KeychainSecretStore,
  openKeychainSecretStore,
} from '../../electron/engine/settings/keychain-secret-store';
import { MemorySecretStore } from '../../electron/engine/settings/secret-store';
import { SettingsStore } from '../../electron/engine/settings/settings-store';
import type { IpcHandlerRegistry } from '../../electron/main/ipc/register-calls';
import { registerOpenPath } from '../../electron/main/open-path';
import { createFakeEngine } from '../helpers/fake-engine';

/** pdf.js's viewport for a US Letter page at scale 2: y flips, origin at the top left. */
const VIEWPORT = { transform: [2, 0, 0, -2, 0, 1584], width: 1224, height: 1584 };

const item = (str: string, x: number, y: number, width: number): PageTextItem => ({
  str,
  transform: [11, 0, 0, 11, x, y],
  width,
  height: 11,
});

describe('PDF highlight rectangles', () => {
  const items = [
    item('Intro line on the page.', 72, 720, 120),
    item('The vorpaline glossary entry.', 72, 693, 150),
  ];

  it('boxes each query term where its characters sit on the line, as fractions of the page', () => {
    const rects = highlightRects(items, VIEWPORT, { query: 'vorpaline' });
    expect(rects).toHaveLength(1);
    const [rect] = rects;
    const text = 'The vorpaline glossary entry.';
    const start = 72 + (150 * text.indexOf('vorpaline')) / text.length;
    const end = 72 + (150 * (text.indexOf('vorpaline') + 'vorpaline'.length)) / text.length;
    expect(rect!.x).toBeCloseTo(start / 612, 5);
    expect(rect!.x + rect!.width).toBeCloseTo(end / 612, 5);
    // From a little below the baseline up to the font size above it.
    expect(rect!.y).toBeCloseTo((792 - (693 + 11)) / 792, 5);
    expect(rect!.y + rect!.height).toBeGreaterThan((792 - 693) / 792);
  });

  it('falls back to outlining the chunk lines when no query term is on the page', () => {
    const rects = highlightRects(items, VIEWPORT, {
      query: 'absent',
      chunkText: 'The vorpaline glossary entry. More.',
    });
    expect(rects).toHaveLength(1);
    expect(rects[0]!.y).toBeCloseTo((792 - (693 + 11)) / 792, 5);
    expect(highlightRects(items, VIEWPORT, { query: 'absent' })).toEqual([]);
  });

  it('turns stored polygons of a page into rectangles, ignoring other pages', () => {
    const rects = regionRects(
      [
        { page: 2, polygon: [1, 1, 4.25, 1, 4.25, 1.5, 1, 1.5] },
        { page: 3, polygon: [0, 0, 1, 0, 1, 1, 0, 1] },
      ],
      2,
      { width: 8.5, height: 11 },
    );
    expect(rects).toEqual([{ x: 1 / 8.5, y: 1 / 11, width: 3.25 / 8.5, height: 0.5 / 11 }]);
    expect(regionRects(null, 1, { width: 1, height: 1 })).toEqual([]);
  });
});

class FakeKeychain {
  readonly items = new Map<string, string>();
  writable = true;
  entry = (service: string, account: string): KeychainEntry => {
    const id = `${service}/${account}`;
    return {
      getPassword: async () => this.items.get(id) ?? null,
      setPassword: async (value) => {
        if (!this.writable) throw new Error('AccessDenied');
        this.items.set(id, value);
      },
      deletePassword: async () => this.items.delete(id),
    };
  };
}

describe('keychain secret store', () => {
  it('keeps keys in the keychain, per data folder, and says so', async () => {
    const keychain = new FakeKeychain();
    const store = await openKeychainSecretStore({ scope: '/data/a', createEntry: keychain.entry });
    expect(store).toBeInstanceOf(KeychainSecretStore);
    expect(store.storage).toMatchObject({ kind: 'os-keychain', persistent: true });
    await store.set('azure.openai.key', 'k1');
    expect([...keychain.items.keys()]).toEqual(['Quarry/azure.openai.key@/data/a']);
    const other = await openKeychainSecretStore({ scope: '/data/b', createEntry: keychain.entry });
    expect(await other.get('azure.openai.key')).toBeNull();
    expect(await store.get('azure.openai.key')).toBe('k1');
    await store.delete('azure.openai.key');
    expect(keychain.items.size).toBe(0);
  });

  it('falls back to memory only, with the reason, when the keychain refuses writes', async () => {
    const keychain = new FakeKeychain();
    keychain.writable = false;
    const store = await openKeychainSecretStore({ scope: '/data/a', createEntry: keychain.entry });
    expect(store).toBeInstanceOf(MemorySecretStore);
    expect(store.storage).toMatchObject({ kind: 'memory', persistent: false });
    expect(store.storage?.detail).toMatch(/memory only/);
    await store.set('azure.search.key', 'k2');
    expect(await store.get('azure.search.key')).toBe('k2');
    expect(keychain.items.size).toBe(0);
  });
});

describe('settings: api-versions, limits and where keys are kept', () => {
  it('stores api-versions and per-service limits, merges patches and resets with null', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-settings-ui-'));
    const store = await SettingsStore.open(dir, new MemorySecretStore(), {});
    let settings = await store.update({
      azure: {
        chatDeployment: 'gpt-4o-mini',
        apiVersions: { search: '2024-07-01' },
        limits: { openai: { tokensPerMinute: 120_000, maxConcurrency: 8 } },
      },
    });
    settings = await store.update({
      azure: { limits: { openai: { maxConcurrency: null, requestsPerSecond: 5 } } },
    });
    expect(settings.azure.chatDeployment).toBe('gpt-4o-mini');
    expect(settings.azure.apiVersions).toEqual({
      openai: '',
      documentIntelligence: '',
      vision: '',
      search: '2024-07-01',
    });
    expect(settings.azure.limits.openai).toEqual({
      requestsPerSecond: 5,
      tokensPerMinute: 120_000,
      maxConcurrency: null,
    });
    expect(settings.azure.limits.search).toEqual({
      requestsPerSecond: null,
      tokensPerMinute: null,
      maxConcurrency: null,
    });
    expect(settings.secretStorage.kind).toBe('memory');

    const reopened = await SettingsStore.open(dir, new MemorySecretStore(), {
      AZURE_SEARCH_API_VERSION: '2025-09-01',
    });
    const again = await reopened.publicSettings();
    expect(again.azure.limits.openai.tokensPerMinute).toBe(120_000);
    expect(again.azure.apiVersions.search).toBe('2025-09-01');
  });
});

class FakeIpcMain implements IpcHandlerRegistry<{ trusted: boolean }> {
  readonly handlers = new Map<string, (event: { trusted: boolean }, input: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: { trusted: boolean }, input: unknown) => Promise<unknown>): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

describe('Electron "Open file"', () => {
  function setup(openResult = '') {
    const ipcMain = new FakeIpcMain();
    const opened: string[] = [];
    const engine = createFakeEngine({
      locateIndexedFile: async ({ sourcePath }) => {
        if (sourcePath !== '/docs/report.pdf') throw new Error('not indexed');
        return { path: '/docs/report.pdf' };
      },
    });
    registerOpenPath({
      ipcMain,
      handlers: engine.handlers,
      isTrustedSender: (event) => event.trusted,
      openPath: async (target) => {
        opened.push(target);
        return openResult;
      },
    });
    const call = (input: unknown, trusted = true) =>
      ipcMain.handlers.get('quarry:openPath')!({ trusted }, input);
    return { call, opened };
  }

  it('opens only files the engine resolves from the index, for our own window only', async () => {
    const { call, opened } = setup();
    await expect(call({ sourcePath: '/docs/report.pdf' })).resolves.toEqual({
      ok: true,
      value: { opened: true },
    });
    await expect(call({ sourcePath: '/etc/passwd' })).resolves.toMatchObject({ ok: false });
    await expect(call({ sourcePath: 42 })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await expect(call({ sourcePath: '/docs/report.pdf' }, false)).resolves.toMatchObject({
      ok: false,
      error: { code: 'auth' },
    });
    expect(opened).toEqual(['/docs/report.pdf']);
  });

  it('reports what the shell said when it could not open the file', async () => {
    const { call } = setup('No application is associated with this file');
    await expect(call({ sourcePath: '/docs/report.pdf' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'unsupported', reason: 'open_failed' },
    });
  });
});

describe('browser uploads keep their modification time', () => {
  it('stamps the stored copy with the dropped file’s lastModified, for date filters', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-upload-time-'));
    const lastModified = Date.UTC(2023, 6, 14, 12, 0, 0);
    const stored = await storeUpload(dir, 'job-1', {
      name: 'notes/a.txt',
      dataBase64: Buffer.from('hello').toString('base64'),
      lastModified,
    });
    expect(Math.round((await stat(stored.diskPath)).mtimeMs)).toBe(lastModified);
  });
});
