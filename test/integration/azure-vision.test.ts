/**
 * The Vision extractor against the simulator, with the real `@azure-rest/ai-vision-image-analysis`
 * client over HTTP on 127.0.0.1: caption, tags and read text mapped to blocks; images outside the
 * limits downscaled, or refused before any request.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LimiterRegistry } from '../../electron/engine/pipeline/scheduler/limiter-registry';
import { createVisionExtractor } from '../../electron/engine/providers/azure/vision-extractor';
import type { Extractor } from '../../electron/engine/types';
import { makeTextImage } from '../azure-sim/content/fixtures';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { type TempFolder, tempFolder, testLimiters, visionConfig } from '../helpers/azure-providers';

/** A PNG whose header claims `width` x `height` px, padded to `bytes` (never decoded by a correct client). */
function pngClaiming(width: number, height: number, bytes: number): Buffer {
  const header = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(header, 0);
  header.writeUInt32BE(13, 8);
  header.write('IHDR', 12, 'latin1');
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  header.writeUInt8(8, 24); // bit depth
  header.writeUInt8(6, 25); // RGBA
  return Buffer.concat([header, Buffer.alloc(bytes - header.length)]);
}

describe('Vision client under plain Node ESM (as the CLI runs it with tsx)', () => {
  it('finds the factory of the CommonJS package', async () => {
    const script = `const m = await import('./electron/engine/providers/azure/vision-extractor.ts');
const client = m.createVisionClient({ endpoint: 'http://127.0.0.1:9', auth: { kind: 'key', key: 'k' }, apiVersion: '2024-02-01', features: ['read'] });
process.stdout.write(typeof client.path);`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: process.cwd(),
      },
    );
    expect(stdout).toBe('function');
  });
});

describe('Vision extractor', () => {
  let sim: AzureSim;
  let folder: TempFolder;
  let limiters: LimiterRegistry;
  let extractor: Extractor;

  beforeAll(async () => {
    sim = await startAzureSim();
    folder = await tempFolder('quarry-vision');
  });

  afterAll(async () => {
    await sim.close();
    await folder.remove();
  });

  beforeEach(() => {
    sim.reset();
    limiters = testLimiters();
    extractor = createVisionExtractor({ config: visionConfig(sim), limiter: limiters.get('vision') });
  });

  afterEach(() => limiters.dispose());

  it("reads an image's caption, tags and text into blocks with line polygons", async () => {
    const file = await folder.write(
      'whiteboard.png',
      makeTextImage({ lines: ['Sprint planning notes', 'Ship the search box'], width: 900, height: 300 }),
    );
    const document = await extractor.extract(file);
    expect(document.caption).toBe('an image with the text "Sprint planning notes"');
    expect(document.tags).toEqual(expect.arrayContaining(['text', 'landscape', 'sprint']));
    expect(document.pages).toHaveLength(1);
    const page = document.pages[0]!;
    expect(page).toMatchObject({ page: 1, width: 900, height: 300, unit: 'pixel' });
    expect(page.blocks[0]).toEqual({
      kind: 'heading',
      text: 'an image with the text "Sprint planning notes"',
    });
    expect(page.blocks[1]?.text).toMatch(/^Tags: text, landscape/);
    const read = page.blocks.slice(2);
    expect(read.map((block) => block.text).join('\n')).toBe('Sprint planning notes\nShip the search box');
    const regions = read.flatMap((block) => block.regions ?? []);
    expect(regions).toHaveLength(2);
    for (const region of regions) {
      expect(region.page).toBe(1);
      expect(region.polygon).toHaveLength(8);
      expect(Math.max(...region.polygon.filter((_, index) => index % 2 === 0))).toBeLessThanOrEqual(900);
    }
    const calls = sim.ledger.entries().filter((entry) => entry.route === 'vision.analyze');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.notes?.features).toBe('caption,tags,read');
  });

  it('downscales an image wider than 16,000 px and maps sizes back to the original', async () => {
    const canvas = createCanvas(17_000, 120);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, 17_000, 120);
    const file = await folder.write('panorama.png', canvas.toBuffer('image/png'));
    const document = await extractor.extract(file);
    expect(document.pages[0]).toMatchObject({ width: 17_000, height: 120, unit: 'pixel' });
    const calls = sim.ledger.entries().filter((entry) => entry.route === 'vision.analyze');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.status).toBe(200);
    // The sim describes what it received: a very wide image.
    expect(document.caption).toBe('a landscape image');
  });

  it('refuses images it cannot bring within the limits, before any request', async () => {
    const tiny = await folder.write('icon.png', makeTextImage({ lines: ['x'], width: 32, height: 32 }));
    await expect(extractor.extract(tiny)).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'too_small',
    });
    await expect(extractor.extract(tiny)).rejects.toThrow(
      /32×32 px; Azure AI Vision needs at least 50×50 px/,
    );
    const huge = await folder.write('huge.png', pngClaiming(30_000, 30_000, 21 * 1024 * 1024));
    await expect(extractor.extract(huge)).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'too_large',
    });
    await expect(extractor.extract(await folder.write('empty.png', new Uint8Array()))).rejects.toMatchObject({
      reason: 'empty_file',
    });
    expect(sim.ledger.entries()).toHaveLength(0);
  });
});
