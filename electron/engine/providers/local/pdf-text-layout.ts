import type { TextBlock } from '../../types';

/** The parts of a pdf.js TextItem the layout needs. */
export interface PositionedText {
  str: string;
  /** [a, b, c, d, e, f]: e/f are x/y of the baseline start in PDF space (y grows upwards). */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

interface Line {
  text: string;
  x: number;
  y: number;
  height: number;
  xEnd: number;
}

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;

/** Joins two pieces of running text: no space between CJK characters, one space otherwise. */
export function joinText(left: string, right: string): string {
  if (!left) return right;
  if (!right) return left;
  if (/\s$/.test(left) || /^\s/.test(right)) return left + right;
  if (CJK.test(left.at(-1) ?? '') && CJK.test(right[0] ?? '')) return left + right;
  return `${left} ${right}`;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Rebuilds lines in content-stream order: a new line starts after `hasEOL` or when the baseline moves. */
export function buildLines(items: readonly PositionedText[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  let endOfLine = false;
  for (const item of items) {
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    const height = item.height || Math.abs(item.transform[3] ?? 0);
    if (item.str.trim() === '' && !current) {
      endOfLine ||= item.hasEOL;
      continue;
    }
    const sameBaseline = current && Math.abs(current.y - y) <= Math.max(current.height, height, 1) * 0.5;
    if (!current || endOfLine || !sameBaseline) {
      if (current?.text.trim()) lines.push(current);
      current = { text: item.str, x, y, height, xEnd: x + item.width };
    } else {
      // A visible horizontal gap between items is a word space the PDF did not encode.
      const gap = x - current.xEnd;
      const needsSpace =
        gap > Math.max(height, 1) * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str);
      current.text += (needsSpace ? ' ' : '') + item.str;
      current.xEnd = Math.max(current.xEnd, x + item.width);
      current.height = Math.max(current.height, height);
    }
    endOfLine = item.hasEOL;
  }
  if (current?.text.trim()) lines.push(current);
  return lines.map((line) => ({ ...line, text: line.text.replace(/\s+/g, ' ').trim() }));
}

/**
 * Groups lines into paragraphs by vertical gaps (a gap clearly larger than the usual line
 * spacing, or a jump upwards such as a new column, starts a paragraph). Short lines set in a
 * clearly larger font than the body become headings.
 */
export function linesToBlocks(lines: readonly Line[]): TextBlock[] {
  const bodyHeight = median(lines.map((line) => line.height));
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = (lines[i - 1]?.y ?? 0) - (lines[i]?.y ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  // Usual line spacing: a low quantile of the gaps (paragraph gaps are the rarer, larger ones),
  // ignoring sub/superscript shifts smaller than the font.
  const lineGaps = gaps.filter((gap) => gap >= bodyHeight * 0.9).sort((a, b) => a - b);
  const usualGap =
    lineGaps.length >= 2 ? (lineGaps[Math.floor((lineGaps.length - 1) / 4)] ?? bodyHeight) : bodyHeight * 1.3;
  const paragraphGap = usualGap * 1.3;

  const blocks: TextBlock[] = [];
  let paragraph = '';
  const endParagraph = () => {
    if (paragraph) blocks.push({ kind: 'paragraph', text: paragraph });
    paragraph = '';
  };
  let previous: Line | undefined;
  for (const line of lines) {
    const isHeading = bodyHeight > 0 && line.height >= bodyHeight * 1.25 && line.text.length <= 200;
    const gap = previous ? previous.y - line.y : 0;
    if (isHeading) {
      endParagraph();
      const last = blocks.at(-1);
      // A heading wrapped over two lines stays one heading.
      if (
        last?.kind === 'heading' &&
        previous &&
        previous.height >= bodyHeight * 1.25 &&
        gap > 0 &&
        gap <= paragraphGap * 1.5
      ) {
        last.text = joinText(last.text, line.text);
      } else {
        blocks.push({ kind: 'heading', text: line.text });
      }
    } else {
      if (previous && (gap > paragraphGap || gap < -bodyHeight || previous.height >= bodyHeight * 1.25))
        endParagraph();
      paragraph = joinText(paragraph, line.text);
    }
    previous = line;
  }
  endParagraph();
  return blocks;
}

/** Blocks of one page from its text items (in content-stream order). */
export function pageTextBlocks(items: readonly PositionedText[]): TextBlock[] {
  return linesToBlocks(buildLines(items));
}
