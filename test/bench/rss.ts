/**
 * Runs a Node script in its own child process (tsx as a loader, so a signal reaches the script
 * itself) with the RSS preload, and reports its wall time and peak RSS. Each pipeline runs this
 * way, so its memory is measured apart from the simulator's and the other pipelines'.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PRELOAD = path.join(REPO_ROOT, 'test', 'bench', 'rss-preload.ts');

export interface MeasuredRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Null when the process died before it could write its figure (e.g. SIGKILL). */
  peakRssMb: number | null;
}

export interface SpawnMeasuredOptions {
  env?: NodeJS.ProcessEnv;
  /** Called for each stdout line as it arrives. */
  onStdoutLine?: (line: string) => void;
  /** Killed (SIGTERM, then SIGKILL) after this long; default: never. */
  timeoutInMs?: number;
  abortSignal?: AbortSignal;
  /** Keep stdout in the result (default true; off for chatty processes). */
  keepStdout?: boolean;
}

export interface MeasuredProcess {
  started: Promise<ChildProcess>;
  done: Promise<MeasuredRun>;
  /** SIGTERM, then SIGKILL after `graceInMs`; resolves when the process has exited. */
  stop(graceInMs?: number): Promise<MeasuredRun>;
}

export function spawnMeasured(
  script: string,
  args: readonly string[],
  options: SpawnMeasuredOptions = {},
): MeasuredProcess {
  const started = performance.now();
  const rssDir = mkdtemp(path.join(os.tmpdir(), 'quarry-bench-rss-'));
  const childReady = rssDir.then((dir) =>
    spawn(process.execPath, ['--import', 'tsx', '--import', PRELOAD, script, ...args], {
      cwd: REPO_ROOT,
      env: { ...(options.env ?? process.env), QUARRY_BENCH_RSS_FILE: path.join(dir, 'rss.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );

  const done = childReady.then(
    (proc) =>
      new Promise<MeasuredRun>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        const keepStdout = options.keepStdout ?? true;
        createInterface({ input: proc.stdout! }).on('line', (line) => {
          if (keepStdout) stdout += `${line}\n`;
          options.onStdoutLine?.(line);
        });
        proc.stderr?.on('data', (chunk: Buffer) => {
          // Keep the tail only: a crash message is at the end.
          stderr = (stderr + chunk.toString()).slice(-64_000);
        });
        const timer =
          options.timeoutInMs === undefined
            ? undefined
            : setTimeout(() => terminate(proc), options.timeoutInMs);
        const onAbort = () => terminate(proc);
        options.abortSignal?.addEventListener('abort', onAbort, { once: true });
        proc.once('error', reject);
        proc.once('close', (code, signal) => {
          clearTimeout(timer);
          options.abortSignal?.removeEventListener('abort', onAbort);
          const wallMs = performance.now() - started;
          void (async () => {
            const dir = await rssDir;
            const peakRssMb = await readPeakRssMb(path.join(dir, 'rss.json'));
            await rm(dir, { recursive: true, force: true });
            resolve({ code, signal, stdout, stderr, wallMs, peakRssMb });
          })().catch(reject);
        });
      }),
  );

  return {
    started: childReady,
    done,
    async stop(graceInMs = 10_000) {
      const proc = await childReady;
      terminate(proc, graceInMs);
      return done;
    },
  };
}

function terminate(proc: ChildProcess, graceInMs = 10_000): void {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  setTimeout(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }, graceInMs).unref();
}

async function readPeakRssMb(file: string): Promise<number | null> {
  try {
    const { maxRssKb } = JSON.parse(await readFile(file, 'utf8')) as { maxRssKb: number };
    return Math.round((maxRssKb / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** Runs to completion. */
export function runMeasured(
  script: string,
  args: readonly string[],
  options: SpawnMeasuredOptions = {},
): Promise<MeasuredRun> {
  return spawnMeasured(script, args, options).done;
}
