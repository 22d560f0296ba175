/**
 * The bench's peak-RSS figure must be the measured process's own: a small child spawned by a
 * large parent reports its own size, not the parent's (which Linux's maxRSS carries across exec).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMeasured } from '../bench/rss';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-bench-rss-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runMeasured peak RSS', () => {
  it("reports a small child's own peak, not that of the large process that spawned it", async () => {
    const script = path.join(dir, 'small.mjs');
    await writeFile(script, 'process.stdout.write("ok");\n');
    // 600 MB resident in this process while the child is spawned.
    const ballast = Buffer.alloc(600 * 1024 * 1024, 1);
    const run = await runMeasured(script, []);
    expect(ballast[ballast.length - 1]).toBe(1);
    expect(run.code).toBe(0);
    expect(run.peakRssMb).not.toBeNull();
    expect(run.peakRssMb!).toBeLessThan(300);
  });

  it('reports a large child at its size', async () => {
    const script = path.join(dir, 'large.mjs');
    await writeFile(
      script,
      'const b = Buffer.alloc(400 * 1024 * 1024, 1); process.stdout.write(String(b[0]));\n',
    );
    const run = await runMeasured(script, []);
    expect(run.code).toBe(0);
    expect(run.peakRssMb!).toBeGreaterThan(400);
  });
});
