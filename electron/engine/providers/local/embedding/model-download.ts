/**
 * Fetches a model's files from a Hugging Face compatible host (`<baseUrl>/<id>/resolve/<revision>/<path>`,
 * a mirror works the same way) into `<modelsDir>/<id>/`, one file at a time:
 * - into `<file>.part`, resumed with a Range request after an interruption;
 * - hashed while it streams, checked against the sha256 pinned in the registry; a mismatch deletes
 *   the file and fails with `model_checksum_mismatch`;
 * - renamed into place only once verified, so the loader never sees a half or wrong file.
 * A lock file keeps two processes (the app and the CLI) from writing the same files.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, truncate, unlink } from 'node:fs/promises';
import path from 'node:path';
import { type ErrorCode, QuarryError } from '../../../../contract';
import type { CallOptions } from '../../../types';
import { cancelledError, throwIfCancelled } from './cancellation';
import {
  fileSize,
  missingModelFiles,
  modelDirectory,
  modelFilePath,
  recordVerifiedFile,
} from './model-files';
import type { EmbeddingModelSpec, ModelFileSpec } from './model-registry';

export const DEFAULT_MODEL_BASE_URL = 'https://huggingface.co';

export interface ModelDownloadProgress {
  modelId: string;
  /** Path of the file inside the model (`onnx/model_quantized.onnx`). */
  file: string;
  fileIndex: number;
  fileCount: number;
  loadedBytes: number;
  /** Null when neither the server nor the registry says how large the file is. */
  totalBytes: number | null;
}

export interface DownloadModelOptions extends CallOptions {
  modelsDir: string;
  /** Host serving `<id>/resolve/<revision>/<path>`; Hugging Face by default, or a mirror. */
  baseUrl?: string;
  /** Called as bytes arrive (often): callers coalesce it into events or a progress bar. */
  onProgress?: (progress: ModelDownloadProgress) => void;
  /** A connection that delivers nothing for this long is dropped (then resumable). */
  stallTimeoutInMs?: number;
  fetch?: typeof fetch;
}

export interface DownloadModelResult {
  /** Files fetched now (already verified files are skipped). */
  downloaded: string[];
  bytes: number;
}

const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/** Makes every file of `spec` present and verified; does nothing for files that already are. */
export async function downloadModel(
  spec: EmbeddingModelSpec,
  options: DownloadModelOptions,
): Promise<DownloadModelResult> {
  const { abortSignal } = options;
  throwIfCancelled(abortSignal);
  const modelDir = modelDirectory(options.modelsDir, spec);
  await mkdir(modelDir, { recursive: true });
  const release = await acquireLock(modelDir, spec.id);
  try {
    const missing = await missingModelFiles(options.modelsDir, spec, { abortSignal });
    let bytes = 0;
    for (const [fileIndex, file] of missing.entries()) {
      bytes += await downloadFile(spec, file, modelDir, {
        ...options,
        fileIndex,
        fileCount: missing.length,
      });
    }
    return { downloaded: missing.map((file) => file.path), bytes };
  } finally {
    await release();
  }
}

/** The URL of one file: every path segment encoded, the base URL's own path kept. */
export function modelFileUrl(
  baseUrl: string,
  spec: EmbeddingModelSpec,
  file: Pick<ModelFileSpec, 'path'>,
): string {
  const segments = [...spec.id.split('/'), 'resolve', spec.revision, ...file.path.split('/')];
  return `${baseUrl.replace(/\/+$/, '')}/${segments.map(encodeURIComponent).join('/')}`;
}

interface FileContext extends DownloadModelOptions {
  fileIndex: number;
  fileCount: number;
}

