import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../electron/engine/pipeline/journal/journal-reader';
import { JournalWriter } from '../../electron/engine/pipeline/journal/journal-writer';

const tempFile = async () =>
  path.join(await mkdtemp(path.join(os.tmpdir(), 'quarry-journal-')), 'job.journal');

describe('job journal', () => {
  it('replays files, stages and statuses into the state to resume from', async () => {
    const file = await tempFile();
    const writer = new JournalWriter(file);
    await writer.append({ t: 'job', jobId: 'j1', roots: ['/docs'], startedAt: 1 }, { durable: true });
    for (const n of [0, 1, 2]) {
      await writer.append({
        t: 'file',
        n,
        sourcePath: `/docs/${n}.pdf`,
        diskPath: `/docs/${n}.pdf`,
        size: 10,
        mtimeMs: 5,
        mimeType: 'application/pdf',
      });
    }
    await writer.append({ t: 'stage', n: 0, stage: 'hashed', contentHash: 'aa' }, { durable: true });
    await writer.append({ t: 'stage', n: 0, stage: 'indexed', chunks: 3 }, { durable: true });
    await writer.append({ t: 'status', n: 0, status: 'done' }, { durable: true });
    await writer.append({ t: 'stage', n: 1, stage: 'hashed', contentHash: 'bb' }, { durable: true });
    await writer.append({ t: 'stage', n: 1, stage: 'extracted' }, { durable: true });
    await writer.append(
      {
        t: 'status',
        n: 2,
        status: 'failed',
        error: { code: 'invalid_input', message: 'bad', retryable: false },
      },
      { durable: true },
    );
    await writer.close();

    const job = await readJournal(file);
    expect(job?.status).toBe('running');
    expect(job?.discoveryComplete).toBe(false);
    expect(job?.files.map((f) => [f.n, f.status, f.stage, f.contentHash])).toEqual([
      [0, 'done', 'indexed', 'aa'],
      [1, 'queued', 'extracted', 'bb'],
      [2, 'failed', 'discovered', null],
    ]);
    expect(job?.files[0]?.chunks).toBe(3);
  });

  it('recovers from a torn last record (a crash mid-write)', async () => {
    const file = await tempFile();
    const writer = new JournalWriter(file);
    await writer.append({ t: 'job', jobId: 'j2', roots: [], startedAt: 1 }, { durable: true });
    await writer.append({
      t: 'file',
      n: 0,
      sourcePath: '/a',
      diskPath: '/a',
      size: 1,
      mtimeMs: 1,
      mimeType: 'text/plain',
    });
    await writer.append({ t: 'discovered' }, { durable: true });
    await writer.close();
    await appendFile(file, '{"t":"stage","n":0,"stage":"hash');
    const job = await readJournal(file);
    expect(job?.skippedLines).toBe(1);
    expect(job?.discoveryComplete).toBe(true);
    expect(job?.files).toHaveLength(1);
    expect(job?.files[0]?.stage).toBe('discovered');
  });

  it('marks a job finished only by its final record, with the summary', async () => {
    const file = await tempFile();
    const writer = new JournalWriter(file);
    await writer.append({ t: 'job', jobId: 'j3', roots: ['/x'], startedAt: 1 });
    await writer.append({ t: 'job-status', status: 'paused', at: 2 });
    expect(
      (
        await (async () => {
          await writer.release();
          return readJournal(file);
        })()
      )?.status,
    ).toBe('paused');
    const summary = {
      type: 'summary' as const,
      files: 1,
      indexed: 1,
      skipped: 0,
      failed: 0,
      chunks: 2,
      elapsedMs: 5,
      failures: [],
    };
    await writer.append({ t: 'job-status', status: 'done', at: 3, summary }, { durable: true });
    await writer.close();
    const job = await readJournal(file);
    expect(job?.status).toBe('done');
    expect(job?.summary).toEqual(summary);
    expect(job?.finishedAt).toBe(3);
  });

  it('writes records appended concurrently as whole lines, in order', async () => {
    const file = await tempFile();
    const writer = new JournalWriter(file);
    await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        writer.append(
          { t: 'file', n, sourcePath: `/f${n}`, diskPath: `/f${n}`, size: n, mtimeMs: 0, mimeType: null },
          { durable: n % 50 === 0 },
        ),
      ),
    );
    await writer.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(500);
    expect(lines.map((line) => (JSON.parse(line) as { n: number }).n)).toEqual(
      Array.from({ length: 500 }, (_, n) => n),
    );
    await expect(writer.append({ t: 'discovered' })).rejects.toThrow(/closed/);
  });
});
