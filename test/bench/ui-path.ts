/**
 * The UI path: a 10,000-file job in the real engine behind the browser host (`quarry serve`, in
 * its own process), watched by a WebSocket client as the renderer would be. Counts the `{event}`
 * frames reaching the client per second and reads the serve process's peak RSS. The local backend
 * (keyword-only, QUARRY_EMBEDDINGS=off, so nothing is downloaded) keeps the files' own cost small,
 * so what is measured is the engine's bookkeeping and the transport.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import WebSocket from 'ws';
import { withoutQuarryEnv } from './pipelines/run-child';
import { REPO_ROOT, spawnMeasured } from './rss';

const CLI = path.join(REPO_ROOT, 'electron', 'cli', 'index.ts');
const RENDERER_INDEX = path.join(REPO_ROOT, 'dist', 'renderer', 'index.html');
const FILES_PER_FOLDER = 500;

export const UI_PATH_RSS_TARGET_MB = 600;

export interface UiPathResult {
  ok: boolean;
  error: string | null;
  files: number;
  indexed: number;
  failed: number;
  /** startIngest sent to job.finished received. */
  wallMs: number | null;
  eventFrames: number;
  framesPerSecond: { mean: number; max: number } | null;
  eventBytes: number;
  peakRssMb: number | null;
}

export interface UiPathOptions {
  fileCount: number;
  workDir: string;
  timeoutInMs?: number;
}

async function writeTinyFiles(root: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += FILES_PER_FOLDER) {
    const folder = path.join(root, `batch-${String(start / FILES_PER_FOLDER).padStart(3, '0')}`);
    await mkdir(folder, { recursive: true });
    const end = Math.min(count, start + FILES_PER_FOLDER);
    const writes: Promise<void>[] = [];
    for (let index = start; index < end; index++) {
      writes.push(
        writeFile(
          path.join(folder, `note-${String(index).padStart(5, '0')}.txt`),
          `Note ${index}: the weekly shipment ${index % 97} arrived at warehouse ${index % 13}.\n`,
        ),
      );
    }
    await Promise.all(writes);
  }
}

interface WatchResult {
  jobId: string;
  startedAtMs: number;
  finishedAtMs: number;
  frames: number[];
  eventBytes: number;
  indexed: number;
  failed: number;
}

/** Connects as the renderer does, starts the job and counts event frames until it finishes. */
function watchJob(url: string, folder: string, timeoutInMs: number): Promise<WatchResult> {
  const page = new URL(url);
  const socket = new WebSocket(`ws://${page.host}/ws?token=${page.searchParams.get('token') ?? ''}`, {
    headers: { origin: `http://${page.host}` },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`the job did not finish within ${timeoutInMs} ms`));
    }, timeoutInMs);
    const frames: number[] = [];
    let startedAtMs = 0;
    let jobId: string | null = null;
    let eventBytes = 0;
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('open', () => {
      startedAtMs = performance.now();
      socket.send(
        JSON.stringify({ id: 1, call: 'startIngest', input: { sources: [{ kind: 'path', path: folder }] } }),
      );
    });
    socket.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      const message = JSON.parse(text) as {
        id?: number;
        result?: { ok: boolean; value?: { jobId: string }; error?: { message: string } };
        event?: { type: string; job?: { jobId: string }; summary?: { indexed: number; failed: number } };
      };
      if (message.id === 1 && message.result) {
        if (!message.result.ok || !message.result.value) {
          clearTimeout(timer);
          socket.close();
          reject(new Error(`startIngest failed: ${message.result.error?.message ?? 'unknown error'}`));
          return;
        }
        jobId = message.result.value.jobId;
        return;
      }
      if (!message.event) return;
      const second = Math.floor((performance.now() - startedAtMs) / 1000);
      frames[second] = (frames[second] ?? 0) + 1;
      eventBytes += text.length;
      const { event } = message;
      if (event.type === 'job.finished' && event.job?.jobId === jobId && event.summary) {
        clearTimeout(timer);
        const finishedAtMs = performance.now();
        socket.close();
        resolve({
          jobId,
          startedAtMs,
          finishedAtMs,
          frames: Array.from(frames, (count) => count ?? 0),
          eventBytes,
          indexed: event.summary.indexed,
          failed: event.summary.failed,
        });
      }
    });
  });
}

export async function measureUiPath(options: UiPathOptions): Promise<UiPathResult> {
  const failedResult = (error: string, peakRssMb: number | null = null): UiPathResult => ({
    ok: false,
    error,
    files: options.fileCount,
    indexed: 0,
    failed: 0,
    wallMs: null,
    eventFrames: 0,
    framesPerSecond: null,
    eventBytes: 0,
    peakRssMb,
  });
  try {
    await stat(RENDERER_INDEX);
  } catch {
    return failedResult('the renderer is not built (dist/renderer/index.html): run `npm run build` first');
  }
  const folder = path.join(options.workDir, 'ui-files');
  await writeTinyFiles(folder, options.fileCount);
  let resolveUrl: (url: string) => void = () => {};
  const urlLine = new Promise<string>((resolve) => {
    resolveUrl = resolve;
  });
  const serve = spawnMeasured(
    CLI,
    ['serve', '--port', '0', '--data-dir', path.join(options.workDir, 'ui-data')],
    {
      env: { ...withoutQuarryEnv(process.env), QUARRY_EMBEDDINGS: 'off', FORCE_COLOR: '0' },
      keepStdout: false,
      onStdoutLine: (line) => {
        if (line.startsWith('{')) resolveUrl((JSON.parse(line) as { url: string }).url);
      },
      timeoutInMs: (options.timeoutInMs ?? 600_000) + 60_000,
    },
  );
  const url = await Promise.race([
    urlLine,
    serve.done.then((run) => {
      throw new Error(`quarry serve exited with ${run.code ?? run.signal}: ${run.stderr.slice(-500)}`);
    }),
  ]).catch((error: unknown) => error as Error);
  if (url instanceof Error) return failedResult(url.message);
  let watched: WatchResult;
  try {
    watched = await watchJob(url, folder, options.timeoutInMs ?? 600_000);
  } catch (error) {
    const run = await serve.stop();
    return failedResult(error instanceof Error ? error.message : String(error), run.peakRssMb);
  }
  const run = await serve.stop();
  const seconds = (watched.finishedAtMs - watched.startedAtMs) / 1000;
  const eventFrames = watched.frames.reduce((sum, count) => sum + count, 0);
  return {
    ok: true,
    error: null,
    files: options.fileCount,
    indexed: watched.indexed,
    failed: watched.failed,
    wallMs: watched.finishedAtMs - watched.startedAtMs,
    eventFrames,
    framesPerSecond: { mean: eventFrames / Math.max(seconds, 0.001), max: Math.max(0, ...watched.frames) },
    eventBytes: watched.eventBytes,
    peakRssMb: run.peakRssMb,
  };
}
