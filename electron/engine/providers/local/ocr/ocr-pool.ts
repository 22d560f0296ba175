import os from 'node:os';
import path from 'node:path';
import { Worker as Thread } from 'node:worker_threads';
import Tesseract from 'tesseract.js';
import { QuarryError } from '../../../../contract';
import type { CallOptions } from '../../../types';
import type { OcrEngine, OcrResult } from './ocr-types';
import { languageFolder, resolveOcrLanguages } from './tesseract-languages';
import { fromTesseractPage } from './tesseract-result';

export const DEFAULT_OCR_LANGUAGES: readonly string[] = ['eng', 'chi_sim'];
export const DEFAULT_OCR_IDLE_TIMEOUT_IN_MS = 30_000;

export interface OcrPoolOptions {
  /** Tesseract codes of installed `@tesseract.js-data/<code>` packages; default eng + chi_sim. */
  languages?: readonly string[];
  /** Worker threads; default one per core (os.availableParallelism()), at least 1. */
  workers?: number;
  /** Workers stop after the pool has been idle this long; the next image starts them again. */
  idleTimeoutInMs?: number;
  /** Where several languages' data files are gathered into one folder (tesseract.js reads one). */
  languageCacheFolder?: string;
}

export interface OcrPoolStats {
  /** Worker threads started or starting. */
  workers: number;
  busy: number;
  queued: number;
}

export interface OcrPool extends OcrEngine {
  stats(): OcrPoolStats;
  /** Stops every worker; queued and running images fail as cancelled. The pool cannot be reused. */
  close(): Promise<void>;
}

interface Job {
  image: Uint8Array;
  resolve(result: OcrResult): void;
  reject(error: unknown): void;
  settled: boolean;
  slot: Slot | null;
  detach(): void;
}

interface Slot {
  ready: Promise<Tesseract.Worker>;
  /** The worker's Node thread, once started (tesseract.js exposes it as `worker.worker`). */
  thread: Thread | null;
  job: Job | null;
  retired: boolean;
}

