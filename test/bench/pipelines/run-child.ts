/**
 * Runner side of a baseline pipeline: writes its config, runs it in its own measured child
 * process and reads the result line.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from '../rss';
import type { PipelineChildResult, PipelineConfig } from './protocol';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export type BaselineName = 'sequential' | 'langchain';

/** What every pipeline run reports to the runner, whichever way it ran. */
export interface PipelineOutcome {
  ok: boolean;
  /** Why the run failed as a whole (the process failed or printed no result). */
  error: string | null;
  /** The pipeline's own time for the work (Quarry: the CLI summary's elapsedMs). */
  workMs: number | null;
  /** Child process start to exit (includes Node and module start-up). */
  processWallMs: number;
  peakRssMb: number | null;
  files: number;
  indexedFiles: number;
  chunks: number;
  failedFiles: number;
  /** The first few failures, for the report. */
  failures: { path: string; message: string }[];
  phasesMs?: Record<string, number>;
}

export async function runBaseline(
  name: BaselineName,
  config: PipelineConfig,
  options: { workDir: string; timeoutInMs?: number; abortSignal?: AbortSignal },
): Promise<PipelineOutcome> {
  const configPath = path.join(options.workDir, `${name}-config.json`);
  await writeFile(configPath, JSON.stringify(config));
  const run = await runMeasured(path.join(HERE, `${name}.ts`), [configPath], {
    env: { ...withoutQuarryEnv(process.env), FORCE_COLOR: '0' },
    ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const result = lastJsonLine<PipelineChildResult>(run.stdout);
  if (run.code !== 0 || !result) {
    return {
      ok: false,
      error: `${name} exited with ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-5).join(' ')}`,
      workMs: null,
      processWallMs: run.wallMs,
      peakRssMb: run.peakRssMb,
      files: config.files.length,
      indexedFiles: 0,
      chunks: 0,
      failedFiles: config.files.length,
      failures: [],
    };
  }
  return {
    ok: true,
    error: null,
    workMs: result.workMs,
    processWallMs: run.wallMs,
    peakRssMb: run.peakRssMb,
    files: result.files,
    indexedFiles: result.indexedFiles,
    chunks: result.chunks,
    failedFiles: result.failures.length,
    failures: result.failures.slice(0, 5),
    ...(result.phasesMs ? { phasesMs: result.phasesMs } : {}),
  };
}

export function lastJsonLine<T>(stdout: string): T | null {
  const line = stdout.trimEnd().split('\n').at(-1);
  if (!line) return null;
  try {
    return JSON.parse(line) as T;
  } catch {
    return null;
  }
}

/** The user's own Azure or Quarry settings must not leak into a measured run. */
export function withoutQuarryEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('AZURE_') && !name.startsWith('QUARRY_')),
  );
}
