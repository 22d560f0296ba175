import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import type { Box, ReadLine } from './types';
import { joinWords, wordsInBox } from './words';

/**
 * Real OCR for images that do not carry convention text: one lazily started tesseract.js worker
 * with English and Simplified Chinese, fully offline. The traineddata is read from the
 * @tesseract.js-data packages and handed to the worker directly (both languages in one worker;
 * `langPath` can name only one folder), and `cacheMethod: 'none'` keeps it from writing into the cwd.
 * The worker stops itself after a short idle period so a test process can exit.
 */

const languages = ['eng', 'chi_sim'] as const;
const idleShutdownInMs = 5_000;
const require = createRequire(import.meta.url);

let worker: Promise<Tesseract.Worker> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let running = 0;

async function languageData(code: (typeof languages)[number]): Promise<Tesseract.Lang> {
  const data = require(`@tesseract.js-data/${code}`) as { langPath: string; gzip: boolean };
  const file = path.join(data.langPath, `${code}.traineddata${data.gzip ? '.gz' : ''}`);
  return { code, data: new Uint8Array(await readFile(file)) };
}

async function startWorker(): Promise<Tesseract.Worker> {
  const langs = await Promise.all(languages.map(languageData));
  return Tesseract.createWorker(langs, Tesseract.OEM.LSTM_ONLY, { cacheMethod: 'none', gzip: true });
}

function scheduleIdleShutdown(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopOcr(), idleShutdownInMs);
  idleTimer.unref();
}

/** Stops the OCR worker (failing any job in flight); the next OCR call starts a new one. */
export async function stopOcr(): Promise<void> {
  clearTimeout(idleTimer);
  const current = worker;
  worker = undefined;
  if (current) await (await current).terminate();
}

const boxOf = (bbox: Tesseract.Bbox): Box => ({
  x: bbox.x0,
  y: bbox.y0,
  width: bbox.x1 - bbox.x0,
  height: bbox.y1 - bbox.y0,
});

function linesOf(page: Tesseract.Page): ReadLine[] {
  const lines: ReadLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words = line.words
          .filter((word) => word.text.trim().length > 0)
          .flatMap((word) =>
            wordsInBox(word.text.trim(), boxOf(word.bbox), Math.round(word.confidence * 10) / 1000),
          );
        if (words.length === 0) continue;
        const box = boxOf(line.bbox);
        lines.push({ text: joinWords(words.map((word) => word.text)), box, fontSize: box.height, words });
      }
    }
  }
  return lines;
}

/** Lines (pixel coordinates) recognised in a PNG, JPEG, BMP, GIF, TIFF or WebP image. */
export async function recognizeLines(
  image: Uint8Array,
  options: { abortSignal?: AbortSignal } = {},
): Promise<ReadLine[]> {
  options.abortSignal?.throwIfAborted();
  worker ??= startWorker();
  running += 1;
  clearTimeout(idleTimer);
  try {
    const ready = await worker;
    const job = ready.recognize(Buffer.from(image), {}, { blocks: true, text: false });
    // The worker cannot cancel a job; an abort only stops waiting for it.
    const result = await abortable(job, options.abortSignal);
    return linesOf(result.data);
  } finally {
    running -= 1;
    if (running === 0) scheduleIdleShutdown();
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
