/**
 * The neutral reading of a document that the simulated services serialise into their own wire
 * shapes. Coordinates are top-left based, in the page's `unit` (inches for PDF pages, pixels
 * for images); Office/HTML pages have no geometry, like the real service's flowing formats.
 */

export type DocumentFormat =
  | 'pdf'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'webp'
  | 'heif'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'html'
  | 'unknown';

export type PageUnit = 'inch' | 'pixel';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReadWord {
  text: string;
  /** Absent for flowing formats (DOCX, HTML). */
  box?: Box;
  confidence: number;
}

export interface ReadLine {
  text: string;
  box?: Box;
  words: ReadWord[];
  /** Glyph height in page units; drives heading detection. */
  fontSize?: number;
}

export type ParagraphRole = 'title' | 'sectionHeading';

export interface ReadParagraph {
  kind: 'paragraph';
  role?: ParagraphRole;
  lines: ReadLine[];
}

export interface ReadTableCell {
  rowIndex: number;
  columnIndex: number;
  /** Header cells of the first row; body cells leave it out, as the service does. */
  kind?: 'columnHeader';
  lines: ReadLine[];
  box?: Box;
}

export interface ReadTable {
  kind: 'table';
  rowCount: number;
  columnCount: number;
  cells: ReadTableCell[];
}

export type ReadBlock = ReadParagraph | ReadTable;

/** How a page's text was obtained; tests use it to check which path the sim took. */
export type TextSource = 'text-layer' | 'sim-text' | 'ocr' | 'markup';

export interface ReadPage {
  pageNumber: number;
  width?: number;
  height?: number;
  unit?: PageUnit;
  angle: number;
  blocks: ReadBlock[];
  textSource: TextSource;
}

export interface ReadOptions {
  abortSignal?: AbortSignal;
}

/** A document opened far enough to know its page count; pages are read on demand. */
export interface OpenedDocument {
  format: DocumentFormat;
  pageCount: number;
  readPage(pageNumber: number, options?: ReadOptions): Promise<ReadPage>;
  close(): Promise<void>;
}
