import type { PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api';
import { pdfjs } from './pdfjs';
import type { ReadLine } from './types';
import { wordsInBox } from './words';

/** Confidence reported for words taken from a PDF's text layer. */
export const textLayerConfidence = 0.995;
const pointsPerInch = 72;

interface GlyphRun {
  text: string;
  x: number;
  baseline: number;
  width: number;
  fontHeight: number;
}

const isTextItem = (item: object): item is TextItem => 'str' in item;

function glyphRuns(items: readonly object[], viewportTransform: number[]): GlyphRun[] {
  return items.filter(isTextItem).flatMap((item) => {
    if (item.str.trim().length === 0) return []; // pdf.js reports gaps as blank items
    const matrix = pdfjs.Util.transform(viewportTransform, item.transform);
    const fontHeight = Math.hypot(matrix[2] ?? 0, matrix[3] ?? 0);
    return [{ text: item.str, x: matrix[4] ?? 0, baseline: matrix[5] ?? 0, width: item.width, fontHeight }];
  });
}

function baselineBands(runs: GlyphRun[]): GlyphRun[][] {
  const bands: GlyphRun[][] = [];
  for (const run of [...runs].sort((a, b) => a.baseline - b.baseline)) {
    const band = bands.at(-1);
    const anchor = band?.[0];
    if (
      band &&
      anchor &&
      Math.abs(anchor.baseline - run.baseline) <= 0.3 * Math.min(anchor.fontHeight, run.fontHeight)
    ) {
      band.push(run);
    } else {
      bands.push([run]);
    }
  }
  return bands.map((band) => band.sort((a, b) => a.x - b.x));
}

/** Runs close together on one baseline form a line; a gap wider than 1.5 em starts a new one (a column). */
function segments(band: GlyphRun[]): GlyphRun[] {
  const merged: GlyphRun[] = [];
  for (const run of band) {
    const last = merged.at(-1);
    const gap = last ? run.x - (last.x + last.width) : Infinity;
    if (last && gap <= 1.5 * Math.max(last.fontHeight, run.fontHeight)) {
      const spaced = gap > 0.15 * run.fontHeight && !/\s$/u.test(last.text) && !/^\s/u.test(run.text);
      last.text += (spaced ? ' ' : '') + run.text;
      last.width = run.x + run.width - last.x;
      last.fontHeight = Math.max(last.fontHeight, run.fontHeight);
    } else {
      merged.push({ ...run });
    }
  }
  return merged;
}

function toLine(segment: GlyphRun): ReadLine {
  const leading = segment.text.length - segment.text.trimStart().length;
  const text = segment.text.trim();
  const box = {
    x: segment.x / pointsPerInch,
    // The glyph box reaches ~0.8 em above the baseline and ~0.2 em below it.
    y: (segment.baseline - 0.8 * segment.fontHeight) / pointsPerInch,
    width: segment.width / pointsPerInch,
    height: segment.fontHeight / pointsPerInch,
  };
  if (leading > 0) box.x += (box.width * leading) / segment.text.length;
  return { text, box, fontSize: box.height, words: wordsInBox(text, box, textLayerConfidence) };
}

/** The text layer of a page as positioned lines in inches (top-left origin); empty for a scanned page. */
export async function readPdfTextLines(page: PDFPageProxy): Promise<ReadLine[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const runs = glyphRuns(content.items, viewport.transform);
  return baselineBands(runs).flatMap(segments).map(toLine);
}
