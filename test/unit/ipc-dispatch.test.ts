import { describe, expect, it } from 'vitest';
import { CALL_NAMES, callChannel } from '../../electron/contract/call-names';
import { QuarryError } from '../../electron/contract/errors';
import { dispatchCall } from '../../electron/engine/transport/dispatch';
import { externalUrlToOpen } from '../../electron/main/external-url';
import { type IpcHandlerRegistry, registerCalls } from '../../electron/main/ipc/register-calls';
import { isTrustedSender, type TrustedRenderer } from '../../electron/main/ipc/sender-check';
import { createFakeEngine } from '../helpers/fake-engine';

describe('dispatchCall', () => {
  it('hands the parsed input (defaults applied, whitespace trimmed) to the handler', async () => {
    const engine = createFakeEngine();
    const result = await dispatchCall(engine.handlers, 'search', { query: '  lanterns  ' });
    expect(result).toEqual({
      ok: true,
      value: { mode: 'keyword', results: [], notice: 'searched "lanterns" top 10' },
    });
    expect(engine.calls).toEqual([{ name: 'search', input: { query: 'lanterns', mode: 'hybrid', top: 10 } }]);
  });

  it('rejects invalid input with invalid_input naming the bad field, without calling the handler', async () => {
    const engine = createFakeEngine();
    const result = await dispatchCall(engine.handlers, 'search', { query: 'x', top: 5000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.retryable).toBe(false);
    expect(result.error.message).toContain('top:');
    expect(engine.calls).toEqual([]);
  });

  it('names nested fields and rejects unknown keys on empty inputs', async () => {
    const engine = createFakeEngine();
    const nested = await dispatchCall(engine.handlers, 'startIngest', {
      sources: [{ kind: 'path', path: '' }],
    });
    expect(nested.ok ? null : nested.error.message).toContain('sources.0.path');
    const extra = await dispatchCall(engine.handlers, 'getSnapshot', { sneaky: true });
    expect(extra.ok ? null : extra.error.code).toBe('invalid_input');
    const missing = await dispatchCall(engine.handlers, 'cancelJob', undefined);
    expect(missing.ok ? null : missing.error.message).toContain('(input)');
    expect(engine.calls).toEqual([]);
  });

  it('serialises a QuarryError thrown by the handler with its own code', async () => {
    const engine = createFakeEngine({
      cancelJob: async () => {
        throw new QuarryError('rate_limited', 'Slow down', { requestId: 'req-7', reason: 'tpm' });
      },
    });
    const result = await dispatchCall(engine.handlers, 'cancelJob', { jobId: 'job-1' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        message: 'Slow down',
        retryable: true,
        requestId: 'req-7',
        reason: 'tpm',
      },
    });
  });

  it('turns a plain Error into a service error instead of throwing it', async () => {
    const engine = createFakeEngine({
      getSettings: async () => {
        throw new Error('disk on fire');
      },
    });
    const result = await dispatchCall(engine.handlers, 'getSettings', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'service', message: 'disk on fire', retryable: false },
    });
  });

  it('does not call the handler once the caller has gone away', async () => {
    const engine = createFakeEngine();
    const controller = new AbortController();
    controller.abort();
    const result = await dispatchCall(engine.handlers, 'getSnapshot', {}, { abortSignal: controller.signal });
    expect(result.ok ? null : result.error.code).toBe('cancelled');
    expect(engine.calls).toEqual([]);
  });
});

describe('isTrustedSender', () => {
  const trusted: TrustedRenderer = {
    webContentsId: 3,
    indexUrl: 'file:///opt/Quarry/resources/app.asar/dist/renderer/index.html',
  };
  const ours = { webContentsId: 3, frameUrl: trusted.indexUrl, isMainFrame: true };

  it('accepts the main frame of our window showing our renderer page (query and hash ignored)', () => {
    expect(isTrustedSender(ours, trusted)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: `${trusted.indexUrl}?x=1#/search` }, trusted)).toBe(true);
  });

  it('rejects other windows, subframes, other pages and other schemes', () => {
    expect(isTrustedSender({ ...ours, webContentsId: 4 }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: null }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///tmp/evil/index.html' }, trusted)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://example.com/index.html' }, trusted)).toBe(false);
    expect(
      isTrustedSender(
        { ...ours, frameUrl: 'file:///opt/Quarry/resources/app.asar/dist/renderer/../x.html' },
        trusted,
      ),
    ).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'not a url' }, trusted)).toBe(false);
    expect(isTrustedSender(ours, null)).toBe(false);
  });
});

describe('externalUrlToOpen', () => {
  it('passes plain http(s) links and refuses everything else', () => {
    expect(externalUrlToOpen('https://learn.microsoft.com/azure')).toBe('https://learn.microsoft.com/azure');
    expect(externalUrlToOpen('http://example.com')).toBe('http://example.com/');
    expect(externalUrlToOpen('file:///etc/passwd')).toBeNull();
    expect(externalUrlToOpen('javascript:alert(1)')).toBeNull();
    expect(externalUrlToOpen('ms-msdt:/id PCWDiagnostic')).toBeNull();
    expect(externalUrlToOpen('https://user:pw@example.com/')).toBeNull();
    expect(externalUrlToOpen('no scheme')).toBeNull();
  });
});

/** Stands in for ipcMain: keeps the registered listeners so a test can invoke them like a renderer. */
function fakeIpcMain() {
  const listeners = new Map<
    string,
    (event: { fromOurWindow: boolean }, input: unknown) => Promise<unknown>
  >();
  const registry: IpcHandlerRegistry<{ fromOurWindow: boolean }> = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
    removeHandler(channel) {
      listeners.delete(channel);
    },
  };
  const invoke = (channel: string, event: { fromOurWindow: boolean }, input: unknown) => {
    const listener = listeners.get(channel);
    if (listener === undefined) throw new Error(`no handler for ${channel}`);
    return listener(event, input);
  };
  return { registry, listeners, invoke };
}

describe('registerCalls', () => {
  it('registers one channel per contract call and removes them all again', () => {
    const ipc = fakeIpcMain();
    const unregister = registerCalls({
      ipcMain: ipc.registry,
      handlers: createFakeEngine().handlers,
      isTrustedSender: (event) => event.fromOurWindow,
    });
    expect([...ipc.listeners.keys()].sort()).toEqual(CALL_NAMES.map((name) => callChannel(name)).sort());
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });

  it('validates and dispatches calls from our window and refuses everyone else', async () => {
    const ipc = fakeIpcMain();
    const engine = createFakeEngine();
    registerCalls({
      ipcMain: ipc.registry,
      handlers: engine.handlers,
      isTrustedSender: (event) => event.fromOurWindow,
    });

    expect(await ipc.invoke('quarry:cancelJob', { fromOurWindow: true }, { jobId: 'job-2' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    const invalid = await ipc.invoke('quarry:cancelJob', { fromOurWindow: true }, { jobId: 42 });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const refused = await ipc.invoke('quarry:getSettings', { fromOurWindow: false }, {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth' } });
    expect(engine.calls).toEqual([{ name: 'cancelJob', input: { jobId: 'job-2' } }]);
  });
});
