/**
 * Image Analysis simulator behaviour through the real client: results derived from the image's
 * own text and size, only the requested features, Azure's errors for bad input, and 429s.
 */

import { crc32 } from 'node:zlib';
import { AzureKeyCredential } from '@azure/core-auth';
import createImageAnalysisClient, {
  type ImageAnalysisClient,
  type ImageAnalysisResultOutput,
  isUnexpected,
} from '@azure-rest/ai-vision-image-analysis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeNumberedPdf, makeTextImage } from '../../azure-sim/content/fixtures';
import { instantProfile } from '../../azure-sim/core/profiles';
import { type AzureSim, startAzureSim } from '../../azure-sim/index';

interface ErrorBody {
  error: { code: string; message: string; innererror?: { code: string; message: string } };
}

/** A PNG that is only a signature and an IHDR chunk: enough for the size checks, no pixels needed. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.writeUInt8(8, 8);
  data.writeUInt8(2, 9);
  const typed = Buffer.concat([Buffer.from('IHDR'), data]);
  const chunk = Buffer.alloc(8 + 13 + 4);
  chunk.writeUInt32BE(13, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 21);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk]);
}

describe('Image Analysis: results derived from the image', () => {
  let sim: AzureSim;
  let client: ImageAnalysisClient;

  beforeAll(async () => {
    sim = await startAzureSim();
    client = createImageAnalysisClient(sim.endpoints.vision, new AzureKeyCredential(sim.keys.vision), {
      allowInsecureConnection: true,
    });
  });
  afterEach(() => sim.setScenario({ rules: [] }));
  afterAll(async () => {
    await sim?.close();
  });

  async function analyze(image: Uint8Array, features: string[], extra: Record<string, unknown> = {}) {
    return client.path('/imageanalysis:analyze').post({
      contentType: 'application/octet-stream',
      body: image,
      queryParameters: { features, ...extra },
    });
  }

  async function analyzeOk(
    image: Uint8Array,
    features: string[],
    extra: Record<string, unknown> = {},
  ): Promise<ImageAnalysisResultOutput> {
    const response = await analyze(image, features, extra);
    if (isUnexpected(response)) throw new Error(`analyze failed: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  it('captions, tags, objects, dense captions and read follow the image text, deterministically', async () => {
    const image = makeTextImage({
      lines: ['Harbour Festival tickets', 'Saturday'],
      width: 1200,
      height: 400,
    });
    const features = ['caption', 'tags', 'objects', 'denseCaptions', 'read'];
    const body = await analyzeOk(image, features);
    expect(body.metadata).toEqual({ width: 1200, height: 400 });
    expect(body.captionResult).toEqual({
      text: 'an image with the text "Harbour Festival tickets"',
      confidence: 0.85,
    });
    expect(body.tagsResult?.values.map((tag) => tag.name)).toEqual([
      'text',
      'landscape',
      'harbour',
      'festival',
      'tickets',
      'saturday',
    ]);
    expect(body.objectsResult?.values.map((object) => object.tags[0]?.name)).toEqual(['text']);
    expect(body.denseCaptionsResult?.values.map((caption) => caption.text)).toEqual([
      'an image with the text "Harbour Festival tickets"',
      'the text "Harbour Festival tickets"',
      'the text "Saturday"',
    ]);
    expect(body.denseCaptionsResult?.values[0]?.boundingBox).toEqual({ x: 0, y: 0, w: 1200, h: 400 });
    const lines = body.readResult?.blocks[0]?.lines ?? [];
    expect(lines.map((line) => [line.text, line.words.map((word) => word.text)])).toEqual([
      ['Harbour Festival tickets', ['Harbour', 'Festival', 'tickets']],
      ['Saturday', ['Saturday']],
    ]);
    for (const point of lines[0]!.boundingPolygon) {
      expect(point.x).toBeGreaterThanOrEqual(0);
      expect(point.x).toBeLessThanOrEqual(1200);
      expect(point.y).toBeLessThanOrEqual(400);
    }
    expect(await analyzeOk(image, features)).toEqual(body);
  });

  it('returns only the requested results; people is empty; an image without text gets a shape caption', async () => {
    const blank = makeTextImage({ lines: [], width: 300, height: 600 });
    const body = await analyzeOk(blank, ['caption', 'people']);
    expect(Object.keys(body).sort()).toEqual(['captionResult', 'metadata', 'modelVersion', 'peopleResult']);
    expect(body.captionResult?.text).toBe('a portrait image');
    expect(body.peopleResult?.values).toEqual([]);
  });

  it('smart crops: one crop per requested ratio inside the image, or one of the image’s own ratio', async () => {
    const image = makeTextImage({ lines: ['centre'], width: 1000, height: 500 });
    const crops = (await analyzeOk(image, ['smartCrops'], { 'smartcrops-aspect-ratios': [0.75, 1.8] }))
      .smartCropsResult!.values;
    expect(crops.map((crop) => crop.aspectRatio)).toEqual([0.75, 1.8]);
    for (const { aspectRatio, boundingBox: box } of crops) {
      expect(box.x + box.w).toBeLessThanOrEqual(1000);
      expect(box.y + box.h).toBeLessThanOrEqual(500);
      expect(box.w / box.h).toBeCloseTo(aspectRatio, 1);
    }
    const own = (await analyzeOk(image, ['smartCrops'])).smartCropsResult!.values;
    expect(own).toEqual([{ aspectRatio: 2, boundingBox: { x: 0, y: 0, w: 1000, h: 500 } }]);
  });

  it('reads the text of an image without the convention by OCR', async () => {
    const image = makeTextImage({ lines: ['Platform 9 departures'], embedText: false, fontSizePx: 40 });
    const body = await analyzeOk(image, ['read']);
    expect(body.readResult?.blocks[0]?.lines.map((line) => line.text)).toEqual(['Platform 9 departures']);
  });

  it('answers Azure’s 400s for bad images and parameters', async () => {
    const cases: [Promise<{ status: string; body: unknown }>, string, string | undefined][] = [
      [analyze(Buffer.from(await makeNumberedPdf(1)), ['caption']), 'InvalidRequest', 'InvalidImageFormat'],
      [analyze(pngHeaderOnly(40, 400), ['caption']), 'InvalidRequest', 'InvalidImageSize'],
      [analyze(pngHeaderOnly(16_001, 100), ['caption']), 'InvalidRequest', 'InvalidImageSize'],
      [analyze(new Uint8Array(), ['caption']), 'InvalidRequest', 'InvalidImageSize'],
      [analyze(pngHeaderOnly(100, 100), ['colour']), 'InvalidRequest', 'NotSupportedVisualFeature'],
      [
        analyze(pngHeaderOnly(100, 100), ['caption'], { language: 'de' }),
        'InvalidRequest',
        'NotSupportedLanguage',
      ],
      [
        analyze(pngHeaderOnly(100, 100), ['smartCrops'], { 'smartcrops-aspect-ratios': [3] }),
        'InvalidRequest',
        'BadArgument',
      ],
    ];
    for (const [pending, code, inner] of cases) {
      const response = await pending;
      expect(response.status).toBe('400');
      const { error } = response.body as ErrorBody;
      expect([error.code, error.innererror?.code]).toEqual([code, inner]);
    }
    const dimension = (await analyze(pngHeaderOnly(40, 400), ['caption'])).body as ErrorBody;
    expect(dimension.error.message).toBe(
      'The image dimension is not allowed to be smaller than 50 and larger than 16000.',
    );
  });

  it('refuses images over 20 MB', async () => {
    const big = Buffer.concat([pngHeaderOnly(100, 100), Buffer.alloc(20 * 1024 * 1024)]);
    const response = await analyze(big, ['tags']);
    expect((response.body as ErrorBody).error.message).toBe(
      'The image size is not allowed to be zero or larger than 20971520 bytes.',
    );
  });

  it('a 429 carries Retry-After; the client waits it out and succeeds', async () => {
    sim.setScenario({
      rules: [{ route: 'vision.analyze', fault: 'throttle', times: 1, retryAfterMs: 1_000 }],
    });
    const started = Date.now();
    await analyzeOk(makeTextImage({ lines: ['retry me'] }), ['read']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const [throttled, served] = sim.ledger.entries().slice(-2);
    expect([throttled?.status, throttled?.retryAfterMs, served?.status]).toEqual([429, 1_000, 200]);
  });
});

describe('Image Analysis quota', () => {
  let sim: AzureSim;

  beforeAll(async () => {
    sim = await startAzureSim({
      profile: { ...instantProfile, quotas: { 'vision.analyze': { capacity: 2, refillPerSecond: 2 } } },
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('answers a burst over the bucket with the gateway 429 and Retry-After', async () => {
    const client = createImageAnalysisClient(sim.endpoints.vision, new AzureKeyCredential(sim.keys.vision), {
      allowInsecureConnection: true,
      retryOptions: { maxRetries: 0 },
    });
    const image = makeTextImage({ lines: ['burst'] });
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        client.path('/imageanalysis:analyze').post({
          contentType: 'application/octet-stream',
          body: image,
          queryParameters: { features: ['tags'] },
        }),
      ),
    );
    const throttled = responses.filter((response) => response.status === '429');
    expect(responses.filter((response) => response.status === '200')).toHaveLength(2);
    expect(throttled).toHaveLength(2);
    for (const response of throttled) {
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect((response.body as ErrorBody).error.code).toBe('429');
      expect(response.headers).not.toHaveProperty('x-ms-region');
    }
  });
});
