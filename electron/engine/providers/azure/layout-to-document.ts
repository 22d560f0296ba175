/**
 * Maps a Document Intelligence `prebuilt-layout` result (markdown output) onto Quarry's
 * ExtractedDocument: 1-based pages with their size, paragraphs and tables as blocks in reading
 * order (title and section headings become headings), each block with the polygons that locate
 * it on its page so a search hit can be highlighted there.
 */
import type {
  AnalyzeResultOutput,
  BoundingRegionOutput,
  DocumentPageOutput,
  DocumentParagraphOutput,
  DocumentSpanOutput,
  DocumentTableOutput,
} from '@azure-rest/ai-document-intelligence';
import type { BlockRegion, ExtractedDocument, ExtractedPage, PageSize, TextBlock } from '../../types';

/** Running page furniture: repeated on every page, it would only add noise to every chunk. */
const SKIPPED_ROLES = new Set(['pageHeader', 'pageFooter', 'pageNumber']);
const HEADING_ROLES = new Set(['title', 'sectionHeading']);
const PARAGRAPH_POINTER = /^\/paragraphs\/(\d+)$/u;

/** A block with where it starts in `content` (reading order) and the page it belongs to. */
interface PlacedBlock {
  offset: number;
  page: number;
  block: TextBlock;
  /** From the paragraph with the `title` role. */
  isTitle?: boolean;
}

function firstOffset(spans: readonly DocumentSpanOutput[]): number {
  return spans.reduce((lowest, span) => Math.min(lowest, span.offset), Number.POSITIVE_INFINITY);
}

function regionsOf(boundingRegions: readonly BoundingRegionOutput[] | undefined): BlockRegion[] | undefined {
  const regions = (boundingRegions ?? [])
    .filter((region) => Array.isArray(region.polygon) && region.polygon.length >= 8)
    .map((region) => ({ page: region.pageNumber, polygon: [...region.polygon] }));
  return regions.length > 0 ? regions : undefined;
}

/** The page of an element: its first bounding region, else the page whose spans hold its offset. */
function pageOf(
  boundingRegions: readonly BoundingRegionOutput[] | undefined,
  offset: number,
  pages: readonly DocumentPageOutput[],
): number {
  const fromRegion = boundingRegions?.[0]?.pageNumber;
  if (fromRegion !== undefined) return fromRegion;
  const holder = pages.find((page) =>
    page.spans.some((span) => offset >= span.offset && offset < span.offset + span.length),
  );
  return holder?.pageNumber ?? pages[0]?.pageNumber ?? 1;
}

function collapse(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Markdown output puts `#`/`##` in front of headings; the block kind says it already. */
function headingText(content: string): string {
  return collapse(content.replace(/^#{1,6}\s+/u, ''));
}

/** Paragraph indexes that are table cells (their text goes into the table block instead). */
function cellParagraphs(tables: readonly DocumentTableOutput[]): Set<number> {
  const indexes = new Set<number>();
  for (const table of tables) {
    for (const cell of table.cells) {
      for (const pointer of cell.elements ?? []) {
        const match = PARAGRAPH_POINTER.exec(pointer);
        if (match) indexes.add(Number(match[1]));
      }
    }
  }
  return indexes;
}

function insideAnyTable(paragraph: DocumentParagraphOutput, tables: readonly DocumentTableOutput[]): boolean {
  return paragraph.spans.every((span) =>
    tables.some((table) =>
      table.spans.some(
        (outer) => span.offset >= outer.offset && span.offset + span.length <= outer.offset + outer.length,
      ),
    ),
  );
}

/**
 * A table as text the chunker understands: one line per row, cells joined with " | ", the header
 * row first (the chunker repeats it when it splits a long table by rows). A cell spanning several
 * rows or columns is written once, in its top-left position.
 */
export function tableText(table: DocumentTableOutput): string {
  const grid: string[][] = Array.from({ length: table.rowCount }, () =>
    Array<string>(table.columnCount).fill(''),
  );
  for (const cell of table.cells) {
    const row = grid[cell.rowIndex];
    if (row && cell.columnIndex < row.length) row[cell.columnIndex] = collapse(cell.content);
  }
  return grid
    .filter((row) => row.some((cell) => cell.length > 0))
    .map((row) => row.join(' | '))
    .join('\n');
}

function paragraphBlocks(result: AnalyzeResultOutput, tables: readonly DocumentTableOutput[]): PlacedBlock[] {
  const inCells = cellParagraphs(tables);
  const placed: PlacedBlock[] = [];
  for (const [index, paragraph] of (result.paragraphs ?? []).entries()) {
    if (inCells.has(index) || SKIPPED_ROLES.has(paragraph.role ?? '')) continue;
    if (tables.length > 0 && paragraph.spans.length > 0 && insideAnyTable(paragraph, tables)) continue;
    const heading = HEADING_ROLES.has(paragraph.role ?? '');
    const text = heading ? headingText(paragraph.content) : paragraph.content.trim();
    if (!text) continue;
    const offset = firstOffset(paragraph.spans);
    const regions = regionsOf(paragraph.boundingRegions);
    placed.push({
      offset,
      page: pageOf(paragraph.boundingRegions, offset, result.pages),
      block: { kind: heading ? 'heading' : 'paragraph', text, ...(regions ? { regions } : {}) },
      isTitle: paragraph.role === 'title',
    });
  }
  return placed;
}

function tableBlocks(result: AnalyzeResultOutput, tables: readonly DocumentTableOutput[]): PlacedBlock[] {
  const placed: PlacedBlock[] = [];
  for (const table of tables) {
    const text = tableText(table);
    if (!text) continue;
    const offset = firstOffset(table.spans);
    const regions = regionsOf(table.boundingRegions);
    placed.push({
      offset,
      page: pageOf(table.boundingRegions, offset, result.pages),
      block: { kind: 'table', text, ...(regions ? { regions } : {}) },
    });
  }
  return placed;
}

function pageSize(page: DocumentPageOutput): Partial<PageSize> {
  const unit = page.unit === 'inch' || page.unit === 'pixel' ? page.unit : undefined;
  if (unit === undefined || page.width === undefined || page.height === undefined) return {};
  return { width: page.width, height: page.height, unit };
}

/** One analyze result as pages of blocks, in reading order; `mimeType` is the file's. */
export function layoutToDocument(result: AnalyzeResultOutput, mimeType: string): ExtractedDocument {
  const tables = result.tables ?? [];
  const placed = [...paragraphBlocks(result, tables), ...tableBlocks(result, tables)].sort(
    (a, b) => a.offset - b.offset,
  );
  const pages: ExtractedPage[] = result.pages.map((page) => ({
    page: page.pageNumber,
    blocks: [],
    ...pageSize(page),
  }));
  const byNumber = new Map(pages.map((page) => [page.page, page]));
  for (const { page, block } of placed) {
    const target = byNumber.get(page) ?? pages[0];
    target?.blocks.push(block);
  }
  const title = placed.find((entry) => entry.isTitle)?.block.text;
  return { mimeType, ...(title ? { title } : {}), pages };
}

/** Joins the results of several page ranges of one file, pages in order. */
export function mergeDocuments(parts: readonly ExtractedDocument[], mimeType: string): ExtractedDocument {
  const title = parts.find((part) => part.title)?.title;
  const pages = parts.flatMap((part) => part.pages).sort((a, b) => (a.page ?? 0) - (b.page ?? 0));
  return { mimeType, ...(title ? { title } : {}), pages };
}