/** tesseract.js does not type the Node thread behind a worker; find it without trusting the shape. */
function threadOf(worker: Tesseract.Worker): Thread | null {
  const thread = (worker as unknown as { worker?: unknown }).worker;
  return thread instanceof Thread ? thread : null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A pool of tesseract.js workers, one per core, started on the first image and stopped when idle.
 *
 * Not tesseract.js's `createScheduler`: a scheduler cannot drop a queued job nor replace a worker,
 * and stopping a job mid-OCR means terminating its worker, which would leave the scheduler waiting
 * on that worker forever. Here an aborted job rejects at once, its worker is terminated (the CPU
 * stops too) and a fresh one takes its place when work is waiting.
 *
 * Fully offline: language data come from the npm data packages (`langPath`, `gzip`, no cache
 * writes), and in Node tesseract.js loads its wasm core from the tesseract.js-core package.
 */
class TesseractOcrPool implements OcrPool {
  readonly languages: readonly string[];
  readonly concurrency: number;
  private readonly languageFiles;
  private readonly idleTimeoutInMs: number;
  private readonly cacheFolder: string;
  private langPath: Promise<string> | null = null;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: OcrPoolOptions) {
    this.languageFiles = resolveOcrLanguages(options.languages ?? DEFAULT_OCR_LANGUAGES);
    this.languages = this.languageFiles.map((language) => language.code);
    this.concurrency = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
    this.idleTimeoutInMs = options.idleTimeoutInMs ?? DEFAULT_OCR_IDLE_TIMEOUT_IN_MS;
    this.cacheFolder = options.languageCacheFolder ?? path.join(os.tmpdir(), 'quarry-tessdata');
  }

  stats(): OcrPoolStats {
    const busy = [...this.slots].filter((slot) => slot.job !== null).length;
    return { workers: this.slots.size, busy, queued: this.queue.length };
  }

  recognize(image: Uint8Array, options: CallOptions = {}): Promise<OcrResult> {
    const { abortSignal } = options;
    if (abortSignal?.aborted) return Promise.reject(abortSignal.reason);
    if (this.closed) return Promise.reject(new QuarryError('cancelled', 'The OCR pool is closed'));
    return new Promise<OcrResult>((resolve, reject) => {
      const onAbort = () => this.abort(job, abortSignal?.reason);
      const job: Job = {
        image,
        settled: false,
        slot: null,
        detach: () => abortSignal?.removeEventListener('abort', onAbort),
        resolve: (result) => {
          if (job.settled) return;
          job.settled = true;
          job.detach();
          resolve(result);
        },
        reject: (error) => {
          if (job.settled) return;
          job.settled = true;
          job.detach();
          reject(error);
        },
      };
      abortSignal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clearIdleTimer();
    const cancelled = () => new QuarryError('cancelled', 'The OCR pool was closed');
    for (const job of this.queue.splice(0)) job.reject(cancelled());
    const stopping = [...this.slots].map((slot) => {
      slot.job?.reject(cancelled());
      return this.retire(slot);
    });
    await Promise.all(stopping);
  }

  /** A job that is waiting leaves the queue; a running one stops its worker. Either way it rejects now. */
  private abort(job: Job, reason: unknown): void {
    job.reject(reason);
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (job.slot) void this.retire(job.slot);
    this.pump();
  }

  /** Starts queued jobs on idle workers, starting workers up to the pool size. */
  private pump(): void {
    if (this.closed) return;
    while (this.queue.length > 0) {
      const slot = this.idleSlot() ?? (this.slots.size < this.concurrency ? this.startSlot() : null);
      if (!slot) break;
      const job = this.queue.shift() as Job;
      void this.run(slot, job);
    }
    if (this.queue.length === 0 && this.stats().busy === 0) this.armIdleTimer();
  }

  private idleSlot(): Slot | null {
    for (const slot of this.slots) if (slot.job === null && !slot.retired) return slot;
    return null;
  }

  private startSlot(): Slot {
    const slot: Slot = { ready: this.startWorker(), thread: null, job: null, retired: false };
    slot.ready = slot.ready.then((worker) => {
      slot.thread = threadOf(worker);
      this.watchThread(slot);
      return worker;
    });
    // A failed start is reported to the job that waited for it (run); this keeps it from being unhandled.
    slot.ready.catch(() => undefined);
    this.slots.add(slot);
    return slot;
  }

  private async startWorker(): Promise<Tesseract.Worker> {
    this.langPath ??= languageFolder(this.languageFiles, this.cacheFolder).catch((error: unknown) => {
      this.langPath = null; // a later image tries again (the disk may have room by then)
      throw new QuarryError('service', `Could not prepare the OCR language data: ${errorText(error)}`, {
        cause: error,
      });
    });
    const langPath = await this.langPath;
    return new Promise<Tesseract.Worker>((resolve, reject) => {
      let started = false;
      Tesseract.createWorker([...this.languages], Tesseract.OEM.LSTM_ONLY, {
        langPath,
        gzip: true,
        // Otherwise tesseract.js writes the unpacked traineddata into the current directory.
        cacheMethod: 'none',
        logger: () => undefined,
        // Without a handler tesseract.js throws job errors from its message listener (a crash);
        // a failed start would otherwise never settle createWorker's promise.
        errorHandler: (error: unknown) => {
          if (!started) reject(new QuarryError('service', `OCR worker failed to start: ${errorText(error)}`));
        },
      }).then((worker) => {
        started = true;
        resolve(worker);
      }, reject);
    });
  }

  /** A worker thread that dies on its own (out of memory, wasm abort) fails its job, not the process. */
  private watchThread(slot: Slot): void {
    const thread = slot.thread;
    if (!thread) return;
    const lost = (error?: unknown) => {
      if (slot.retired) return;
      const reason = error === undefined ? 'stopped unexpectedly' : `crashed: ${errorText(error)}`;
      slot.job?.reject(new QuarryError('service', `OCR worker ${reason}`, { cause: error }));
      void this.retire(slot);
      this.pump();
    };
    thread.on('error', lost);
    thread.on('exit', () => lost());
    // An idle worker must not keep the process alive; a busy one must (someone awaits its result).
    if (slot.job === null) thread.unref();
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    this.clearIdleTimer();
    slot.job = job;
    job.slot = slot;
    let worker: Tesseract.Worker;
    try {
      worker = await slot.ready;
    } catch (error) {
      job.reject(error);
      void this.retire(slot);
      this.pump();
      return;
    }
    if (job.settled || slot.retired) return; // aborted while the worker was starting
    slot.thread?.ref();
    const image = Buffer.from(job.image.buffer, job.image.byteOffset, job.image.byteLength);
    try {
      const { data } = await worker.recognize(image, {}, { text: false, blocks: true });
      job.resolve(fromTesseractPage(data));
    } catch (error) {
      // The only input is the image: a failed recognition means Leptonica could not decode it.
      job.reject(
        new QuarryError('invalid_input', `Not a readable image: ${errorText(error)}`, {
          reason: 'unreadable_image',
          cause: error,
        }),
      );
    }
    if (slot.retired) return;
    slot.job = null;
    slot.thread?.unref();
    this.pump();
  }

  /** Takes a worker out of the pool and terminates its thread (also mid-job: that is how OCR stops). */
  private async retire(slot: Slot): Promise<void> {
    if (slot.retired) return;
    slot.retired = true;
    this.slots.delete(slot);
    try {
      const worker = await slot.ready;
      await worker.terminate();
      // tesseract.js does not wait for the thread; Node's terminate() resolves once it has exited.
      await slot.thread?.terminate();
    } catch {
      // It never started, or it is already gone: nothing to stop.
    }
  }

  private armIdleTimer(): void {
    if (this.idleTimer || this.slots.size === 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      for (const slot of this.slots) if (slot.job === null) void this.retire(slot);
    }, this.idleTimeoutInMs);
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/**
 * An OCR pool over tesseract.js. Throws QuarryError invalid_input (`unknown_ocr_language`) at once
 * when a language has no installed data package; workers start lazily on the first image.
 */
export function createOcrPool(options: OcrPoolOptions = {}): OcrPool {
  return new TesseractOcrPool(options);
}
