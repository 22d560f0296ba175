import type { Box, ReadBlock, ReadLine, ReadParagraph, ReadTable } from './types';

/**
 * Recovers paragraphs, headings and tables from positioned lines, the way a layout model does
 * for simple documents (see README.md, "Layout"):
 * - lines sharing a baseline form a row; two or more consecutive rows with the same number of
 *   segments (>= 2) starting at the same x positions form a table, first row = column headers;
 * - other lines join the paragraph above when close below it with a similar glyph size;
 * - a paragraph whose glyphs are >= 1.4x the page's body size (the size of most characters) is a
 *   heading; the first block of
 *   page 1, if it is the largest heading there, is the title.
 */

type Positioned = ReadLine & { box: Box };

const center = (box: Box): number => box.y + box.height / 2;
const sizeOf = (line: Positioned): number => line.fontSize ?? line.box.height;

function groupRows(lines: Positioned[]): Positioned[][] {
  const sorted = [...lines].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
  const rows: Positioned[][] = [];
  for (const line of sorted) {
    const row = rows.at(-1);
    const anchor = row?.[0];
    if (
      row &&
      anchor &&
      Math.abs(center(anchor.box) - center(line.box)) < Math.min(anchor.box.height, line.box.height) / 2
    ) {
      row.push(line);
    } else {
      rows.push([line]);
    }
  }
  for (const row of rows) row.sort((a, b) => a.box.x - b.box.x);
  return rows;
}

function columnsAlign(a: Positioned[], b: Positioned[], tolerance: number): boolean {
  return (
    a.length === b.length &&
    a.every((line, index) => Math.abs(line.box.x - (b[index]?.box.x ?? Infinity)) <= tolerance)
  );
}

function unionBox(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function tableOf(rows: Positioned[][]): ReadTable {
  const columnCount = rows[0]?.length ?? 0;
  const columnLefts = rows[0]?.map((line) => line.box.x) ?? [];
  const tableBox = unionBox(rows.flat().map((line) => line.box));
  const cells = rows.flatMap((row, rowIndex) =>
    row.map((line, columnIndex) => {
      // A cell spans from its column's start to the next column's start, and over its row's band.
      const right = columnLefts[columnIndex + 1] ?? tableBox.x + tableBox.width;
      const rowBox = unionBox(row.map((cell) => cell.box));
      const box = { x: columnLefts[columnIndex] ?? line.box.x, y: rowBox.y, width: 0, height: rowBox.height };
      box.width = right - box.x;
      return {
        rowIndex,
        columnIndex,
        ...(rowIndex === 0 ? { kind: 'columnHeader' as const } : {}),
        lines: [line],
        box,
      };
    }),
  );
  return { kind: 'table', rowCount: rows.length, columnCount, cells };
}

/** The glyph size carrying the most characters: the body text size of the page. */
function bodySizeOf(lines: readonly ReadLine[]): number {
  const characters = new Map<number, number>();
  for (const line of lines) {
    const size = Math.round(sizeOf(line as Positioned) * 1000) / 1000;
    characters.set(size, (characters.get(size) ?? 0) + line.text.length);
  }
  let body = 0;
  let most = -1;
  for (const [size, count] of characters) {
    if (count > most) [body, most] = [size, count];
  }
  return body;
}

function paragraphsOf(lines: Positioned[]): ReadParagraph[] {
  const paragraphs: ReadParagraph[] = [];
  let previous: Positioned | undefined;
  for (const line of lines) {
    const current = paragraphs.at(-1);
    const gap = previous ? line.box.y - (previous.box.y + previous.box.height) : Infinity;
    const similarSize = previous
      ? Math.abs(sizeOf(line) - sizeOf(previous)) <= 0.15 * sizeOf(previous)
      : false;
    const below = previous ? line.box.y > previous.box.y : false;
    if (
      current &&
      previous &&
      below &&
      similarSize &&
      gap >= -0.1 * sizeOf(line) &&
      gap <= 0.75 * sizeOf(line)
    ) {
      current.lines.push(line);
    } else {
      paragraphs.push({ kind: 'paragraph', lines: [line] });
    }
    previous = line;
  }
  return paragraphs;
}

function assignRoles(blocks: ReadBlock[], pageNumber: number): void {
  const paragraphs = blocks.filter((block): block is ReadParagraph => block.kind === 'paragraph');
  const allLines = blocks.flatMap((block) =>
    block.kind === 'paragraph' ? block.lines : block.cells.flatMap((cell) => cell.lines),
  );
  const bodySize = bodySizeOf(allLines);
  const headingSize = (paragraph: ReadParagraph): number =>
    Math.max(...paragraph.lines.map((line) => sizeOf(line as Positioned)));
  const headings = paragraphs.filter((paragraph) => bodySize > 0 && headingSize(paragraph) >= 1.4 * bodySize);
  for (const heading of headings) heading.role = 'sectionHeading';
  const first = blocks[0];
  const largest = Math.max(...headings.map(headingSize));
  if (pageNumber === 1 && first?.kind === 'paragraph' && first.role && headingSize(first) === largest)
    first.role = 'title';
}

/** Blocks of one page in reading order (top to bottom, then left to right). */
export function structureLines(lines: ReadLine[], pageNumber: number, pageWidth: number): ReadBlock[] {
  const positioned = lines.filter((line): line is Positioned => line.box !== undefined);
  const rows = groupRows(positioned);
  const tolerance = pageWidth * 0.015;
  const blocks: ReadBlock[] = [];
  let pending: Positioned[] = [];
  const flush = (): void => {
    blocks.push(...paragraphsOf(pending));
    pending = [];
  };
  for (let index = 0; index < rows.length; ) {
    const row = rows[index] ?? [];
    let end = index + 1;
    while (row.length >= 2 && end < rows.length && columnsAlign(row, rows[end] ?? [], tolerance)) end += 1;
    if (end - index >= 2) {
      flush();
      blocks.push(tableOf(rows.slice(index, end)));
    } else {
      pending.push(...row);
    }
    index = end;
  }
  flush();
  assignRoles(blocks, pageNumber);
  return blocks;
}
