import { createCanvas } from '@napi-rs/canvas';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from 'pdf-lib';
import { embedSimText } from './sim-text';

/**
 * Document makers for tests and benchmarks: real files whose text the simulator reads back.
 * Images and scans carry their text under the convention (see README.md) unless told not to,
 * so reading them needs no OCR.
 */

export interface TextImageOptions {
  lines: readonly string[];
  width?: number;
  height?: number;
  format?: 'png' | 'jpeg';
  /** Embed the convention text (default true); false leaves only pixels, so the sim OCRs them. */
  embedText?: boolean;
  fontSizePx?: number;
}

/** An image with the lines drawn in black on white (real pixels), plus the convention text. */
export function makeTextImage(options: TextImageOptions): Uint8Array {
  const fontSize = options.fontSizePx ?? 32;
  const width = options.width ?? 800;
  const height = options.height ?? Math.max(120, fontSize * 2 + options.lines.length * fontSize * 1.5);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000000';
  context.font = `${fontSize}px sans-serif`;
  for (const [index, line] of options.lines.entries())
    context.fillText(line, fontSize, fontSize * 1.5 * (index + 1));
  const pixels = options.format === 'jpeg' ? canvas.toBuffer('image/jpeg', 92) : canvas.toBuffer('image/png');
  return options.embedText === false
    ? new Uint8Array(pixels)
    : embedSimText(pixels, options.lines.join('\n'));
}

export type PdfPageSpec =
  | {
      kind: 'text';
      heading?: string;
      paragraphs?: readonly string[];
      /** Drawn as aligned columns, first row as headers. */
      table?: readonly (readonly string[])[];
    }
  /** A page that is only a JPEG image (a scan), with or without convention text. */
  | { kind: 'scan'; lines: readonly string[]; embedText?: boolean }
  | { kind: 'blank' };

const letter: [number, number] = [612, 792];

function drawTextPage(
  page: PDFPage,
  spec: Extract<PdfPageSpec, { kind: 'text' }>,
  font: PDFFont,
  bold: PDFFont,
): void {
  let y = 720;
  if (spec.heading) {
    page.drawText(spec.heading, { x: 72, y, size: 24, font: bold });
    y -= 48;
  }
  for (const paragraph of spec.paragraphs ?? []) {
    // Lines of one paragraph 14 pt apart; a 28 pt gap separates paragraphs.
    for (const line of paragraph.split('\n')) {
      page.drawText(line, { x: 72, y, size: 12, font });
      y -= 14;
    }
    y -= 14;
  }
  const columnWidth = 150;
  for (const [rowIndex, row] of (spec.table ?? []).entries()) {
    for (const [columnIndex, cell] of row.entries()) {
      const x = 72 + columnIndex * columnWidth;
      page.drawText(cell, { x, y, size: 12, font: rowIndex === 0 ? bold : font });
    }
    y -= 20;
  }
}

/** A PDF built page by page with pdf-lib (Helvetica: Latin text only). */
export async function makePdf(pages: readonly PdfPageSpec[]): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  for (const spec of pages) {
    const page = document.addPage(letter);
    if (spec.kind === 'text') drawTextPage(page, spec, font, bold);
    if (spec.kind === 'scan') {
      const scan = makeTextImage({
        lines: spec.lines,
        format: 'jpeg',
        width: 1275,
        height: 1650,
        fontSizePx: 40,
        embedText: spec.embedText ?? true,
      });
      const image = await document.embedJpg(scan);
      page.drawImage(image, { x: 0, y: 0, width: letter[0], height: letter[1] });
    }
  }
  return document.save();
}

/** A PDF whose pages each say "Page N" (for page-range and page-limit tests). */
export async function makeNumberedPdf(pageCount: number): Promise<Uint8Array> {
  return makePdf(
    Array.from({ length: pageCount }, (_, index) => ({
      kind: 'text' as const,
      paragraphs: [`Page ${index + 1}`],
    })),
  );
}

export interface DocxSpec {
  title?: string;
  sections: readonly { heading?: string; paragraphs: readonly string[] }[];
  table?: readonly (readonly string[])[];
}

export async function makeDocx(spec: DocxSpec): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  if (spec.title) children.push(new Paragraph({ text: spec.title, heading: HeadingLevel.HEADING_1 }));
  for (const section of spec.sections) {
    if (section.heading)
      children.push(new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_2 }));
    for (const text of section.paragraphs) children.push(new Paragraph({ text }));
  }
  if (spec.table) {
    const rows = spec.table.map(
      (row, rowIndex) =>
        new TableRow({
          // docx writes <w:tblHeader w:val="false"/> for false, which mammoth reads as a header row.
          ...(rowIndex === 0 ? { tableHeader: true } : {}),
          children: row.map((text) => new TableCell({ children: [new Paragraph({ text })] })),
        }),
    );
    children.push(new Table({ rows }));
  }
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

/**
 * A one-page PDF protected by a user password (standard security handler, RC4 40-bit): the
 /U entry matches no password, so readers must ask for one.
 */
export function makeEncryptedPdf(): Uint8Array {
  const hex32 = (seed: number): string =>
    Array.from({ length: 32 }, (_, index) => ((index * 37 + seed) % 256).toString(16).padStart(2, '0')).join(
      '',
    );
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex32(11)}> /U <${hex32(97)}> /P -44 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex32(5).slice(0, 32)}> <${hex32(5).slice(0, 32)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
