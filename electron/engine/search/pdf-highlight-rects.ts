/**
 * Where a hit sits on a rendered PDF page: rectangles around the query's matches, found in the
 * page's text items (pdf.js `getTextContent`), as fractions of the rendered image. When no query
 * term is on the page (a vector hit), the lines of the hit's chunk are outlined instead.
 */
import type { HighlightRect } from '../../contract';
import { termRanges } from './snippet';
import { foldText } from './text-fold';

/** The parts of a pdf.js TextItem used here. */
export interface PageTextItem {
  str: string;
  /** [a, b, c, d, e, f]: e/f are the baseline start in PDF space (y grows upwards). */
  transform: number[];
  /** Advance width in PDF units. */
  width: number;
  height: number;
}

/** The render's geometry: pdf.js `PageViewport.transform`, width and height (device pixels). */
export interface ViewportGeometry {
  transform: number[];
  width: number;
  height: number;
}

export interface HighlightTargets {
  query: string;
  /** The hit's chunk text, for the fallback when no query term is on the page. */
  chunkText?: string;
}

/** Glyphs reach below the baseline by about this share of the font size (descenders). */
const DESCENT = 0.25;
/** Lines shorter than this are too generic ("1", "of") to be matched against the chunk. */
const MIN_LINE_CHARS = 4;
const MAX_RECTS = 200;

export function highlightRects(
  items: readonly PageTextItem[],
  viewport: ViewportGeometry,
  targets: HighlightTargets,
): HighlightRect[] {
  const { text, spans } = pageText(items);
  const ranges = targets.query.trim() ? termRanges(text, targets.query) : [];
  const rects: HighlightRect[] = [];
  for (const [start, end] of ranges) {
    for (const span of spans) {
      if (span.end <= start || span.start >= end) continue;
      const length = Math.max(1, span.end - span.start);
      const from = (Math.max(start, span.start) - span.start) / length;
      const to = (Math.min(end, span.end) - span.start) / length;
      rects.push(itemRect(span.item, viewport, from, to));
    }
  }
  if (rects.length === 0 && targets.chunkText)
    rects.push(...chunkLineRects(items, viewport, targets.chunkText));
  return rects.filter(isVisible).slice(0, MAX_RECTS);
}

interface Span {
  item: PageTextItem;
  start: number;
  end: number;
}

/** The page's text with one space between items, and where each item sits in it. */
function pageText(items: readonly PageTextItem[]): { text: string; spans: Span[] } {
  let text = '';
  const spans: Span[] = [];
  for (const item of items) {
    if (!item.str) continue;
    if (text) text += ' ';
    spans.push({ item, start: text.length, end: text.length + item.str.length });
    text += item.str;
  }
  return { text, spans };
}

function chunkLineRects(
  items: readonly PageTextItem[],
  viewport: ViewportGeometry,
  chunkText: string,
): HighlightRect[] {
  const chunk = squash(foldText(chunkText));
  return items
    .filter((item) => item.str.trim().length >= MIN_LINE_CHARS && chunk.includes(squash(foldText(item.str))))
    .map((item) => itemRect(item, viewport, 0, 1));
}

const squash = (text: string): string => text.replace(/\s+/gu, ' ').trim();

/**
 * The box of the [from, to) share of an item's advance (characters are taken as equally wide, close
 * enough for a highlight), mapped through the viewport into fractions of the image.
 */
function itemRect(item: PageTextItem, viewport: ViewportGeometry, from: number, to: number): HighlightRect {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = item.transform;
  const fontSize = Math.hypot(c, d) || item.height || 1;
  // Unit vectors along the baseline and up the glyphs, in PDF space (rotated text works too).
  const along = normalise(a, b);
  const up = normalise(c, d);
  const corner = (advance: number, rise: number): [number, number] => [
    e + along[0] * advance + up[0] * rise,
    f + along[1] * advance + up[1] * rise,
  ];
  const points = [
    corner(item.width * from, -DESCENT * fontSize),
    corner(item.width * to, -DESCENT * fontSize),
    corner(item.width * from, fontSize),
    corner(item.width * to, fontSize),
  ].map(([x, y]) => toDevice(viewport.transform, x, y));
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return {
    x: left / viewport.width,
    y: top / viewport.height,
    width: (Math.max(...xs) - left) / viewport.width,
    height: (Math.max(...ys) - top) / viewport.height,
  };
}

function normalise(x: number, y: number): [number, number] {
  const length = Math.hypot(x, y);
  return length === 0 ? [1, 0] : [x / length, y / length];
}

function toDevice(m: number[], x: number, y: number): [number, number] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  return [a * x + c * y + e, b * x + d * y + f];
}

function isVisible(rect: HighlightRect): boolean {
  return rect.width > 0 && rect.height > 0 && Number.isFinite(rect.x) && Number.isFinite(rect.y);
}
