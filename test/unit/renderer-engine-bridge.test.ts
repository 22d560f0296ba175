import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, Snapshot } from '../../electron/contract/api';
import type { ConnectionState } from '../../renderer/src/api/quarry-client';
import { type BridgeTarget, startEngineBridge } from '../../renderer/src/bridge/engine-bridge';
import { createAppStores } from '../../renderer/src/stores/app-stores';
import { deferred, FakeApi, fileSnapshot, fileUpdate, snapshotOf } from './renderer-fakes';

type Step = { kind: 'snapshot'; files: string[] } | { kind: 'events'; types: string[]; replay: boolean };

/** A target that records what it was given, in order. */
function recordingTarget(): BridgeTarget & { steps: Step[] } {
  const steps: Step[] = [];
  return {
    steps,
    applySnapshot: (snapshot) => steps.push({ kind: 'snapshot', files: snapshot.files.map((f) => f.fileId) }),
    applyEvents: (events, options) =>
      steps.push({ kind: 'events', types: events.map((e) => e.type), replay: options?.replay ?? false }),
  };
}

const added = (id: string): EngineEvent => ({
  type: 'files.added',
  jobId: 'job-1',
  files: [fileSnapshot(id)],
});

/** A scheduler the test flushes by hand. */
function manualScheduler() {
  const queued: Array<() => void> = [];
  return {
    scheduleFlush: (flush: () => void) => queued.push(flush),
    runAll: () => {
      for (const flush of queued.splice(0)) flush();
    },
  };
}

describe('engine bridge', () => {
  afterEach(() => vi.useRealTimers());

  it('subscribes before asking for the snapshot, and applies events from meanwhile after it', async () => {
    const api = new FakeApi();
    const snapshot = deferred<Snapshot>();
    api.snapshot = () => snapshot.promise;
    const target = recordingTarget();
    const onSynced = vi.fn();
    const scheduler = manualScheduler();

    startEngineBridge(api, target, { onSynced, scheduleFlush: scheduler.scheduleFlush });
    expect(api.calls.map((c) => c.name)).toEqual(['onEvent', 'getSnapshot']);

    api.emit(added('early-1'));
    api.emit(added('early-2'));
    expect(target.steps).toEqual([]); // nothing before the snapshot
    snapshot.resolve(snapshotOf([fileSnapshot('s1')]));
    await vi.waitFor(() => expect(onSynced).toHaveBeenCalledTimes(1));

    api.emit(added('live-1'));
    api.emit(added('live-2'));
    expect(target.steps).toHaveLength(2); // live events wait for the batch flush
    scheduler.runAll();

    expect(target.steps).toEqual([
      { kind: 'snapshot', files: ['s1'] },
      { kind: 'events', types: ['files.added', 'files.added'], replay: true },
      { kind: 'events', types: ['files.added', 'files.added'], replay: false },
    ]);
  });

  it('loses no file and moves none backwards across the snapshot boundary', async () => {
    const api = new FakeApi();
    const snapshot = deferred<Snapshot>();
    api.snapshot = () => snapshot.promise;
    const stores = createAppStores(api);
    const scheduler = manualScheduler();
    startEngineBridge(api, stores, { scheduleFlush: scheduler.scheduleFlush });

    // Sent before the engine took the snapshot: already reflected in it (a is done there).
    api.emit({ type: 'files.updated', jobId: 'job-1', files: [fileUpdate('a', { status: 'running' })] });
    // Sent after the snapshot was taken but before it arrived: only known from this event.
    api.emit(added('b'));
    snapshot.resolve(snapshotOf([fileSnapshot('a', { status: 'done', stage: 'indexed' })]));
    await vi.waitFor(() => expect(stores.jobs.getState().order).toEqual(['a', 'b']));

    api.emit({
      type: 'files.updated',
      jobId: 'job-1',
      files: [fileUpdate('b', { status: 'done', stage: 'indexed' })],
    });
    scheduler.runAll();
    const { files, counts } = stores.jobs.getState();
    expect(files.get('a')?.status).toBe('done');
    expect(files.get('b')?.status).toBe('done');
    expect(counts).toMatchObject({ total: 2, done: 2 });
    expect(stores.settings.getState().backend).toBe('local');
  });

  it('retries a failed snapshot without polling afterwards', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    let attempts = 0;
    api.snapshot = async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('engine not ready');
      return snapshotOf([]);
    };
    const onSyncError = vi.fn();
    const onSynced = vi.fn();
    startEngineBridge(api, recordingTarget(), { onSyncError, onSynced, retryDelayInMs: 500 });

    await vi.advanceTimersByTimeAsync(0);
    expect(onSyncError).toHaveBeenCalledTimes(1);
    expect(onSynced).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(500);
    expect(onSynced).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toBe(2);
  });

  it('takes a fresh snapshot after the transport reconnects', async () => {
    const api = new FakeApi();
    let snapshots = 0;
    api.snapshot = async () => snapshotOf([fileSnapshot(`s${++snapshots}`)]);
    const connectionListeners = new Set<(state: ConnectionState) => void>();
    const bridgeApi = Object.assign(api, {
      onConnectionChange(listener: (state: ConnectionState) => void) {
        connectionListeners.add(listener);
        return () => connectionListeners.delete(listener);
      },
    });
    const target = recordingTarget();
    const setState = (state: ConnectionState) => {
      for (const listener of connectionListeners) listener(state);
    };
    const stop = startEngineBridge(bridgeApi, target);
    await vi.waitFor(() => expect(target.steps).toHaveLength(1));

    setState('open'); // not a reconnect: nothing was lost
    setState('closed');
    setState('connecting');
    setState('open');
    await vi.waitFor(() => expect(target.steps).toHaveLength(2));
    expect(target.steps[1]).toEqual({ kind: 'snapshot', files: ['s2'] });

    stop();
    expect(connectionListeners.size).toBe(0);
    expect(api.listeners.size).toBe(0);
  });

  it('applies nothing after it is stopped', async () => {
    const api = new FakeApi();
    const snapshot = deferred<Snapshot>();
    api.snapshot = () => snapshot.promise;
    const target = recordingTarget();
    const stop = startEngineBridge(api, target);
    stop();
    snapshot.resolve(snapshotOf([]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(target.steps).toEqual([]);
  });
});
