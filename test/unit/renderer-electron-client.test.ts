import { describe, expect, it } from 'vitest';
import type { CallResult, EngineEvent, QuarryBridge } from '../../electron/contract/api';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import { createElectronClient } from '../../renderer/src/api/electron-client';
import { emptyEstimate, jobSnapshot, previewOf, publicSettings, snapshotOf } from './renderer-fakes';

function fakeBridge(
  overrides: Partial<QuarryBridge> = {},
): QuarryBridge & { listeners: Set<(e: EngineEvent) => void> } {
  const listeners = new Set<(event: EngineEvent) => void>();
  const ok = <T>(value: T): Promise<CallResult<T>> => Promise.resolve({ ok: true, value });
  return {
    listeners,
    startIngest: () => ok({ jobId: 'job-1' }),
    cancelJob: () => ok({ cancelled: true }),
    pauseJob: () => ok({ changed: true }),
    resumeJob: () => ok({ changed: true }),
    retryFailed: () => ok({ retried: 0 }),
    getSnapshot: () => ok(snapshotOf([])),
    search: () => ok({ mode: 'keyword', results: [], notice: null }),
    getSettings: () => ok(publicSettings),
    updateSettings: () => ok(publicSettings),
    getPreview: (input) => ok(previewOf(input.sourcePath, input.chunkIndex)),
    locateIndexedFile: (input) => ok({ path: `/indexed/${input.sourcePath}` }),
    estimateIngest: () => ok(emptyEstimate),
    testConnection: (input) =>
      ok({ service: input.service, ok: true, latencyInMs: 3, message: 'ok', error: null }),
    ask: () => ok({ askId: 'ask-1' }),
    stopAnswer: () => ok({ stopped: true }),
    openPath: () => ok({ opened: true }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pathForFile: (file) => (file.name === 'on-disk.pdf' ? '/home/me/on-disk.pdf' : ''),
    ...overrides,
  };
}

describe('Electron client', () => {
  it('unwraps successful envelopes and passes inputs through', async () => {
    let seenInput: unknown = null;
    const client = createElectronClient(
      fakeBridge({
        startIngest: async (input) => {
          seenInput = input;
          return { ok: true, value: { jobId: 'job-7' } };
        },
      }),
    );
    await expect(client.startIngest({ sources: [{ kind: 'path', path: '/a' }] })).resolves.toEqual({
      jobId: 'job-7',
    });
    expect(seenInput).toEqual({ sources: [{ kind: 'path', path: '/a' }] });
    await expect(client.getSettings({})).resolves.toEqual(publicSettings);
  });

  it('throws a QuarryCallError with the code of an error envelope', async () => {
    const error = { code: 'auth' as const, message: 'Key rejected', retryable: false, requestId: 'req-1' };
    const client = createElectronClient(fakeBridge({ search: async () => ({ ok: false, error }) }));
    const thrown = await client.search({ query: 'x' }).catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(QuarryCallError);
    expect((thrown as QuarryCallError).code).toBe('auth');
    expect((thrown as QuarryCallError).info).toEqual(error);
  });

  it('passes events and dropped-file paths through from the preload', () => {
    const bridge = fakeBridge();
    const client = createElectronClient(bridge);
    const seen: EngineEvent[] = [];
    const stop = client.onEvent((event) => seen.push(event));
    const event: EngineEvent = { type: 'job.started', job: jobSnapshot('job-1') };
    for (const listener of bridge.listeners) listener(event);
    stop();
    expect(seen).toEqual([event]);
    expect(bridge.listeners.size).toBe(0);

    expect(client.transport).toBe('electron');
    expect(client.connectionState()).toBe('open');
    expect(client.pathForFile?.(new File([], 'on-disk.pdf'))).toBe('/home/me/on-disk.pdf');
  });
});
