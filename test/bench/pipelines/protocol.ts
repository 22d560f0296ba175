/**
 * How the bench runner and a baseline pipeline's child process talk: the runner writes a config
 * file and passes its path as the only argument; the child prints one JSON result as its last
 * stdout line.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

export interface PipelineConfig {
  manifestPath: string;
  /** The simulator's AZURE_* variables (sim.env()). */
  azureEnv: Record<string, string>;
  /** Index this pipeline writes to (each pipeline has its own). */
  indexName: string;
  /** Paths of the corpus files to ingest (all, or a sample). */
  files: string[];
}

export interface PipelineFailure {
  path: string;
  message: string;
}

export interface PipelineChildResult {
  /** From the first file read to the last upload, in the child. */
  workMs: number;
  files: number;
  indexedFiles: number;
  chunks: number;
  failures: PipelineFailure[];
  /** Time per phase, where the pipeline has phases (LangChain: load, split, embed+upload). */
  phasesMs?: Record<string, number>;
}

export async function readPipelineConfig(argv: readonly string[]): Promise<PipelineConfig> {
  const configPath = argv[2];
  if (!configPath) throw new Error('usage: <pipeline>.ts <config.json>');
  return JSON.parse(await readFile(configPath, 'utf8')) as PipelineConfig;
}

export function printResult(result: PipelineChildResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True when the module at `importMetaUrl` is the script node was started with. */
export function isMainModule(importMetaUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(script).href === importMetaUrl;
}
