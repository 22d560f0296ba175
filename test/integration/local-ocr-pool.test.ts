import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { createOcrPool, type OcrPool } from '../../electron/engine/providers/local/ocr/ocr-pool';
import type { OcrResult } from '../../electron/engine/providers/local/ocr/ocr-types';
import { cjkFont, denseTextPage, pngOf, wordRecall } from './local-ocr-fixtures';

const ENGLISH = [
  ['The committee reviewed the budget forecasts', 'and staffing plans for the northern region.'],
  ['Supply costs rose during the second quarter.'],
];
const CHINESE = [['我们在北京大学学习中文。', '今天天气很好，适合出去散步。']];

const textOf = (result: OcrResult): string =>
  result.paragraphs.map((paragraph) => paragraph.lines.map((line) => line.text).join('\n')).join('\n\n');

/** Resolves when `check` holds, polling; fails after `timeoutInMs`. */
async function eventually(check: () => boolean, timeoutInMs: number): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let dir: string;
let pool: OcrPool;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ocr-pool-'));
  pool = createOcrPool({ workers: 2, languageCacheFolder: path.join(dir, 'tessdata') });
});
afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('OCR pool (tesseract.js, offline)', () => {
  it('starts no worker before the first image, and reads English text', async () => {
    expect(pool.languages).toEqual(['eng', 'chi_sim']);
    expect(pool.concurrency).toBe(2);
    expect(pool.stats()).toEqual({ workers: 0, busy: 0, queued: 0 });
    const result = await pool.recognize(pngOf(ENGLISH));
    expect(wordRecall(ENGLISH.flat().join(' '), textOf(result))).toBeGreaterThanOrEqual(0.85);
    expect(result.paragraphs.flatMap((paragraph) => paragraph.lines)).toHaveLength(3);
    const firstLine = result.paragraphs[0]?.lines[0];
    expect(firstLine?.box.x0).toBeGreaterThanOrEqual(40);
    expect(firstLine?.box.x0).toBeLessThan(60);
    expect(firstLine?.confidence).toBeGreaterThan(50);
  });

  it('reads Simplified Chinese without spaces between the characters', async () => {
    const result = await pool.recognize(pngOf(CHINESE, { font: cjkFont() }));
    const text = textOf(result);
    expect(text).toContain('北京大学');
    expect(text).toContain('天气很好');
    expect(text).not.toMatch(/\p{Script=Han} \p{Script=Han}/u);
  });

  it('reads several images at once on the pool workers', async () => {
    const images = ['Alpha invoice number seven', 'Bravo shipping manifest', 'Charlie payment receipt'];
    const results = await Promise.all(images.map((text) => pool.recognize(pngOf([[text]]))));
    results.forEach((result, i) => {
      expect(wordRecall(images[i] ?? '', textOf(result))).toBeGreaterThanOrEqual(0.75);
    });
    expect(pool.stats().workers).toBeLessThanOrEqual(2);
  });

  it('fails bytes that are no image as invalid_input and keeps working', async () => {
    const error = await pool.recognize(Buffer.from('definitely not an image')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'unreadable_image' });
    const result = await pool.recognize(pngOf([['Still working after a bad image']]));
    expect(wordRecall('Still working after a bad image', textOf(result))).toBeGreaterThanOrEqual(0.8);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      pool.recognize(pngOf([['never read']]), { abortSignal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('aborts a job mid-OCR promptly, replaces its worker and keeps serving', async () => {
    const controller = new AbortController();
    const big = pool.recognize(denseTextPage(300), { abortSignal: controller.signal });
    const queuedController = new AbortController();
    const other = pool.recognize(denseTextPage(300), { abortSignal: queuedController.signal });
    const third = pool.recognize(denseTextPage(300), { abortSignal: queuedController.signal });
    await eventually(() => pool.stats().busy === 2 && pool.stats().queued === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // well into recognition
    const abortedAt = Date.now();
    controller.abort();
    await expect(big).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortedAt).toBeLessThan(200);
    // The queued job and the other running job are cancelled too: the pool empties.
    queuedController.abort();
    await expect(other).rejects.toMatchObject({ name: 'AbortError' });
    await expect(third).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });
    const result = await pool.recognize(pngOf([['Fresh worker after an abort']]));
    expect(wordRecall('Fresh worker after an abort', textOf(result))).toBeGreaterThanOrEqual(0.75);
  });

  it('fails an unknown language at creation, naming the installed ones', () => {
    expect(() => createOcrPool({ languages: ['eng', 'xx_unknown'] })).toThrow(QuarryError);
    expect(() => createOcrPool({ languages: ['xx_unknown'] })).toThrow(/Available: .*chi_sim.*eng/);
  });
});

describe('OCR pool lifecycle', () => {
  it('stops idle workers after the idle timeout and starts again on demand', async () => {
    const small = createOcrPool({ languages: ['eng'], workers: 1, idleTimeoutInMs: 200 });
    try {
      await small.recognize(pngOf([['Idle timeout check']]));
      expect(small.stats().workers).toBe(1);
      await eventually(() => small.stats().workers === 0, 3_000);
      const result = await small.recognize(pngOf([['Started again']]));
      expect(wordRecall('Started again', textOf(result))).toBe(1);
    } finally {
      await small.close();
    }
  });

  it('close() cancels queued and running jobs and refuses new ones', async () => {
    const small = createOcrPool({ languages: ['eng'], workers: 1 });
    const running = small.recognize(denseTextPage());
    const queued = small.recognize(pngOf([['queued']]));
    const outcomes = Promise.allSettled([running, queued]);
    await eventually(() => small.stats().busy === 1, 10_000);
    await small.close();
    for (const outcome of await outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(outcome.status === 'rejected' && outcome.reason).toMatchObject({ code: 'cancelled' });
    }
    expect(small.stats()).toEqual({ workers: 0, busy: 0, queued: 0 });
    await expect(small.recognize(pngOf([['late']]))).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('fails images with a service error when the language data cannot be prepared', async () => {
    const notAFolder = path.join(dir, 'a-file');
    await writeFile(notAFolder, 'blocks the cache folder');
    const broken = createOcrPool({ workers: 1, languageCacheFolder: path.join(notAFolder, 'tessdata') });
    try {
      const error = await broken.recognize(pngOf([['never read']])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QuarryError);
      expect(error).toMatchObject({ code: 'service' });
      expect((error as Error).message).toMatch(/OCR language data/);
      expect(broken.stats()).toEqual({ workers: 0, busy: 0, queued: 0 });
    } finally {
      await broken.close();
    }
  });

  it('never keeps a process alive: idle workers, and workers closed mid-job, let it exit', async () => {
    const moduleUrl = (file: string) => JSON.stringify(path.resolve(import.meta.dirname, file));
    const script = path.join(dir, 'exit-check.mts');
    await writeFile(
      script,
      [
        `import { createOcrPool } from ${moduleUrl('../../electron/engine/providers/local/ocr/ocr-pool')};`,
        `import { denseTextPage, pngOf } from ${moduleUrl('./local-ocr-fixtures')};`,
        `const left = createOcrPool({ languages: ['eng'], workers: 1 });`,
        `const read = await left.recognize(pngOf([['Left open on purpose']]));`,
        `console.log(JSON.stringify(read.paragraphs[0]?.lines[0]?.text));`,
        `const closed = createOcrPool({ languages: ['eng'], workers: 1 });`,
        `const job = closed.recognize(denseTextPage()).catch((error) => error.code);`,
        `setTimeout(() => void closed.close(), 1500);`,
        `console.log(await job);`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const timeout = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    clearTimeout(timeout);
    expect(exitCode, errors).toBe(0);
    expect(output).toContain('"Left open on purpose"');
    expect(output).toContain('cancelled');
  }, 60_000);
});
