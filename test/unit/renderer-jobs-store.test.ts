import { describe, expect, it } from 'vitest';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import { hasRunningJob, visibleFileIds } from '../../renderer/src/stores/jobs-selectors';
import { createJobsStore } from '../../renderer/src/stores/jobs-store';
import { runRate } from '../../renderer/src/stores/run-rate';
import { FakeApi, fileSnapshot, fileUpdate, jobSnapshot, snapshotOf } from './renderer-fakes';

function storeWith(files = 0, now = () => 0) {
  const api = new FakeApi();
  const store = createJobsStore(api, { now });
  const snapshotFiles = Array.from({ length: files }, (_, i) => fileSnapshot(`f${i}`));
  store.getState().applySnapshot(snapshotOf(snapshotFiles));
  return { api, store };
}

describe('jobs store', () => {
  it('applies a snapshot, then added and updated files, keeping arrival order and counts', () => {
    const { store } = storeWith(2);
    store.getState().applyEvents([
      { type: 'files.added', jobId: 'job-1', files: [fileSnapshot('f2'), fileSnapshot('f3')] },
      {
        type: 'files.updated',
        jobId: 'job-1',
        files: [fileUpdate('f0', { status: 'done', stage: 'indexed' })],
      },
      {
        type: 'files.updated',
        jobId: 'job-1',
        files: [
          fileUpdate('f3', {
            status: 'failed',
            error: { code: 'invalid_input', message: 'Empty file', retryable: false, reason: 'empty_file' },
          }),
        ],
      },
    ]);
    const state = store.getState();
    expect(state.order).toEqual(['f0', 'f1', 'f2', 'f3']);
    expect(state.files.get('f0')?.status).toBe('done');
    expect(state.files.get('f0')?.name).toBe('f0.txt');
    expect(state.files.get('f3')?.error?.code).toBe('invalid_input');
    expect(state.counts).toEqual({ total: 4, queued: 2, running: 0, done: 1, skipped: 0, failed: 1 });
  });

  it('touches only the changed files of a 10,000-file list', () => {
    const { store } = storeWith(10_000);
    const before = store.getState();
    const untouched = before.files.get('f9999');
    const changedBefore = before.files.get('f10');
    const updates = Array.from({ length: 200 }, (_, i) => fileUpdate(`f${i}`, { status: 'running' }));

    store.getState().applyEvents([{ type: 'files.updated', jobId: 'job-1', files: updates }]);

    const after = store.getState();
    expect(after.files).toBe(before.files); // the map itself is not copied
    expect(after.order).toBe(before.order); // no new order array without new files
    expect(after.files.get('f9999')).toBe(untouched); // rows that did not change keep their object
    expect(after.files.get('f10')).not.toBe(changedBefore);
    expect(after.files.get('f10')?.status).toBe('running');
    expect(after.revision).toBe(before.revision + 1);
    expect(after.counts).toMatchObject({ total: 10_000, queued: 9_800, running: 200 });
  });

  it('never moves a file backwards when replaying events that the snapshot already reflects', () => {
    const { store } = storeWith(0);
    store.getState().applySnapshot(snapshotOf([fileSnapshot('a', { status: 'done', stage: 'indexed' })]));
    const replayed = [
      { type: 'files.added' as const, jobId: 'job-1', files: [fileSnapshot('a')] },
      { type: 'files.updated' as const, jobId: 'job-1', files: [fileUpdate('a', { status: 'running' })] },
    ];

    store.getState().applyEvents(replayed, { replay: true });
    expect(store.getState().files.get('a')?.status).toBe('done');
    expect(store.getState().counts.done).toBe(1);

    // The same events live (in order from the engine) are applied as they are.
    store.getState().applyEvents(replayed);
    expect(store.getState().files.get('a')?.status).toBe('running');
  });

  it('ignores updates for files it never saw added', () => {
    const { store } = storeWith(1);
    store.getState().applyEvents([{ type: 'files.updated', jobId: 'job-1', files: [fileUpdate('ghost')] }]);
    expect(store.getState().files.has('ghost')).toBe(false);
    expect(store.getState().counts.total).toBe(1);
  });

  it('tracks jobs, summaries and service states', () => {
    const { store } = storeWith(0);
    store.getState().applyEvents([{ type: 'job.started', job: jobSnapshot('job-2') }]);
    expect(hasRunningJob(store.getState())).toBe(true);
    store.getState().applyEvents([
      {
        type: 'job.finished',
        job: jobSnapshot('job-2', { status: 'done', finishedAt: 2_000 }),
        summary: {
          type: 'summary',
          files: 0,
          indexed: 0,
          skipped: 0,
          failed: 0,
          chunks: 0,
          elapsedMs: 5,
          failures: [],
        },
      },
      {
        type: 'service.state',
        state: { service: 'embeddings', state: 'throttled', resumeAt: 3_000, message: 'Retry-After 3 s' },
      },
    ]);
    const state = store.getState();
    expect(state.jobs['job-2']?.status).toBe('done');
    expect(hasRunningJob(state)).toBe(true); // job-1 from the snapshot still runs
    expect(state.summaries['job-2']?.elapsedMs).toBe(5);
    expect(state.services.embeddings?.state).toBe('throttled');
  });

  it('filters the visible ids by status, in arrival order', () => {
    const { store } = storeWith(0);
    store
      .getState()
      .applySnapshot(
        snapshotOf([
          fileSnapshot('q'),
          fileSnapshot('r', { status: 'running' }),
          fileSnapshot('d', { status: 'done' }),
          fileSnapshot('s', { status: 'skipped' }),
          fileSnapshot('x', { status: 'failed' }),
        ]),
      );
    const idsFor = (filter: 'all' | 'active' | 'failed' | 'done') => {
      store.getState().setFilter(filter);
      return visibleFileIds(store.getState());
    };
    expect(idsFor('all')).toEqual(['q', 'r', 'd', 's', 'x']);
    expect(idsFor('active')).toEqual(['q', 'r']);
    expect(idsFor('failed')).toEqual(['x']);
    expect(idsFor('done')).toEqual(['d', 's']);
  });

  it('measures throughput and ETA over the current run', () => {
    let nowMs = 10_000;
    const { store } = storeWith(0, () => nowMs);
    store.getState().applyEvents([
      {
        type: 'files.added',
        jobId: 'job-1',
        files: Array.from({ length: 10 }, (_, i) => fileSnapshot(`f${i}`)),
      },
    ]);
    nowMs = 12_000;
    const done = Array.from({ length: 4 }, (_, i) =>
      fileUpdate(`f${i}`, { status: 'done', stage: 'indexed' }),
    );
    store.getState().applyEvents([{ type: 'files.updated', jobId: 'job-1', files: done }]);

    const rate = runRate(store.getState().run, store.getState().counts, 12_000);
    expect(rate.filesPerSecond).toBeCloseTo(2); // 4 files in 2 s
    expect(rate.etaInMs).toBeCloseTo(3_000); // 6 left at 2 files/s
  });

  it('sends browser drops as uploads with base64 bytes and relative names', async () => {
    const { api, store } = storeWith(0);
    const file = new File([new Uint8Array([0, 1, 2, 250, 255])], 'c.bin', { lastModified: 42 });
    await store.getState().ingest([
      { kind: 'file', file, relativePath: 'folder/sub/c.bin' },
      { kind: 'path', path: '/abs/folder' },
    ]);
    expect(api.callsNamed('startIngest')).toEqual([
      {
        sources: [
          { kind: 'upload', name: 'folder/sub/c.bin', dataBase64: 'AAEC+v8=', lastModified: 42 },
          { kind: 'path', path: '/abs/folder' },
        ],
      },
    ]);
    expect(store.getState().submitting).toBe(false);
    expect(store.getState().commandError).toBeNull();
  });

  it('reports failed commands by their error code', async () => {
    const { api, store } = storeWith(0);
    await store.getState().ingest([]);
    expect(store.getState().commandError?.code).toBe('invalid_input');
    expect(api.callsNamed('startIngest')).toHaveLength(0);

    api.startIngest = async () => {
      throw new QuarryCallError({ code: 'network', message: 'Connection lost', retryable: true });
    };
    await store.getState().ingest([{ kind: 'path', path: '/x' }]);
    expect(store.getState().commandError).toEqual({
      code: 'network',
      message: 'Connection lost',
      retryable: true,
    });
    store.getState().dismissError();
    expect(store.getState().commandError).toBeNull();
  });

  it('cancels only running jobs', async () => {
    const { api, store } = storeWith(0);
    store
      .getState()
      .applySnapshot(
        snapshotOf([], [jobSnapshot('a'), jobSnapshot('b', { status: 'done' }), jobSnapshot('c')]),
      );
    await store.getState().cancelRunningJobs();
    expect(api.callsNamed('cancelJob')).toEqual([{ jobId: 'a' }, { jobId: 'c' }]);
  });
});
