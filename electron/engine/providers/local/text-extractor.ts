import { readFile } from 'node:fs/promises';
import type { ExtractedDocument, TextBlock } from '../../types';
import { decodeText } from './text-decoding';

/** Normalises line endings and drops the characters that only confuse tokenizers. */
export function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n').replaceAll('\0', '');
}

function paragraphsOf(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\s+$/g, ''))
    .filter((paragraph) => paragraph.trim().length > 0);
}

/** Plain text: paragraphs are separated by blank lines; line breaks inside are kept. */
export function plainTextBlocks(text: string): TextBlock[] {
  return paragraphsOf(text).map((paragraph) => ({ kind: 'paragraph', text: paragraph }));
}

const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Markdown: headings, paragraphs, lists, tables and fenced code become separate blocks (the
 * chunker keeps blocks whole). Soft-wrapped paragraph lines are joined with spaces.
 */
export function markdownBlocks(text: string): { title?: string; blocks: TextBlock[] } {
  const blocks: TextBlock[] = [];
  let title: string | undefined;
  let kind: TextBlock['kind'] | null = null;
  let lines: string[] = [];
  const flush = () => {
    if (kind && lines.length > 0) {
      const joined = kind === 'paragraph' ? lines.map((line) => line.trim()).join(' ') : lines.join('\n');
      if (joined.trim()) blocks.push({ kind, text: joined.trim() });
    }
    kind = null;
    lines = [];
  };
  const add = (lineKind: TextBlock['kind'], line: string) => {
    if (kind !== lineKind) flush();
    kind = lineKind;
    lines.push(line);
  };

  const allLines = text.split('\n');
  for (let i = 0; i < allLines.length; i++) {
    const line = allLines[i] ?? '';
    if (FENCE.test(line)) {
      // Code blocks stay verbatim as one paragraph-sized block.
      flush();
      const fence = line.trim().slice(0, 3);
      const code: string[] = [];
      for (i++; i < allLines.length && !(allLines[i] ?? '').trim().startsWith(fence); i++)
        code.push(allLines[i] ?? '');
      if (code.join('').trim()) blocks.push({ kind: 'paragraph', text: code.join('\n').trimEnd() });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      const headingText = heading[2] ?? '';
      if (headingText) blocks.push({ kind: 'heading', text: headingText });
      if (title === undefined && heading[1] === '#') title = headingText;
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (TABLE_ROW.test(line)) {
      if (!TABLE_SEPARATOR.test(line)) add('table', line.trim());
      continue;
    }
    if (LIST_ITEM.test(line) || (kind === 'list' && /^\s+\S/.test(line))) {
      add('list', line);
      continue;
    }
    add('paragraph', line);
  }
  flush();
  return title === undefined ? { blocks } : { title, blocks };
}

/** Splits CSV text into records, honouring quoted fields that contain newlines. */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) {
      records.push(text.slice(start, i));
      start = i + 1;
    }
  }
  records.push(text.slice(start));
  return records.filter((record) => record.trim().length > 0);
}

/** CSV: one table block, one line per record (the first is the header the chunker repeats). */
export function csvBlocks(text: string): TextBlock[] {
  const records = csvRecords(text);
  return records.length === 0 ? [] : [{ kind: 'table', text: records.join('\n') }];
}

/** JSON: pretty-printed so every value sits on its own line; invalid JSON is still indexed as text. */
export function jsonBlocks(text: string): TextBlock[] {
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return plainTextBlocks(text);
  }
  return pretty.trim() ? [{ kind: 'paragraph', text: pretty }] : [];
}

/** Reads a txt/md/csv/json file into one page-less page of blocks. */
export async function extractTextFile(diskPath: string, mimeType: string): Promise<ExtractedDocument> {
  const { text: decoded } = decodeText(await readFile(diskPath));
  const text = normaliseNewlines(decoded);
  switch (mimeType) {
    case 'text/markdown': {
      const { title, blocks } = markdownBlocks(text);
      return { mimeType, ...(title ? { title } : {}), pages: [{ page: null, blocks }] };
    }
    case 'text/csv':
      return { mimeType, pages: [{ page: null, blocks: csvBlocks(text) }] };
    case 'application/json':
      return { mimeType, pages: [{ page: null, blocks: jsonBlocks(text) }] };
    default:
      return { mimeType, pages: [{ page: null, blocks: plainTextBlocks(text) }] };
  }
}
