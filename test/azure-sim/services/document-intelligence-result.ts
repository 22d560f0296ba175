import type { ReadLine, ReadPage, ReadParagraph, ReadTable } from '../content';
import { type BoundingRegion, boundingRegions, polygonOf, unionBox } from './document-intelligence-geometry';
import type { AnalyzeParams } from './document-intelligence-params';
import { buildSections, type DiSection, type TopLevelElement } from './document-intelligence-sections';
import { type DiSpan, SpanRegistry } from './document-intelligence-spans';
import { ContentWriter } from './document-intelligence-writer';

/** The `analyzeResult` wire shape (the fields the simulator fills). */
export interface DiWord {
  content: string;
  polygon?: number[];
  confidence: number;
  span: DiSpan;
}
export interface DiLine {
  content: string;
  polygon?: number[];
  spans: DiSpan[];
}
export interface DiPage {
  pageNumber: number;
  angle: number;
  width?: number;
  height?: number;
  unit?: string;
  words: DiWord[];
  lines: DiLine[];
  spans: DiSpan[];
}
export interface DiParagraph {
  role?: string;
  spans: DiSpan[];
  boundingRegions?: BoundingRegion[];
  content: string;
}
export interface DiTableCell {
  kind?: string;
  rowIndex: number;
  columnIndex: number;
  content: string;
  boundingRegions?: BoundingRegion[];
  spans: DiSpan[];
  elements?: string[];
}
export interface DiTable {
  rowCount: number;
  columnCount: number;
  cells: DiTableCell[];
  boundingRegions?: BoundingRegion[];
  spans: DiSpan[];
}
export interface AnalyzeResult {
  apiVersion: string;
  modelId: string;
  stringIndexType: string;
  content: string;
  pages: DiPage[];
  tables?: DiTable[];
  paragraphs: DiParagraph[];
  styles: unknown[];
  contentFormat: string;
  sections?: DiSection[];
}

interface Range {
  start: number;
  end: number;
}

/** Builds one analyzeResult from the pages read, in the requested content format and string index unit. */
class ResultBuilder {
  private readonly writer: ContentWriter;
  private readonly spans = new SpanRegistry();
  private readonly layout: boolean;
  readonly paragraphs: DiParagraph[] = [];
  readonly tables: DiTable[] = [];
  readonly topLevel: TopLevelElement[] = [];

  constructor(private readonly params: AnalyzeParams) {
    this.writer = new ContentWriter(params.contentFormat);
    this.layout = params.modelId === 'prebuilt-layout';
  }

  page(page: ReadPage, isFirst: boolean): DiPage {
    if (!isFirst) this.writer.pageBreak();
    const out: DiPage = {
      pageNumber: page.pageNumber,
      angle: page.angle,
      ...(page.width !== undefined
        ? { width: round(page.width), height: round(page.height ?? 0), unit: page.unit }
        : {}),
      words: [],
      lines: [],
      spans: [],
    };
    let pageStart: number | undefined;
    for (const block of page.blocks) {
      this.writer.startBlock();
      pageStart ??= this.writer.position;
      if (block.kind === 'paragraph') this.topParagraph(block, page, out);
      else if (this.layout) this.table(block, page, out);
      else this.cellsAsParagraphs(block, page, out);
    }
    if (pageStart !== undefined) out.spans.push(this.spans.span(pageStart, this.writer.position));
    return out;
  }

  private lines(lines: readonly ReadLine[], page: ReadPage, out: DiPage): Range {
    const start = this.writer.position;
    lines.forEach((line, index) => {
      if (index > 0) this.writer.write(' ');
      const lineStart = this.writer.position;
      this.writer.write(line.text);
      const polygon = line.box ? { polygon: polygonOf(line.box, page.unit) } : {};
      out.lines.push({
        content: line.text,
        ...polygon,
        spans: [this.spans.span(lineStart, this.writer.position)],
      });
      let cursor = 0;
      for (const word of line.words) {
        // Words appear in the line's text in order; find each after the previous one.
        const at = line.text.indexOf(word.text, cursor);
        const wordStart = lineStart + Math.max(0, at);
        cursor = at < 0 ? cursor : at + word.text.length;
        out.words.push({
          content: word.text,
          ...(word.box ? { polygon: polygonOf(word.box, page.unit) } : {}),
          confidence: word.confidence,
          span: this.spans.span(wordStart, wordStart + word.text.length),
        });
      }
    });
    return { start, end: this.writer.position };
  }

