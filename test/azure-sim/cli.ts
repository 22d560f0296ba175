/**
 * `npm run sim -- [--port P] [--profile instant|realistic] [--scenario FILE] [--seed N]`
 * Starts every simulated service on 127.0.0.1, prints ONE JSON line (endpoints, keys,
 * deployments, Quarry's environment variables) and runs until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { isProfileName } from './core/profiles';
import { startAzureSim } from './index';

const USAGE = 'usage: npm run sim -- [--port P] [--profile instant|realistic] [--scenario FILE] [--seed N]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(value: string | undefined, name: string, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    fail(`--${name} must be a non-negative integer, got '${value}'`);
  return parsed;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        profile: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const profile = typeof values.profile === 'string' ? values.profile : 'instant';
  if (!isProfileName(profile)) fail(`--profile must be instant or realistic, got '${profile}'`);
  const port = integer(values.port as string | undefined, 'port', 0);
  const seed = integer(values.seed as string | undefined, 'seed', undefined);
  const scenario = typeof values.scenario === 'string' ? values.scenario : undefined;

  const sim = await startAzureSim({
    profile,
    ...(port !== undefined ? { port } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(scenario !== undefined ? { scenario } : {}),
  }).catch((error: unknown) => fail(`azure-sim: ${(error as Error).message}`));

  process.stdout.write(
    `${JSON.stringify({
      baseUrl: sim.baseUrl,
      profile: sim.profile.name,
      endpoints: sim.endpoints,
      keys: sim.keys,
      openAiDeployments: sim.openAiDeployments.map((d) => ({ name: d.name, model: d.model, kind: d.kind })),
      env: sim.env(),
    })}\n`,
  );

  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
