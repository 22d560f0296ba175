/**
 * Quarry's pipeline, measured as users run it: the real CLI in its own process,
 * `quarry ingest <corpus> --json --data-dir <fresh dir>`, with the simulator's AZURE_* variables
 * in its environment so the engine picks the Azure backend.
 */
import path from 'node:path';
import { REPO_ROOT, runMeasured } from '../rss';
import { lastJsonLine, type PipelineOutcome, withoutQuarryEnv } from './run-child';

const CLI = path.join(REPO_ROOT, 'electron', 'cli', 'index.ts');

interface IngestSummary {
  type: 'summary';
  files: number;
  indexed: number;
  skipped: number;
  failed: number;
  chunks: number;
  elapsedMs: number;
  failures: { path: string; code: string; message: string }[];
}

export interface QuarryRunOptions {
  corpusDir: string;
  dataDir: string;
  azureEnv: Record<string, string>;
  timeoutInMs?: number;
  abortSignal?: AbortSignal;
}

export async function runQuarry(options: QuarryRunOptions): Promise<PipelineOutcome> {
  const run = await runMeasured(CLI, ['ingest', options.corpusDir, '--json', '--data-dir', options.dataDir], {
    env: { ...withoutQuarryEnv(process.env), ...options.azureEnv, FORCE_COLOR: '0' },
    ...(options.timeoutInMs !== undefined ? { timeoutInMs: options.timeoutInMs } : {}),
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  const summary = lastJsonLine<IngestSummary>(run.stdout);
  if (summary?.type !== 'summary') {
    return {
      ok: false,
      error: `quarry ingest exited with ${run.code ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`,
      workMs: null,
      processWallMs: run.wallMs,
      peakRssMb: run.peakRssMb,
      files: 0,
      indexedFiles: 0,
      chunks: 0,
      failedFiles: 0,
      failures: [],
    };
  }
  return {
    ok: true,
    error: null,
    workMs: summary.elapsedMs,
    processWallMs: run.wallMs,
    peakRssMb: run.peakRssMb,
    files: summary.files,
    indexedFiles: summary.indexed,
    chunks: summary.chunks,
    failedFiles: summary.failed,
    failures: summary.failures.slice(0, 5).map(({ path: p, message }) => ({ path: p, message })),
  };
}
