import type Tesseract from 'tesseract.js';
import { describe, expect, it } from 'vitest';
import { ocrResultToBlocks } from '../../electron/engine/providers/local/ocr/ocr-to-blocks';
import type { OcrLine, OcrResult } from '../../electron/engine/providers/local/ocr/ocr-types';
import { fromTesseractPage } from '../../electron/engine/providers/local/ocr/tesseract-result';

const line = (text: string, y0: number, height = 30, x1 = 600): OcrLine => ({
  text,
  box: { x0: 50, y0, x1, y1: y0 + height },
  confidence: 90,
});

describe('ocrResultToBlocks', () => {
  it('makes one paragraph block per OCR paragraph, lines joined, one region per line', () => {
    const result: OcrResult = {
      paragraphs: [
        { lines: [line('The committee reviewed', 100), line('the budget.', 140)] },
        { lines: [line('我们在北京', 220), line('大学学习。', 260)] },
      ],
    };
    expect(ocrResultToBlocks(result, { page: 1, unitsPerPixel: 1 })).toEqual([
      {
        kind: 'paragraph',
        text: 'The committee reviewed the budget.',
        regions: [
          { page: 1, polygon: [50, 100, 600, 100, 600, 130, 50, 130] },
          { page: 1, polygon: [50, 140, 600, 140, 600, 170, 50, 170] },
        ],
      },
      {
        kind: 'paragraph',
        text: '我们在北京大学学习。',
        regions: [
          { page: 1, polygon: [50, 220, 600, 220, 600, 250, 50, 250] },
          { page: 1, polygon: [50, 260, 600, 260, 600, 290, 50, 290] },
        ],
      },
    ]);
  });

  it('scales regions into the caller units (inches for rendered PDF pages) and keeps the page', () => {
    const result: OcrResult = { paragraphs: [{ lines: [line('Scanned', 200, 50, 400)] }] };
    const [block] = ocrResultToBlocks(result, { page: 7, unitsPerPixel: 1 / 200 });
    expect(block?.regions).toEqual([{ page: 7, polygon: [0.25, 1, 2, 1, 2, 1.25, 0.25, 1.25] }]);
  });

  it('reads a short paragraph set clearly larger than the body as a heading', () => {
    const result: OcrResult = {
      paragraphs: [
        { lines: [line('Annual Report', 40, 60)] },
        { lines: [line('Body line one', 140), line('Body line two', 180)] },
        { lines: [line('Body line three', 240)] },
      ],
    };
    expect(ocrResultToBlocks(result, { page: 1, unitsPerPixel: 1 }).map((block) => block.kind)).toEqual([
      'heading',
      'paragraph',
      'paragraph',
    ]);
  });

  it('splits a paragraph where a blank line separates its lines', () => {
    const result: OcrResult = {
      paragraphs: [
        { lines: [line('First paragraph', 100), line('goes on.', 140), line('Second one.', 220)] },
      ],
    };
    expect(ocrResultToBlocks(result, { page: 1, unitsPerPixel: 1 }).map((block) => block.text)).toEqual([
      'First paragraph goes on.',
      'Second one.',
    ]);
  });

  it('gives no blocks for an empty result', () => {
    expect(ocrResultToBlocks({ paragraphs: [] }, { page: 1, unitsPerPixel: 1 })).toEqual([]);
  });
});

/** The parts of Tesseract's result tree the conversion reads; the rest is irrelevant here. */
function tesseractPage(paragraphs: string[][]): Tesseract.Page {
  let y = 0;
  const blocks = [
    {
      paragraphs: paragraphs.map((lines) => ({
        lines: lines.map((text) => {
          y += 40;
          return { text, confidence: 88, bbox: { x0: 10, y0: y, x1: 300, y1: y + 30 } };
        }),
      })),
    },
  ];
  return { blocks } as unknown as Tesseract.Page;
}

describe('fromTesseractPage', () => {
  it('cleans line text, repairs CJK spacing and drops lines that are only noise', () => {
    const page = tesseractPage([['  The quick   brown fox\n', '| — .\n'], ['我 们 在 北京 。\n'], ['~ ~\n']]);
    expect(fromTesseractPage(page)).toEqual({
      paragraphs: [
        {
          lines: [{ text: 'The quick brown fox', box: { x0: 10, y0: 40, x1: 300, y1: 70 }, confidence: 88 }],
        },
        { lines: [{ text: '我们在北京。', box: { x0: 10, y0: 120, x1: 300, y1: 150 }, confidence: 88 }] },
      ],
    });
  });

  it('accepts a page without blocks', () => {
    expect(fromTesseractPage({ blocks: null } as unknown as Tesseract.Page)).toEqual({ paragraphs: [] });
  });
});
