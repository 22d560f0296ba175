import { describe, expect, it, vi } from 'vitest';
import type { EngineEvent, FileSnapshot } from '../../electron/contract';
import { EventCoalescer } from '../../electron/engine/pipeline/event-coalescer';
import { JobState } from '../../electron/engine/pipeline/job-state';

function file(jobId: string, n: number): FileSnapshot {
  return {
    fileId: `${jobId}:${n}`,
    jobId,
    path: `/data/f${n}.txt`,
    name: `f${n}.txt`,
    folder: '/data',
    size: 10,
    mimeType: 'text/plain',
    stage: 'discovered',
    status: 'queued',
    progress: null,
    chunks: 0,
    error: null,
  };
}

describe('JobState', () => {
  it('keeps counts in step with status changes', () => {
    const state = new JobState('j');
    for (let i = 0; i < 3; i++) state.addFile(file('j', i));
    state.updateFile('j:0', { status: 'running' });
    state.updateFile('j:0', { status: 'done', stage: 'indexed', chunks: 4 });
    state.updateFile('j:1', { status: 'skipped' });
    state.fail('j:2', { code: 'invalid_input', message: 'empty', retryable: false });
    expect(state.snapshot().counts).toEqual({
      files: 3,
      queued: 0,
      running: 0,
      indexed: 1,
      skipped: 1,
      failed: 1,
      chunks: 4,
    });
  });
});

describe('EventCoalescer', () => {
  it('collapses many changes of one file into its latest state, in one batch', () => {
    vi.useFakeTimers();
    try {
      const events: EngineEvent[] = [];
      const state = new JobState('j');
      const coalescer = new EventCoalescer((e) => events.push(e), { flushIntervalInMs: 100 });
      const progress = () => state.snapshot();
      for (let i = 0; i < 50; i++) {
        const snapshot = file('j', i);
        state.addFile(snapshot);
        coalescer.fileAdded('j', snapshot, progress);
      }
      for (const stage of ['hashed', 'extracted', 'chunked', 'indexed'] as const) {
        for (let i = 0; i < 50; i++)
          coalescer.fileUpdated('j', state.updateFile(`j:${i}`, { stage, status: 'running' }), progress);
      }
      expect(events).toHaveLength(0);
      vi.advanceTimersByTime(100);
      expect(events.map((e) => e.type)).toEqual(['files.added', 'files.updated', 'job.progress']);
      const updated = events[1];
      expect(updated?.type === 'files.updated' && updated.files.length).toBe(50);
      expect(updated?.type === 'files.updated' && updated.files.every((f) => f.stage === 'indexed')).toBe(
        true,
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes pending changes before a lifecycle event so order holds', () => {
    const events: EngineEvent[] = [];
    const state = new JobState('j');
    const coalescer = new EventCoalescer((e) => events.push(e), { flushIntervalInMs: 10_000 });
    const snapshot = file('j', 0);
    state.addFile(snapshot);
    coalescer.fileAdded('j', snapshot, () => state.snapshot());
    state.finish('done');
    coalescer.immediate({
      type: 'job.finished',
      job: state.snapshot(),
      summary: {
        type: 'summary',
        files: 1,
        indexed: 0,
        skipped: 0,
        failed: 0,
        chunks: 0,
        elapsedMs: 1,
        failures: [],
      },
    });
    expect(events.map((e) => e.type)).toEqual(['files.added', 'job.progress', 'job.finished']);
  });

  it('flushes early when a batch gets large', () => {
    const events: EngineEvent[] = [];
    const state = new JobState('j');
    const coalescer = new EventCoalescer((e) => events.push(e), { flushIntervalInMs: 10_000, maxBatch: 10 });
    for (let i = 0; i < 25; i++) {
      const snapshot = file('j', i);
      state.addFile(snapshot);
      coalescer.fileAdded('j', snapshot, () => state.snapshot());
    }
    expect(events.filter((e) => e.type === 'files.added')).toHaveLength(2);
    coalescer.close();
  });
});
