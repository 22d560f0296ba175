import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO_ROOT, 'electron', 'cli', 'index.ts');

/**
 * Command and arguments that run the CLI in ONE node process (tsx as a loader, not the tsx
 * binary, which would fork a child): a signal sent to it reaches the CLI itself.
 */
export function cliCommand(args: string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', CLI, ...args]];
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunScriptOptions {
  env?: NodeJS.ProcessEnv;
  /** SIGKILL after this long (default 120 s). */
  timeoutInMs?: number;
}

/** Runs the real `quarry` CLI (the same entry as `npm run quarry`) in a child process. */
export function runCli(args: string[], options: RunScriptOptions = {}): Promise<CliResult> {
  return runTsScript(CLI, args, options);
}

/** Runs a TypeScript entry of this repo in its own node process (tsx as a loader), collecting its output. */
export function runTsScript(
  script: string,
  args: string[],
  options: RunScriptOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutInMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses NDJSON output into objects (ignores blank lines). */
export function parseNdjson(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
