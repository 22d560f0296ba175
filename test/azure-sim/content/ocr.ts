import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Tesseract from 'tesseract.js';
import type { Box, ReadLine } from './types';
import { joinWords, wordsInBox } from './words';

/**
 * Real OCR for images that do not carry convention text: one lazily started tesseract.js worker
 * with English and Simplified Chinese, fully offline. Each @tesseract.js-data package keeps its
 * traineddata in its own folder but `langPath` names one folder, so the worker reads from a temp
 * folder of symlinks to both; `cacheMethod: 'none'` keeps it from writing into the cwd.
 * The worker stops itself after a short idle period so a test process can exit.
 */

const languages = ['eng', 'chi_sim'] as const;
const idleShutdownInMs = 5_000;
const require = createRequire(import.meta.url);

let worker: Promise<Tesseract.Worker> | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let running = 0;
let langFolder: string | undefined;

/** A folder holding `<code>.traineddata.gz` for every language, linked from the data packages. */
async function linkLanguageFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'quarry-sim-ocr-'));
  for (const code of languages) {
    const data = require(`@tesseract.js-data/${code}`) as { langPath: string };
    const file = `${code}.traineddata.gz`;
    await symlink(path.join(data.langPath, file), path.join(folder, file));
  }
  return folder;
}

async function startWorker(): Promise<Tesseract.Worker> {
  langFolder ??= await linkLanguageFolder();
  return Tesseract.createWorker([...languages], Tesseract.OEM.LSTM_ONLY, {
    langPath: langFolder,
    gzip: true,
    cacheMethod: 'none',
  });
}

function scheduleIdleShutdown(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void stopOcr(), idleShutdownInMs);
  idleTimer.unref();
}

/**
 * For a closing simulator: stops the worker now when no job is running; otherwise the idle
 * timer stops it after the last job, so another simulator in the same process keeps its OCR.
 */
export function releaseOcr(): Promise<void> {
  return running === 0 ? stopOcr() : Promise.resolve();
}

/** Stops the OCR worker (failing any job in flight); the next OCR call starts a new one. */
export async function stopOcr(): Promise<void> {
  clearTimeout(idleTimer);
  const current = worker;
  worker = undefined;
  if (current) await (await current).terminate();
  if (langFolder) await rm(langFolder, { recursive: true, force: true });
  langFolder = undefined;
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
