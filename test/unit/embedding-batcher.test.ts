import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuarryError } from '../../electron/contract/errors';
import {
  type BatchInput,
  EmbeddingBatcher,
  type EmbeddingBatcherOptions,
} from '../../electron/engine/providers/azure/embedding-batcher';

const input = (key: string, tokens = 10): BatchInput => ({ key, text: `text ${key}`, tokens });
const vectorOf = (item: BatchInput): number[] => [item.key.length, item.tokens];

interface SentRequest {
  inputs: readonly BatchInput[];
  signal: AbortSignal;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A send function whose requests stay open until the test answers them. */
function manualSend() {
  const sent: SentRequest[] = [];
  const send: EmbeddingBatcherOptions['send'] = (inputs, signal) =>
    new Promise((resolve, reject) => {
      sent.push({ inputs, signal, resolve: () => resolve(inputs.map(vectorOf)), reject });
    });
  return { sent, send };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('EmbeddingBatcher', () => {
  it('packs concurrent callers into one request after the linger', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send, lingerInMs: 20 });
    const a = batcher.embed([input('a1'), input('a2')]);
    const b = batcher.embed([input('b1')]);
    expect(sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.inputs.map((i) => i.key)).toEqual(['a1', 'a2', 'b1']);
    sent[0]?.resolve();
    expect(await a).toEqual([
      [2, 10],
      [2, 10],
    ]);
    expect(await b).toEqual([[2, 10]]);
    expect(batcher.stats).toMatchObject({ requests: 1, inputs: 3, meanInputsPerRequest: 3 });
  });

  it('flushes at once when a request is full (inputs or tokens)', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send, maxInputsPerRequest: 3, maxTokensPerRequest: 100 });
    void batcher.embed([input('a'), input('b'), input('c'), input('d')]);
    expect(sent.map((r) => r.inputs.length)).toEqual([3]);
    void batcher.embed([input('e', 60), input('f', 60)]);
    // d (10) + e (60) fit; f would pass 100 tokens: d+e go, f waits.
    expect(sent.map((r) => r.inputs.map((i) => i.key))).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent.map((r) => r.inputs.map((i) => i.key))).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f']]);
  });

  it('holds partial batches while the request slots are busy, so they grow', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send, maxInFlightRequests: 1, lingerInMs: 20 });
    void batcher.embed([input('a')]);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent).toHaveLength(1);
    for (const key of ['b', 'c', 'd']) {
      void batcher.embed([input(key)]);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(sent).toHaveLength(1);
    sent[0]?.resolve();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.inputs.map((i) => i.key)).toEqual(['b', 'c', 'd']);
  });

  it('sends an input several callers want once, and answers all of them', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send });
    const a = batcher.embed([input('same'), input('x')]);
    const b = batcher.embed([input('same'), input('same')]);
    await vi.advanceTimersByTimeAsync(20);
    expect(sent[0]?.inputs.map((i) => i.key)).toEqual(['same', 'x']);
    sent[0]?.resolve();
    expect((await a)[0]).toEqual([4, 10]);
    expect(await b).toEqual([
      [4, 10],
      [4, 10],
    ]);
    expect(batcher.stats.sharedInputs).toBe(2);
  });

  it('a caller that aborts while pending is cancelled and its inputs leave the batch', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send });
    const controller = new AbortController();
    const leaving = batcher.embed([input('gone')], { abortSignal: controller.signal });
    const staying = batcher.embed([input('kept')]);
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'cancelled' });
    await vi.advanceTimersByTimeAsync(20);
    expect(sent[0]?.inputs.map((i) => i.key)).toEqual(['kept']);
    sent[0]?.resolve();
    expect(await staying).toEqual([[4, 10]]);
  });

  it('a caller that aborts in flight does not abort the request others wait for; the vector is still delivered to onVector', async () => {
    const { sent, send } = manualSend();
    const seen: string[] = [];
    const batcher = new EmbeddingBatcher({ send, onVector: (item) => seen.push(item.key) });
    const controller = new AbortController();
    const leaving = batcher.embed([input('l')], { abortSignal: controller.signal });
    const staying = batcher.embed([input('s')]);
    await vi.advanceTimersByTimeAsync(20);
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'cancelled' });
    expect(sent[0]?.signal.aborted).toBe(false);
    sent[0]?.resolve();
    expect(await staying).toEqual([[1, 10]]);
    expect(seen.sort()).toEqual(['l', 's']);
  });

  it('aborts a request nobody waits for any more', async () => {
    const { sent, send } = manualSend();
    const batcher = new EmbeddingBatcher({ send });
    const controller = new AbortController();
    const only = batcher.embed([input('a'), input('b')], { abortSignal: controller.signal });
    await vi.advanceTimersByTimeAsync(20);
    controller.abort();
    await expect(only).rejects.toMatchObject({ code: 'cancelled' });
    expect(sent[0]?.signal.aborted).toBe(true);
  });

  it('isolates a bad input: a 400 batch is split until only the culprit caller fails', async () => {
    const sentKeys: string[][] = [];
    const send: EmbeddingBatcherOptions['send'] = async (inputs) => {
      sentKeys.push(inputs.map((i) => i.key));
      if (inputs.some((i) => i.key === 'bad')) {
        throw new QuarryError('invalid_input', 'HTTP 400', { reason: 'bad_request' });
      }
      return inputs.map(vectorOf);
    };
    const batcher = new EmbeddingBatcher({ send });
    const good1 = batcher.embed([input('g1'), input('g2')]);
    const bad = batcher.embed([input('bad')]);
    const good2 = batcher.embed([input('g3')]);
    const badFails = expect(bad).rejects.toMatchObject({ code: 'invalid_input' });
    await vi.advanceTimersByTimeAsync(100);
    expect(await good1).toHaveLength(2);
    expect(await good2).toHaveLength(1);
    await badFails;
    expect(sentKeys[0]).toEqual(['g1', 'g2', 'bad', 'g3']);
  });

  it('other failures reach every caller of the batch', async () => {
    const send: EmbeddingBatcherOptions['send'] = async () => {
      throw new QuarryError('quota_exhausted', 'used up');
    };
    const batcher = new EmbeddingBatcher({ send });
    const a = batcher.embed([input('a')]);
    const b = batcher.embed([input('b')]);
    const both = Promise.all([
      expect(a).rejects.toMatchObject({ code: 'quota_exhausted' }),
      expect(b).rejects.toMatchObject({ code: 'quota_exhausted' }),
    ]);
    await vi.advanceTimersByTimeAsync(20);
    await both;
    expect(batcher.stats.failedRequests).toBe(1);
  });

  it('rejects an input larger than a whole request', async () => {
    const batcher = new EmbeddingBatcher({ send: async () => [], maxTokensPerRequest: 50 });
    await expect(batcher.embed([input('big', 51)])).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('close rejects waiting callers and leaves no timer', async () => {
    const { send } = manualSend();
    const batcher = new EmbeddingBatcher({ send });
    const waiting = batcher.embed([input('a')]);
    batcher.close();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    expect(vi.getTimerCount()).toBe(0);
  });
});
