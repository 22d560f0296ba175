import PQueue from 'p-queue';
import { describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { CoalescingWriter, type FileWrite } from '../../electron/engine/providers/local/lancedb-write-queue';

function setup(
  options: { lingerInMs?: number; maxBatchRows?: number; maxBatchFiles?: number; fail?: boolean } = {},
) {
  const commits: FileWrite<number>[][] = [];
  let running = 0;
  let overlapped = false;
  const queue = new PQueue({ concurrency: 1 });
  const writer = new CoalescingWriter<number>({
    queue,
    lingerInMs: options.lingerInMs ?? 5,
    maxBatchRows: options.maxBatchRows ?? 1000,
    maxBatchFiles: options.maxBatchFiles ?? 100,
    commit: async (writes) => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 2));
      running--;
      if (options.fail) throw new Error('disk full');
      commits.push(writes);
    },
  });
  return { writer, commits, overlapped: () => overlapped };
}

const rows = (count: number) => Array.from({ length: count }, (_, i) => i);

describe('CoalescingWriter', () => {
  it('groups concurrent writes into few commits and resolves each once committed', async () => {
    const { writer, commits, overlapped } = setup({ maxBatchFiles: 50 });
    const settled: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writer.submit({ sourcePath: `/f${i}`, rows: rows(2) }).then(() => settled.push(`/f${i}`)),
      ),
    );
    expect(settled).toHaveLength(200);
    expect(commits.length).toBeLessThanOrEqual(5);
    expect(commits.every((batch) => batch.length <= 50)).toBe(true);
    expect(commits.flat().map((write) => write.sourcePath)).toHaveLength(200);
    expect(overlapped()).toBe(false);
  });

  it('closes a batch at the row limit, but lets a single large file through alone', async () => {
    const { writer, commits } = setup({ maxBatchRows: 10 });
    await Promise.all([
      writer.submit({ sourcePath: '/a', rows: rows(6) }),
      writer.submit({ sourcePath: '/b', rows: rows(6) }),
      writer.submit({ sourcePath: '/huge', rows: rows(25) }),
    ]);
    expect(commits.map((batch) => batch.map((write) => write.sourcePath))).toEqual([
      ['/a'],
      ['/b'],
      ['/huge'],
    ]);
  });

  it('lets a later write of the same file supersede a pending one', async () => {
    const { writer, commits } = setup({ lingerInMs: 20 });
    await Promise.all([
      writer.submit({ sourcePath: '/a', rows: rows(3) }),
      writer.submit({ sourcePath: '/a', rows: rows(1) }),
    ]);
    expect(commits).toEqual([[{ sourcePath: '/a', rows: [0] }]]);
  });

  it('drops a write whose signal aborts before its batch starts', async () => {
    const { writer, commits } = setup({ lingerInMs: 30 });
    const controller = new AbortController();
    const cancelled = writer.submit({ sourcePath: '/a', rows: rows(1) }, { abortSignal: controller.signal });
    const kept = writer.submit({ sourcePath: '/b', rows: rows(1) });
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    await kept;
    expect(commits.flat().map((write) => write.sourcePath)).toEqual(['/b']);
    await expect(
      writer.submit({ sourcePath: '/c', rows: [] }, { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('rejects every write of a failed batch with a service error', async () => {
    const { writer } = setup({ fail: true });
    const results = await Promise.allSettled([
      writer.submit({ sourcePath: '/a', rows: rows(1) }),
      writer.submit({ sourcePath: '/b', rows: rows(1) }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(QuarryError);
      expect(reason).toMatchObject({ code: 'service' });
      expect((reason as Error).message).toContain('disk full');
    }
  });

  it('flushes pending writes on close and refuses new ones after', async () => {
    const { writer, commits } = setup({ lingerInMs: 10_000 });
    const pending = writer.submit({ sourcePath: '/a', rows: rows(1) });
    await writer.close();
    await pending;
    expect(commits).toHaveLength(1);
    await expect(writer.submit({ sourcePath: '/b', rows: [] })).rejects.toMatchObject({ code: 'service' });
  });
});
