import { describe, expect, it } from 'vitest';
import {
  type IndexAction,
  type ItemOutcome,
  UploadBatcher,
} from '../../electron/engine/providers/azure/search-upload-batcher';

const upload = (id: string, extra: Record<string, unknown> = {}): IndexAction => ({
  type: 'upload',
  document: { id, ...extra },
});

/** A fake service: records batches, answers with `verdict` per action (default: stored). */
function fakeService(verdict: (action: IndexAction, call: number) => ItemOutcome = () => ok) {
  const batches: IndexAction[][] = [];
  const send = async (actions: readonly IndexAction[]): Promise<ItemOutcome[]> => {
    batches.push([...actions]);
    const call = batches.length;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return actions.map((action) => verdict(action, call));
  };
  return { batches, send };
}

const ok: ItemOutcome = { succeeded: true, statusCode: 201 };
const busy: ItemOutcome = { succeeded: false, statusCode: 503, errorMessage: 'not enough resources' };

describe('UploadBatcher', () => {
  it('packs submissions from many callers into full batches, then the rest after the linger', async () => {
    const service = fakeService();
    const batcher = new UploadBatcher({ send: service.send, maxActions: 10, lingerInMs: 30 });
    const submissions = Array.from({ length: 9 }, (_, file) =>
      batcher.submit(Array.from({ length: 3 }, (_, chunk) => upload(`f${file}-c${chunk}`))),
    );
    await Promise.all(submissions);
    expect(service.batches.map((batch) => batch.length)).toEqual([10, 10, 7]);
    expect(batcher.stats()).toEqual({ requests: 3, actionsSent: 27, itemsRetried: 0 });
  });

  it('cuts batches by measured JSON bytes and refuses a single action over the limit', async () => {
    const service = fakeService();
    const batcher = new UploadBatcher({ send: service.send, maxBytes: 1_000, lingerInMs: 10 });
    await batcher.submit(
      Array.from({ length: 6 }, (_, index) => upload(`d${index}`, { content: 'x'.repeat(300) })),
    );
    expect(service.batches.map((batch) => batch.length)).toEqual([2, 2, 2]);
    for (const batch of service.batches) {
      const wire = JSON.stringify({ value: batch.map((a) => ({ '@search.action': a.type, ...a.document })) });
      expect(Buffer.byteLength(wire)).toBeLessThanOrEqual(1_000);
    }
    await expect(batcher.submit([upload('huge', { content: 'y'.repeat(2_000) })])).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'too_large',
    });
  });

  it('never puts one key twice in a batch and keeps its actions in order', async () => {
    const service = fakeService();
    const batcher = new UploadBatcher({ send: service.send, lingerInMs: 10 });
    await Promise.all([
      batcher.submit([upload('a'), upload('b')]),
      batcher.submit([{ type: 'delete', document: { id: 'a' } }, upload('c')]),
    ]);
    expect(
      service.batches.map((batch) => batch.map((action) => `${action.type}:${action.document.id}`)),
    ).toEqual([['upload:a', 'upload:b', 'upload:c'], ['delete:a']]);
  });

  it('retries only the items that failed transiently, together, then resolves', async () => {
    const service = fakeService((action, call) =>
      call === 1 && ['b', 'd'].includes(action.document.id) ? busy : ok,
    );
    const batcher = new UploadBatcher({ send: service.send, lingerInMs: 5, itemRetryBaseDelayInMs: 10 });
    await batcher.submit(['a', 'b', 'c', 'd'].map((id) => upload(id)));
    expect(service.batches.map((batch) => batch.map((action) => action.document.id))).toEqual([
      ['a', 'b', 'c', 'd'],
      ['b', 'd'],
    ]);
    expect(batcher.stats().itemsRetried).toBe(2);
  });

  it("fails only the submission whose item the service refuses, with the service's message", async () => {
    const service = fakeService((action) =>
      action.document.id === 'bad'
        ? { succeeded: false, statusCode: 400, errorMessage: 'Invalid document key' }
        : ok,
    );
    const batcher = new UploadBatcher({ send: service.send, lingerInMs: 5 });
    const good = batcher.submit([upload('good')]);
    const bad = batcher.submit([upload('fine'), upload('bad')]);
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toMatchObject({ code: 'invalid_input', reason: 'document_rejected' });
    await expect(bad).rejects.toThrow(/document bad \(status 400\): Invalid document key/);
    expect(service.batches).toHaveLength(1);
  });

  it('gives up on an item after the attempt limit', async () => {
    const service = fakeService(() => busy);
    const batcher = new UploadBatcher({
      send: service.send,
      lingerInMs: 1,
      maxItemAttempts: 3,
      itemRetryBaseDelayInMs: 1,
    });
    await expect(batcher.submit([upload('x')])).rejects.toMatchObject({
      code: 'service',
      reason: 'document_retries_exhausted',
      retryable: true,
    });
    expect(service.batches).toHaveLength(3);
  });

  it('fails every submission in a batch whose request failed', async () => {
    const batcher = new UploadBatcher({
      send: async () => {
        throw new Error('socket hang up');
      },
      lingerInMs: 5,
    });
    const results = await Promise.allSettled([batcher.submit([upload('a')]), batcher.submit([upload('b')])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });

  it('drops the unsent actions of a cancelled submission; close fails the rest', async () => {
    const service = fakeService();
    const batcher = new UploadBatcher({ send: service.send, lingerInMs: 50 });
    const controller = new AbortController();
    const cancelled = batcher.submit([upload('gone')], { abortSignal: controller.signal });
    const kept = batcher.submit([upload('kept')]);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    await kept;
    expect(service.batches.flat().map((action) => action.document.id)).toEqual(['kept']);

    const late = batcher.submit([upload('late')]);
    await batcher.close();
    await expect(late).rejects.toMatchObject({ code: 'cancelled' });
    await expect(batcher.submit([upload('after')])).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('resolves an empty submission at once, and flush sends what is pending', async () => {
    const service = fakeService();
    const batcher = new UploadBatcher({ send: service.send, lingerInMs: 60_000 });
    await expect(batcher.submit([])).resolves.toBeUndefined();
    const pending = batcher.submit([upload('a')]);
    await batcher.flush();
    await pending;
    expect(service.batches).toHaveLength(1);
  });
});
