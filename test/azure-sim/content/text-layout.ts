import type { ReadLine } from './types';
import { isIdeograph, wordsInBox } from './words';

export interface Area {
  width: number;
  height: number;
}

/** Confidence reported for text read through the convention: high, like clean printed text. */
export const simTextConfidence = 0.99;

const lineWeight = (text: string): number =>
  Array.from(text).reduce((sum, character) => sum + (isIdeograph(character) ? 2 : 1), 0);

/**
 * Places convention text on a page deterministically: lines stacked from the top-left margin, a
 * blank line leaving a gap (so it separates paragraphs), glyphs shrunk until the longest line fits.
 */
export function layoutText(text: string, area: Area, confidence = simTextConfidence): ReadLine[] {
  const rows = text.replace(/\r\n?/g, '\n').split('\n');
  const marginX = area.width * 0.05;
  const marginY = area.height * 0.05;
  const usableWidth = area.width - 2 * marginX;
  const usableHeight = area.height - 2 * marginY;
  // Few lines on a tall page should not become giant glyphs: cap the line height.
  const lineHeight = Math.min(
    usableHeight / Math.max(rows.length, 1),
    Math.max(usableHeight / 12, usableWidth / 20),
  );
  const widest = Math.max(1, ...rows.map((row) => lineWeight(row.trim())));
  const glyphHeight = lineHeight * 0.8;
  const characterWidth = Math.min(glyphHeight * 0.5, usableWidth / widest);
  const lines: ReadLine[] = [];
  rows.forEach((row, index) => {
    const content = row.trim();
    if (!content) return;
    const box = {
      x: marginX,
      y: marginY + index * lineHeight,
      width: lineWeight(content) * characterWidth,
      height: glyphHeight,
    };
    lines.push({ text: content, box, fontSize: glyphHeight, words: wordsInBox(content, box, confidence) });
  });
  return lines;
}