async function downloadFile(
  spec: EmbeddingModelSpec,
  file: ModelFileSpec,
  modelDir: string,
  context: FileContext,
): Promise<number> {
  const target = modelFilePath(modelDir, file);
  const partial = `${target}.part`;
  await mkdir(path.dirname(target), { recursive: true });
  const url = modelFileUrl(context.baseUrl ?? DEFAULT_MODEL_BASE_URL, spec, file);

  const received = await fetchInto(partial, url, file, spec.id, context);
  const { sha256, size } = received;
  if (sha256 !== file.sha256) {
    await rm(partial, { force: true });
    throw new QuarryError(
      'service',
      `The downloaded ${file.path} of ${spec.id} does not match its pinned checksum ` +
        `(expected sha256 ${file.sha256}, got ${sha256}); the file was deleted. ` +
        'The server (or mirror) may hold another revision of the model.',
      { reason: 'model_checksum_mismatch', retryable: false },
    );
  }
  await rename(partial, target);
  await recordVerifiedFile(context.modelsDir, spec, file, size);
  return received.fetchedBytes;
}

interface Received {
  sha256: string;
  size: number;
  fetchedBytes: number;
}

/** Streams `url` into `partial`, resuming from what is already there when the server allows it. */
async function fetchInto(
  partial: string,
  url: string,
  file: ModelFileSpec,
  modelId: string,
  context: FileContext,
): Promise<Received> {
  const offset = (await fileSize(partial)) ?? 0;
  const { response, body, done } = await request(url, offset, context);
  try {
    if (response.status === 416 && offset > 0) {
      // The part file is already complete (or bogus): hash it; a mismatch deletes it upstream.
      await body?.cancel();
      const hash = await hashExisting(partial, context.abortSignal);
      return { sha256: hash.digest('hex'), size: offset, fetchedBytes: 0 };
    }
    if (!response.ok) {
      await body?.cancel();
      throw httpError(response.status, url, modelId, file);
    }
    if (!body) throw new QuarryError('network', `${url} answered without a body.`, { reason: 'empty_body' });
    // A server that ignores the Range header answers 200 with the whole file: start over.
    const start = response.status === 206 && contentRangeStart(response) === offset ? offset : 0;
    const length = Number(response.headers.get('content-length'));
    const totalBytes = Number.isFinite(length) && length > 0 ? start + length : (file.sizeBytes ?? null);
    return await streamBody({ partial, start, totalBytes, body, file, modelId, context, url });
  } finally {
    done();
  }
}

interface StreamTarget {
  partial: string;
  /** Bytes of `partial` kept (a resumed transfer appends after them). */
  start: number;
  totalBytes: number | null;
  body: ReadableStream<Uint8Array>;
  file: ModelFileSpec;
  modelId: string;
  context: FileContext;
  url: string;
}

/** Appends the body to the part file, hashing everything (kept bytes first) and reporting progress. */
async function streamBody(target: StreamTarget): Promise<Received> {
  const { partial, start, totalBytes, body, file, modelId, context, url } = target;
  if (start === 0) await truncateOrCreate(partial);
  const hash = start > 0 ? await hashExisting(partial, context.abortSignal) : createHash('sha256');
  const progress = (loadedBytes: number) =>
    context.onProgress?.({
      modelId,
      file: file.path,
      fileIndex: context.fileIndex,
      fileCount: context.fileCount,
      loadedBytes,
      totalBytes,
    });

  const handle = await open(partial, 'a');
  let loaded = start;
  try {
    progress(loaded);
    for await (const bytes of body) {
      await handle.write(bytes);
      hash.update(bytes);
      loaded += bytes.byteLength;
      progress(loaded);
    }
  } catch (error) {
    throw transferError(error, url, context.abortSignal);
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), size: loaded, fetchedBytes: loaded - start };
}

interface Transfer {
  response: Response;
  /** The body, re-arming the stall timer with every chunk. */
  body: ReadableStream<Uint8Array> | null;
  /** Stops the stall timer (call when done with the body, however it ended). */
  done: () => void;
}

