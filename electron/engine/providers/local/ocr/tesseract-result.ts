import type Tesseract from 'tesseract.js';
import { removeCjkSpaces } from './cjk-spacing';
import type { OcrLine, OcrParagraph, OcrResult } from './ocr-types';

/** Something worth indexing: at least one letter or digit (Tesseract reads noise as "|", "—", "."). */
const MEANINGFUL = /[\p{L}\p{N}]/u;

function toLine(line: Tesseract.Line): OcrLine | null {
  const text = removeCjkSpaces(line.text.replace(/\s+/g, ' ').trim());
  if (!MEANINGFUL.test(text)) return null;
  const { x0, y0, x1, y1 } = line.bbox;
  return { text, box: { x0, y0, x1, y1 }, confidence: line.confidence };
}

/** Tesseract's block/paragraph/line tree, flattened to paragraphs of cleaned lines. */
export function fromTesseractPage(page: Tesseract.Page): OcrResult {
  const paragraphs: OcrParagraph[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      const lines = paragraph.lines.map(toLine).filter((line): line is OcrLine => line !== null);
      if (lines.length > 0) paragraphs.push({ lines });
    }
  }
  return { paragraphs };
}
