import { describe, expect, it } from 'vitest';
import {
  EmbeddingBatcher,
  type RunBatch,
} from '../../electron/engine/providers/local/embedding/embedding-batcher';

/** A fake model: the vector of a text is [its length]; every batch is recorded and held until released. */
function fakeRunner(options: { hold?: boolean } = {}) {
  const batches: {
    texts: string[];
    signal: AbortSignal;
    release: () => void;
    fail: (error: Error) => void;
  }[] = [];
  const run: RunBatch = (texts, { abortSignal }) =>
    new Promise((resolve, reject) => {
      const release = () => resolve(texts.map((text) => [text.length]));
      batches.push({ texts, signal: abortSignal, release, fail: reject });
      abortSignal.addEventListener('abort', () => reject(abortSignal.reason));
      if (!options.hold) release();
    });
  return { run, batches };
}

describe('EmbeddingBatcher', () => {
  it('returns vectors in input order while batching by length', async () => {
    const { run, batches } = fakeRunner();
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 2 });
    const texts = ['ccc', 'a', 'bbbb', 'dd', 'e'];
    await expect(batcher.embed(texts)).resolves.toEqual([[3], [1], [4], [2], [1]]);
    expect(batches.map((batch) => batch.texts)).toEqual([['a', 'e'], ['dd', 'ccc'], ['bbbb']]);
  });

  it('lets calls made together share batches, and respects the character cap', async () => {
    const { run, batches } = fakeRunner();
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 10, maxBatchChars: 6 });
    const [a, b] = await Promise.all([batcher.embed(['aa', 'aa']), batcher.embed(['bb', 'bb'])]);
    expect(a).toEqual([[2], [2]]);
    expect(b).toEqual([[2], [2]]);
    expect(batches.map((batch) => batch.texts)).toEqual([['aa', 'aa', 'bb'], ['bb']]);
  });

  it('runs one batch at a time by default and queues the rest', async () => {
    const { run, batches } = fakeRunner({ hold: true });
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 1 });
    const pending = batcher.embed(['x', 'yy']);
    await expect.poll(() => batches.length).toBe(1);
    batches[0]!.release();
    await expect.poll(() => batches.length).toBe(2);
    batches[1]!.release();
    await expect(pending).resolves.toEqual([[1], [2]]);
  });

  it('rejects an aborted call at once, drops its queued texts, and keeps a shared batch running', async () => {
    const { run, batches } = fakeRunner({ hold: true });
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 2 });
    const controller = new AbortController();
    const aborted = batcher.embed(['a1', 'a2', 'a3', 'a4'], controller.signal);
    const other = batcher.embed(['b1']);
    await expect.poll(() => batches.length).toBe(1);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    // The running batch held only the aborted call's texts: it is aborted too.
    expect(batches[0]!.signal.aborted).toBe(true);
    // Its remaining texts never reach the model; the other call still gets its vector.
    await expect.poll(() => batches.length).toBe(2);
    expect(batches[1]!.texts).toEqual(['b1']);
    batches[1]!.release();
    await expect(other).resolves.toEqual([[2]]);
  });

  it('keeps a batch running for the callers still waiting on it', async () => {
    const { run, batches } = fakeRunner({ hold: true });
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 4 });
    const controller = new AbortController();
    const [aborted, kept] = [batcher.embed(['aa'], controller.signal), batcher.embed(['bb'])];
    await expect.poll(() => batches.length).toBe(1);
    expect(batches[0]!.texts).toEqual(['aa', 'bb']);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'cancelled' });
    expect(batches[0]!.signal.aborted).toBe(false);
    batches[0]!.release();
    await expect(kept).resolves.toEqual([[2]]);
  });

  it('fails only the calls in a failed batch', async () => {
    const { run, batches } = fakeRunner({ hold: true });
    const batcher = new EmbeddingBatcher(run, { maxBatchSize: 1 });
    const first = batcher.embed(['a']);
    const second = batcher.embed(['bb']);
    await expect.poll(() => batches.length).toBe(1);
    batches[0]!.fail(new Error('model crashed'));
    await expect(first).rejects.toThrow('model crashed');
    await expect.poll(() => batches.length).toBe(2);
    batches[1]!.release();
    await expect(second).resolves.toEqual([[2]]);
  });

  it('refuses a wrong number of vectors, an already aborted call, and calls after close', async () => {
    const batcher = new EmbeddingBatcher(async () => [[1]], { maxBatchSize: 8 });
    await expect(batcher.embed(['a', 'b'])).rejects.toMatchObject({ reason: 'embedding_count_mismatch' });
    await expect(batcher.embed([])).resolves.toEqual([]);
    const controller = new AbortController();
    controller.abort();
    await expect(batcher.embed(['a'], controller.signal)).rejects.toMatchObject({ code: 'cancelled' });

    const held = fakeRunner({ hold: true });
    const closing = new EmbeddingBatcher(held.run, { maxBatchSize: 1 });
    const pending = closing.embed(['a', 'b']);
    await expect.poll(() => held.batches.length).toBe(1);
    closing.close();
    await expect(pending).rejects.toMatchObject({ reason: 'embedder_closed' });
    expect(held.batches[0]!.signal.aborted).toBe(true);
    await expect(closing.embed(['c'])).rejects.toMatchObject({ reason: 'embedder_closed' });
  });
});