/** GET with an optional Range; a connection that stops delivering for the stall timeout is dropped. */
async function request(url: string, offset: number, context: FileContext): Promise<Transfer> {
  const fetchImpl = context.fetch ?? fetch;
  const stall = new StallTimer(context.stallTimeoutInMs ?? DEFAULT_STALL_TIMEOUT_MS);
  const signal = context.abortSignal ? AbortSignal.any([context.abortSignal, stall.signal]) : stall.signal;
  try {
    const response = await fetchImpl(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      redirect: 'follow',
      signal,
    });
    return { response, body: stall.watch(response.body), done: () => stall.stop() };
  } catch (error) {
    stall.stop();
    throw transferError(error, url, context.abortSignal);
  }
}

/** Aborts its signal when no byte arrived for `timeoutInMs`. */
class StallTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal = this.controller.signal;

  constructor(private readonly timeoutInMs: number) {
    this.arm();
  }

  watch(body: ReadableStream<Uint8Array> | null): ReadableStream<Uint8Array> | null {
    if (!body) return null;
    const rearm = () => this.arm();
    return body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          rearm();
          controller.enqueue(chunk);
        },
      }),
    );
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.controller.abort(
        new QuarryError('network', 'The download stalled.', { reason: 'stalled', retryable: true }),
      );
    }, this.timeoutInMs);
    this.timer.unref();
  }
}

function contentRangeStart(response: Response): number | null {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : null;
}

async function truncateOrCreate(filePath: string): Promise<void> {
  try {
    await truncate(filePath, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function hashExisting(filePath: string, abortSignal: AbortSignal | undefined): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    throwIfCancelled(abortSignal);
    hash.update(chunk as Buffer);
  }
  return hash;
}

function httpError(status: number, url: string, modelId: string, file: ModelFileSpec): QuarryError {
  const what = `${file.path} of ${modelId} (${url}, HTTP ${status})`;
  const table: { code: ErrorCode; reason: string; message: string; retryable: boolean } =
    status === 401 || status === 403
      ? {
          code: 'auth',
          reason: 'model_access_denied',
          message: `Access to ${what} was refused.`,
          retryable: false,
        }
      : status === 404
        ? {
            code: 'invalid_input',
            reason: 'model_file_not_found',
            message: `${what} does not exist: check the model id, revision and file names.`,
            retryable: false,
          }
        : status === 429
          ? {
              code: 'rate_limited',
              reason: 'throttled',
              message: `The model host is throttling ${what}.`,
              retryable: true,
            }
          : status >= 500
            ? {
                code: 'service',
                reason: 'server_error',
                message: `The model host failed for ${what}.`,
                retryable: true,
              }
            : {
                code: 'service',
                reason: `http_${status}`,
                message: `Unexpected answer for ${what}.`,
                retryable: false,
              };
  return new QuarryError(table.code, table.message, { reason: table.reason, retryable: table.retryable });
}

/** Abort -> cancelled, stall -> network, socket failures -> network (all resumable later). */
function transferError(error: unknown, url: string, abortSignal: AbortSignal | undefined): QuarryError {
  if (abortSignal?.aborted) return cancelledError(abortSignal);
  // The stall timer aborts with a QuarryError as reason; fetch and the body rethrow that reason.
  if (error instanceof QuarryError) return error;
  const cause = isRecord(error) && isRecord(error.cause) ? error.cause : undefined;
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
  return new QuarryError('network', `Could not download ${url}${code}. Check the internet connection.`, {
    reason: 'model_download_failed',
    retryable: true,
    cause: error,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// ---------------------------------------------------------------------------------------------
// Cross-process lock
// ---------------------------------------------------------------------------------------------

const LOCK_FILE = '.download.lock';

/** Takes `<modelDir>/.download.lock` (holding the pid); a lock left by a dead process is taken over. */
async function acquireLock(modelDir: string, modelId: string): Promise<() => Promise<void>> {
  const lockPath = path.join(modelDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(lockPath).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new QuarryError(
          'service',
          `The embedding model ${modelId} is already being downloaded (process ${holder}).`,
          { reason: 'model_download_in_progress', retryable: true },
        );
      }
      await rm(lockPath, { force: true });
    }
  }
  throw new QuarryError('service', `Could not lock ${lockPath} to download ${modelId}.`, {
    reason: 'model_download_in_progress',
    retryable: true,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
