/** `npm run sim`: one JSON line with endpoints and keys, serves until SIGTERM, exits 2 on bad usage. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(REPO_ROOT, 'test/azure-sim/cli.ts');

function runCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitCode(child: ReturnType<typeof runCli>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('azure-sim CLI', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'azure-sim-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line, serves with the scenario applied, and stops on SIGTERM', async () => {
    const scenario = path.join(dir, 'scenario.json');
    await writeFile(
      scenario,
      JSON.stringify({ rules: [{ route: 'openai.embeddings', fault: 'unavailable', times: 1 }] }),
    );
    const child = runCli(['--port', '0', '--profile', 'instant', '--seed', '9', '--scenario', scenario]);
    const exited = exitCode(child);
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve) => lines.once('line', resolve));
      const info = JSON.parse(first) as {
        baseUrl: string;
        profile: string;
        endpoints: Record<string, string>;
        keys: Record<string, string>;
        env: Record<string, string>;
      };
      expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.profile).toBe('instant');
      expect(Object.keys(info.endpoints).sort()).toEqual([
        'documentIntelligence',
        'openai',
        'search',
        'vision',
      ]);
      expect(info.env.AZURE_OPENAI_ENDPOINT).toBe(info.endpoints.openai);

      const call = () =>
        fetch(
          `${info.endpoints.openai}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`,
          {
            method: 'POST',
            headers: { 'api-key': info.keys.openai ?? '', 'content-type': 'application/json' },
            body: JSON.stringify({ input: 'cli' }),
          },
        );
      expect((await call()).status).toBe(503);
      expect((await call()).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('exits 2 with usage on a bad profile', async () => {
    const child = runCli(['--profile', 'fast']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain('usage: npm run sim');
  });
});
