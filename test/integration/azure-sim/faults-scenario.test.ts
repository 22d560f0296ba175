/** Scenario semantics: route globs, probability with a seed, after/times, files, switching. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureSim, type Scenario, startAzureSim } from '../../azure-sim/index';

async function statuses(sim: AzureSim, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(
      `${sim.baseUrl}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
        body: JSON.stringify({ input: `request ${i}` }),
      },
    );
    await response.arrayBuffer();
    out.push(response.status);
  }
  return out;
}

const halfThrottled: Scenario = {
  rules: [{ route: 'openai.*', fault: 'throttle', probability: 0.5, retryAfter: 'none' }],
};

describe('fault scenarios', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'azure-sim-scenario-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a probability rule hits the same requests for the same seed, others for another seed', async () => {
    const runs: number[][] = [];
    for (const seed of [42, 42, 43]) {
      const sim = await startAzureSim({ seed, scenario: halfThrottled });
      runs.push(await statuses(sim, 24));
      await sim.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    const throttled = runs[0]?.filter((s) => s === 429).length ?? 0;
    expect(throttled).toBeGreaterThan(4);
    expect(throttled).toBeLessThan(20);
  });

  it('after and times pick exactly which matching requests fail; other routes are untouched', async () => {
    const sim = await startAzureSim({
      scenario: { rules: [{ route: 'openai.embeddings', fault: 'internalError', after: 2, times: 2 }] },
    });
    expect(await statuses(sim, 6)).toEqual([200, 200, 500, 500, 200, 200]);
    expect(sim.faultCounts()).toEqual([2]);
    const chat = await fetch(
      `${sim.baseUrl}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'api-key': sim.keys.openai, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      },
    );
    expect(chat.status).toBe(200);
    await sim.close();
  });

  it('scenario files load at start and can be switched at run time', async () => {
    const file = path.join(dir, 'scenario.json');
    await writeFile(
      file,
      JSON.stringify({ seed: 5, rules: [{ route: 'openai.embeddings', fault: 'unavailable', times: 1 }] }),
    );
    const sim = await startAzureSim({ scenario: file });
    expect(await statuses(sim, 2)).toEqual([503, 200]);

    await writeFile(
      file,
      JSON.stringify({ rules: [{ route: '*', fault: 'throttle', retryAfter: 'none', times: 1 }] }),
    );
    await sim.loadScenario(file);
    expect(await statuses(sim, 2)).toEqual([429, 200]);

    sim.setScenario({ rules: [] });
    expect(await statuses(sim, 2)).toEqual([200, 200]);
    await sim.close();
  });

  it('an invalid scenario is refused with the offending field named', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ rules: [{ route: 'openai.*', fault: 'explode' }] }));
    await expect(startAzureSim({ scenario: file })).rejects.toThrow(/fault/);
  });
});
