import type { ParagraphRole, ReadBlock, ReadLine, ReadTableCell } from './types';
import { wordsInBox } from './words';

/**
 * Blocks of simple HTML (mammoth's DOCX output, or an HTML document): headings, paragraphs, list
 * items and tables. Tags it does not know are transparent; script/style/head content is dropped.
 */

const markupConfidence = 1;
const skipped = new Set(['script', 'style', 'head', 'title', 'noscript']);
const blockTags = new Set([
  'p',
  'li',
  'div',
  'blockquote',
  'pre',
  'dt',
  'dd',
  'caption',
  'figcaption',
  'address',
]);
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return entities[name.toLowerCase()] ?? whole;
  });
}

function toLines(text: string): ReadLine[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .map((line) => ({ text: line, words: wordsInBox(line, undefined, markupConfidence) }));
}

interface TableState {
  rows: ReadTableCell[][];
  cell?: { text: string; header: boolean };
}

export function htmlBlocks(html: string): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  let text = '';
  let role: ParagraphRole | undefined;
  let skipDepth = 0;
  let table: TableState | undefined;
  let titleSeen = false;

  const flushParagraph = (): void => {
    const lines = toLines(text);
    text = '';
    if (lines.length > 0) blocks.push({ kind: 'paragraph', ...(role ? { role } : {}), lines });
    role = undefined;
  };
  const closeCell = (): void => {
    const row = table?.rows.at(-1);
    if (!table?.cell || !row) return;
    row.push({
      rowIndex: table.rows.length - 1,
      columnIndex: row.length,
      lines: toLines(table.cell.text),
      ...(table.cell.header ? { kind: 'columnHeader' } : {}),
    });
    table.cell = undefined;
  };
  const closeTable = (): void => {
    if (!table) return;
    closeCell();
    const rows = table.rows.filter((row) => row.length > 0);
    const columnCount = Math.max(0, ...rows.map((row) => row.length));
    const cells = rows.flatMap((row, rowIndex) => row.map((cell) => ({ ...cell, rowIndex })));
    if (cells.length > 0) blocks.push({ kind: 'table', rowCount: rows.length, columnCount, cells });
    table = undefined;
  };

  for (const token of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<!--[\s\S]*?-->|<![^>]*>|([^<]+)/g)) {
    const [, closing, rawName, content] = token;
    if (content !== undefined) {
      if (skipDepth > 0) continue;
      const decoded = decodeEntities(content);
      if (table?.cell) table.cell.text += decoded;
      else if (!table) text += decoded;
      continue;
    }
    if (!rawName) continue; // comment or doctype
    const name = rawName.toLowerCase();
    if (skipped.has(name)) {
      skipDepth = Math.max(0, skipDepth + (closing ? -1 : 1));
      continue;
    }
    if (skipDepth > 0) continue;
    if (name === 'table') {
      if (closing) closeTable();
      else {
        flushParagraph();
        table = { rows: [] };
      }
    } else if (table && name === 'tr') {
      closeCell();
      if (!closing) table.rows.push([]);
    } else if (table && (name === 'td' || name === 'th')) {
      closeCell();
      if (!closing) table.cell = { text: '', header: name === 'th' };
    } else if (table?.cell && (name === 'br' || blockTags.has(name))) {
      table.cell.text += ' ';
    } else if (name === 'br') {
      text += '\n';
    } else if (/^h[1-6]$/.test(name)) {
      flushParagraph();
      if (!closing) {
        role = name === 'h1' && !titleSeen ? 'title' : 'sectionHeading';
        titleSeen ||= name === 'h1';
      }
    } else if (blockTags.has(name)) {
      flushParagraph();
    }
  }
  closeTable();
  flushParagraph();
  return blocks;
}
