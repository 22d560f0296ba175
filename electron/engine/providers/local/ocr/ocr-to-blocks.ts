import type { TextBlock } from '../../../types';
import { joinLines } from './cjk-spacing';
import type { OcrBox, OcrLine, OcrParagraph, OcrResult } from './ocr-types';

export interface BlockPlacement {
  /** 1-based page for the regions (1 for a single image). */
  page: number;
  /** Multiplies pixel coordinates into region units: 1 for images, 1/dpi for PDF pages (inches). */
  unitsPerPixel: number;
}

/** A paragraph whose lines are this much taller than the page's usual line reads as a heading. */
const HEADING_HEIGHT_RATIO = 1.4;
const HEADING_MAX_CHARS = 200;
/** Blank space between two lines, relative to the usual line height, that starts a new paragraph. */
const PARAGRAPH_GAP_RATIO = 1.2;

function lineHeight(line: OcrLine): number {
  return line.box.y1 - line.box.y0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function polygon(box: OcrBox, scale: number): number[] {
  const round = (value: number) => Math.round(value * scale * 10_000) / 10_000;
  const [x0, y0, x1, y1] = [round(box.x0), round(box.y0), round(box.x1), round(box.y1)];
  return [x0, y0, x1, y0, x1, y1, x0, y1];
}

function paragraphText(paragraph: OcrParagraph): string {
  return paragraph.lines.reduce((text, line) => joinLines(text, line.text), '');
}

/**
 * Tesseract finds paragraphs by indentation and often keeps block-style paragraphs (no indent,
 * blank line between) together: a vertical gap clearly larger than a line splits them.
 */
function splitAtGaps(paragraph: OcrParagraph, bodyHeight: number): OcrParagraph[] {
  const parts: OcrParagraph[] = [];
  let current: OcrLine[] = [];
  let previous: OcrLine | undefined;
  for (const line of paragraph.lines) {
    if (previous && current.length > 0 && line.box.y0 - previous.box.y1 > bodyHeight * PARAGRAPH_GAP_RATIO) {
      parts.push({ lines: current });
      current = [];
    }
    current.push(line);
    previous = line;
  }
  if (current.length > 0) parts.push({ lines: current });
  return parts;
}

/** OCR paragraphs as text blocks: lines joined (no space between CJK), one region per line. */
export function ocrResultToBlocks(result: OcrResult, placement: BlockPlacement): TextBlock[] {
  const bodyHeight = median(result.paragraphs.flatMap((paragraph) => paragraph.lines.map(lineHeight)));
  const paragraphs = result.paragraphs.flatMap((paragraph) => splitAtGaps(paragraph, bodyHeight));
  return paragraphs.map((paragraph) => {
    const text = paragraphText(paragraph);
    const tall =
      bodyHeight > 0 && median(paragraph.lines.map(lineHeight)) >= bodyHeight * HEADING_HEIGHT_RATIO;
    return {
      kind: tall && text.length <= HEADING_MAX_CHARS ? 'heading' : 'paragraph',
      text,
      regions: paragraph.lines.map((line) => ({
        page: placement.page,
        polygon: polygon(line.box, placement.unitsPerPixel),
      })),
    };
  });
}
