import { afterAll, describe, expect, it } from 'vitest';
import { openDocument, readImageText, stopOcr } from '../azure-sim/content';
import { makePdf, makeTextImage } from '../azure-sim/content/fixtures';

/** Real OCR (tesseract.js, offline traineddata) for images and scans without convention text. */
describe('OCR fallback', () => {
  afterAll(async () => {
    await stopOcr();
  });

  it('recognises the pixels of an image that carries no convention text', async () => {
    const image = makeTextImage({
      lines: ['Invoice 4711 total', 'Delivery address Berlin'],
      embedText: false,
      fontSizePx: 36,
    });
    const read = await readImageText(image, 'png');
    expect(read.source).toBe('ocr');
    expect(read.lines.map((line) => line.text)).toEqual(['Invoice 4711 total', 'Delivery address Berlin']);
    const first = read.lines[0]!;
    expect(first.words.map((word) => word.text)).toEqual(['Invoice', '4711', 'total']);
    for (const word of first.words) expect(word.confidence).toBeGreaterThan(0.5);
    // Pixel positions: the first line is drawn at x = font size, baseline 1.5 font sizes down.
    expect(first.box!.x).toBeGreaterThan(20);
    expect(first.box!.x).toBeLessThan(60);
    expect(first.box!.y).toBeLessThan(60);
  });

  it('renders and recognises a scanned PDF page without convention text, in inches', async () => {
    const document = await openDocument(
      await makePdf([{ kind: 'scan', lines: ['Scanned contract 2024'], embedText: false }]),
    );
    const page = await document.readPage(1);
    await document.close();
    expect(page.textSource).toBe('ocr');
    const lines = page.blocks.flatMap((block) => (block.kind === 'paragraph' ? block.lines : []));
    expect(lines.map((line) => line.text)).toEqual(['Scanned contract 2024']);
    const box = lines[0]!.box!;
    expect(box.x).toBeGreaterThan(0);
    expect(box.x + box.width).toBeLessThan(8.5);
  });
});