  private paragraph(lines: readonly ReadLine[], page: ReadPage, out: DiPage, role?: string): number {
    const start = this.writer.position;
    if (role && this.params.contentFormat === 'markdown') this.writer.write(role === 'title' ? '# ' : '## ');
    const { end } = this.lines(lines, page, out);
    this.paragraphs.push({
      ...(role ? { role } : {}),
      spans: [this.spans.span(start, end)],
      ...boundingRegions(unionBox(lines.map((line) => line.box)), page.pageNumber, page.unit),
      content: this.writer.text().slice(start, end),
    });
    return this.paragraphs.length - 1;
  }

  private topParagraph(block: ReadParagraph, page: ReadPage, out: DiPage): void {
    const start = this.writer.position;
    const role = this.layout ? block.role : undefined;
    const index = this.paragraph(block.lines, page, out, role);
    this.topLevel.push({
      pointer: `/paragraphs/${index}`,
      heading: role === 'sectionHeading',
      start,
      end: this.writer.position,
    });
  }

  /** prebuilt-read has no tables: each cell is a paragraph of its own. */
  private cellsAsParagraphs(table: ReadTable, page: ReadPage, out: DiPage): void {
    table.cells
      .filter((cell) => cell.lines.length > 0)
      .forEach((cell, index) => {
        if (index > 0) this.writer.startBlock();
        this.topParagraph({ kind: 'paragraph', lines: cell.lines }, page, out);
      });
  }

  private table(table: ReadTable, page: ReadPage, out: DiPage): void {
    const markdown = this.params.contentFormat === 'markdown';
    const start = this.writer.position;
    const cells: DiTableCell[] = [];
    if (markdown) this.writer.write('<table>');
    let row = -1;
    table.cells.forEach((cell, index) => {
      if (markdown && cell.rowIndex !== row) {
        if (row >= 0) this.writer.write('\n</tr>');
        this.writer.write('\n<tr>');
        row = cell.rowIndex;
      }
      const tag = cell.kind === 'columnHeader' ? 'th' : 'td';
      if (markdown) this.writer.write(`\n<${tag}>`);
      else if (index > 0) this.writer.startBlock();
      const cellStart = this.writer.position;
      const paragraph = cell.lines.length > 0 ? this.paragraph(cell.lines, page, out) : undefined;
      const cellEnd = this.writer.position;
      if (markdown) this.writer.write(`</${tag}>`);
      cells.push({
        ...(cell.kind ? { kind: cell.kind } : {}),
        rowIndex: cell.rowIndex,
        columnIndex: cell.columnIndex,
        content: this.writer.text().slice(cellStart, cellEnd),
        ...boundingRegions(cell.box, page.pageNumber, page.unit),
        spans: cellEnd > cellStart ? [this.spans.span(cellStart, cellEnd)] : [],
        ...(paragraph !== undefined ? { elements: [`/paragraphs/${paragraph}`] } : {}),
      });
    });
    if (markdown) this.writer.write(row >= 0 ? '\n</tr>\n</table>' : '\n</table>');
    const end = this.writer.position;
    this.tables.push({
      rowCount: table.rowCount,
      columnCount: table.columnCount,
      cells,
      ...boundingRegions(unionBox(table.cells.map((cell) => cell.box)), page.pageNumber, page.unit),
      spans: [this.spans.span(start, end)],
    });
    this.topLevel.push({ pointer: `/tables/${this.tables.length - 1}`, heading: false, start, end });
  }

  finish(pages: DiPage[]): AnalyzeResult {
    const content = this.writer.text();
    const sections = this.layout
      ? buildSections(this.topLevel, (start, end) => this.spans.span(start, end))
      : undefined;
    this.spans.convert(content, this.params.stringIndexType);
    return {
      apiVersion: this.params.apiVersion,
      modelId: this.params.modelId,
      stringIndexType: this.params.stringIndexType,
      content,
      pages,
      ...(this.layout ? { tables: this.tables } : {}),
      paragraphs: this.paragraphs,
      styles: [],
      contentFormat: this.params.contentFormat,
      ...(sections ? { sections } : {}),
    };
  }
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

export function buildAnalyzeResult(pages: readonly ReadPage[], params: AnalyzeParams): AnalyzeResult {
  const builder = new ResultBuilder(params);
  const built = pages.map((page, index) => builder.page(page, index === 0));
  return builder.finish(built);
}
