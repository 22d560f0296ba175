import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { createOcrPool, type OcrPool } from '../../electron/engine/providers/local/ocr/ocr-pool';
import type { ExtractedDocument, Extractor, SourceFile } from '../../electron/engine/types';
import { bmpOf, cjkFont, drawText, multiPageTiff, pngOf, scannedPdf, wordRecall } from './local-ocr-fixtures';

const SENTENCE = 'Quarterly results for the northern region exceeded the forecast';
const SECOND_SENTENCE = 'Staffing plans were approved by the committee';
const CHINESE_PHRASE = '北京大学图书馆';
const CHINESE_LINE = `${CHINESE_PHRASE}今天开放到晚上十点。`;

let dir: string;
let pool: OcrPool;
let extractor: Extractor;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ocr-extract-'));
  pool = createOcrPool({ workers: 2, languageCacheFolder: path.join(dir, 'tessdata') });
  extractor = createLocalExtractor({ ocr: pool });
});
afterAll(async () => {
  await pool?.close();
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Buffer, mimeType: string): Promise<SourceFile> {
  const diskPath = path.join(dir, name);
  await writeFile(diskPath, bytes);
  return { diskPath, sourcePath: diskPath, name, size: bytes.length, mtimeMs: 0, mimeType };
}

const allText = (doc: ExtractedDocument): string =>
  doc.pages.flatMap((page) => page.blocks.map((block) => block.text)).join('\n');

describe('local extraction with OCR: images', () => {
  const sentencePng = () => pngOf([[SENTENCE], [SECOND_SENTENCE]], { paragraphGap: 1.5 });

  it('reads a PNG into paragraph blocks without a page number, with pixel regions', async () => {
    const doc = await extractor.extract(await file('scan.png', sentencePng(), 'image/png'));
    expect(doc.mimeType).toBe('image/png');
    expect(doc.pages).toHaveLength(1);
    const [page] = doc.pages;
    expect(page?.page).toBeNull();
    expect(page?.needsOcr).toBeUndefined();
    expect(page?.blocks.length).toBe(2);
    expect(wordRecall(SENTENCE, page?.blocks[0]?.text ?? '')).toBeGreaterThanOrEqual(0.85);
    expect(wordRecall(SECOND_SENTENCE, page?.blocks[1]?.text ?? '')).toBeGreaterThanOrEqual(0.85);
    const region = page?.blocks[0]?.regions?.[0];
    expect(region?.page).toBe(1);
    // The first line starts at the 48 px margin, about 48 px of text tall; pixels, not inches.
    expect(region?.polygon).toHaveLength(8);
    expect(region?.polygon[0]).toBeGreaterThan(40);
    expect(region?.polygon[0]).toBeLessThan(60);
    expect(region?.polygon[5]).toBeGreaterThan(60);
  });

  it('reads JPEG, WebP, GIF and BMP images as well', async () => {
    const canvas = drawText([[SENTENCE]]);
    const images: [string, Buffer, string][] = [
      ['scan.jpg', canvas.toBuffer('image/jpeg', 92), 'image/jpeg'],
      ['scan.webp', canvas.toBuffer('image/webp', 95), 'image/webp'],
      ['scan.gif', canvas.toBuffer('image/gif'), 'image/gif'],
      ['scan.bmp', bmpOf([[SENTENCE]]), 'image/bmp'],
    ];
    const docs = await Promise.all(
      images.map(async ([name, bytes, mimeType]) => extractor.extract(await file(name, bytes, mimeType))),
    );
    docs.forEach((doc, i) => {
      expect(doc.mimeType, images[i]?.[0]).toBe(images[i]?.[2]);
      expect(wordRecall(SENTENCE, allText(doc)), images[i]?.[0]).toBeGreaterThanOrEqual(0.85);
    });
  });

  it('numbers the pages of a multi-page TIFF', async () => {
    const tiff = multiPageTiff([
      [['First page mentions apples']],
      [['Second page mentions oranges']],
      [['Third page mentions pears']],
    ]);
    const doc = await extractor.extract(await file('fax.tif', tiff, 'image/tiff'));
    expect(doc.pages.map((page) => page.page)).toEqual([1, 2, 3]);
    expect(doc.pages.map((page) => page.blocks.map((block) => block.text).join(' '))).toEqual([
      expect.stringMatching(/apples/),
      expect.stringMatching(/oranges/),
      expect.stringMatching(/pears/),
    ]);
    expect(doc.pages[1]?.blocks[0]?.regions?.[0]?.page).toBe(2);
  });

  it('reads Chinese text as a searchable phrase (no spaces between characters)', async () => {
    const png = pngOf([[CHINESE_LINE]], { font: cjkFont() });
    const doc = await extractor.extract(await file('notice.png', png, 'image/png'));
    expect(allText(doc)).toContain(CHINESE_PHRASE);
  });

  it('fails an image file it cannot decode as invalid_input', async () => {
    const broken = Buffer.concat([sentencePng().subarray(0, 60), Buffer.alloc(200, 7)]);
    const error = await extractor
      .extract(await file('broken.png', broken, 'image/png'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'unreadable_image' });
  });
});

describe('local extraction with OCR: scanned PDFs', () => {
  it('OCRs the scanned pages, keeps text pages as they are and every page number', async () => {
    const pdf = await scannedPdf(
      ['This page has a real text layer', [[SENTENCE], [SECOND_SENTENCE]], null, [[CHINESE_LINE]]],
      { font: cjkFont() },
    );
    const doc = await extractor.extract(await file('mixed.pdf', pdf, 'application/pdf'));
    expect(doc.pages.map((page) => page.page)).toEqual([1, 2, 3, 4]);
    expect(doc.pages.every((page) => page.needsOcr === undefined)).toBe(true);
    expect(doc.pages[0]?.blocks).toEqual([{ kind: 'paragraph', text: 'This page has a real text layer' }]);

    const scanned = doc.pages[1]?.blocks ?? [];
    expect(
      wordRecall(`${SENTENCE} ${SECOND_SENTENCE}`, scanned.map((block) => block.text).join(' ')),
    ).toBeGreaterThanOrEqual(0.85);
    // Regions of PDF pages are in inches: the text starts at the 1 inch margin of an A4 page.
    const polygon = scanned[0]?.regions?.[0]?.polygon ?? [];
    expect(scanned[0]?.regions?.[0]?.page).toBe(2);
    expect(polygon[0]).toBeGreaterThan(0.9);
    expect(polygon[0]).toBeLessThan(1.2);
    expect(polygon[2]).toBeLessThan(8.27);

    expect(doc.pages[2]?.blocks).toEqual([]); // blank: nothing painted, nothing to read
    expect(doc.pages[3]?.blocks.map((block) => block.text).join('')).toContain(CHINESE_PHRASE);
  });

  it('stops a scanned PDF promptly when aborted mid-OCR, leaving the pool usable', async () => {
    const pages = Array.from({ length: 6 }, (_, i) => [
      [`Page ${i + 1} ${SENTENCE}`, SECOND_SENTENCE, SENTENCE],
    ]);
    const pdf = await scannedPdf(pages, { dpi: 200 });
    const controller = new AbortController();
    const extraction = extractor.extract(await file('long-scan.pdf', pdf, 'application/pdf'), {
      abortSignal: controller.signal,
    });
    const deadline = Date.now() + 20_000;
    while (pool.stats().busy === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.stats().busy).toBeGreaterThan(0);
    const abortedAt = Date.now();
    controller.abort();
    await expect(extraction).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    expect(pool.stats()).toMatchObject({ busy: 0, queued: 0 });

    const after = await extractor.extract(await file('after.png', pngOf([[SENTENCE]]), 'image/png'));
    expect(wordRecall(SENTENCE, allText(after))).toBeGreaterThanOrEqual(0.85);
  });
});
