import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliCommand, REPO_ROOT } from './run-cli';

export interface ServeProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `quarry serve --port 0` and resolves with the URL from its first stdout line. `env` is
 * added to this process's environment (e.g. the Azure simulator's variables).
 */
export function startServe(
  dataDir: string,
  options: { timeoutInMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ServeProcess> {
  const [command, args] = cliCommand(['serve', '--port', '0', '--data-dir', dataDir]);
  const child: ChildProcess = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`quarry serve did not start: ${stderr}`));
    }, options.timeoutInMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quarry serve exited with ${code}: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const { url } = JSON.parse(line) as { url: string };
      resolve({ url, stop });
    });
  });
}
