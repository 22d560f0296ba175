import { describe, expect, it } from 'vitest';
import { openDocument, type ReadPage, type ReadParagraph, type ReadTable } from '../azure-sim/content';
import { makeEncryptedPdf, makeNumberedPdf, makePdf } from '../azure-sim/content/fixtures';

const paragraphs = (page: ReadPage): ReadParagraph[] =>
  page.blocks.filter((block): block is ReadParagraph => block.kind === 'paragraph');
const texts = (page: ReadPage): string[] =>
  paragraphs(page).map((p) => p.lines.map((line) => line.text).join(' '));

async function readAll(bytes: Uint8Array): Promise<ReadPage[]> {
  const document = await openDocument(bytes);
  try {
    const pages: ReadPage[] = [];
    for (let page = 1; page <= document.pageCount; page += 1) pages.push(await document.readPage(page));
    return pages;
  } finally {
    await document.close();
  }
}

describe('PDF text layer', () => {
  it('reads each page separately, with the page size in inches', async () => {
    const pages = await readAll(await makeNumberedPdf(3));
    expect(pages.map((page) => [page.pageNumber, texts(page)])).toEqual([
      [1, ['Page 1']],
      [2, ['Page 2']],
      [3, ['Page 3']],
    ]);
    expect(pages[0]).toMatchObject({
      width: 8.5,
      height: 11,
      unit: 'inch',
      angle: 0,
      textSource: 'text-layer',
    });
  });

  it('groups lines into paragraphs and marks the large first line as the title', async () => {
    const [page] = await readAll(
      await makePdf([
        {
          kind: 'text',
          heading: 'Annual Review',
          paragraphs: [
            'The first paragraph starts here\nand continues on a second line.',
            'A second paragraph.',
          ],
        },
      ]),
    );
    const found = paragraphs(page!);
    expect(found.map((p) => [p.role, p.lines.map((line) => line.text)])).toEqual([
      ['title', ['Annual Review']],
      [undefined, ['The first paragraph starts here', 'and continues on a second line.']],
      [undefined, ['A second paragraph.']],
    ]);
    const [first, second] = found[1]!.lines;
    // Positions come from the PDF: 72 pt = 1 inch from the left, the second line below the first.
    expect(first!.box!.x).toBeCloseTo(1, 3);
    expect(second!.box!.y).toBeGreaterThan(first!.box!.y);
    expect(first!.words.map((word) => word.text)).toEqual(['The', 'first', 'paragraph', 'starts', 'here']);
    const lastWord = first!.words.at(-1)!;
    expect(lastWord.box!.x + lastWord.box!.width).toBeCloseTo(first!.box!.x + first!.box!.width, 5);
  });

  it('recovers a table from aligned columns, first row as column headers', async () => {
    const [page] = await readAll(
      await makePdf([
        {
          kind: 'text',
          paragraphs: ['Price list'],
          table: [
            ['Item', 'Qty', 'Price'],
            ['Apples', '3', '1.20'],
            ['Pears', '12', '0.80'],
          ],
        },
      ]),
    );
    const table = page!.blocks.find((block): block is ReadTable => block.kind === 'table');
    expect(table).toMatchObject({ rowCount: 3, columnCount: 3 });
    expect(
      table!.cells.map((cell) => [cell.rowIndex, cell.columnIndex, cell.kind, cell.lines[0]?.text]),
    ).toEqual([
      [0, 0, 'columnHeader', 'Item'],
      [0, 1, 'columnHeader', 'Qty'],
      [0, 2, 'columnHeader', 'Price'],
      [1, 0, undefined, 'Apples'],
      [1, 1, undefined, '3'],
      [1, 2, undefined, '1.20'],
      [2, 0, undefined, 'Pears'],
      [2, 1, undefined, '12'],
      [2, 2, undefined, '0.80'],
    ]);
    expect(texts(page!)).toEqual(['Price list']);
  });
});

describe('scanned PDF pages', () => {
  it('reads a page that is only a JPEG through the convention text it carries', async () => {
    const pages = await readAll(
      await makePdf([
        { kind: 'text', paragraphs: ['Cover letter'] },
        { kind: 'scan', lines: ['Scanned invoice 4711', '', 'Total due 99 EUR'] },
      ]),
    );
    expect(pages[1]!.textSource).toBe('sim-text');
    expect(texts(pages[1]!)).toEqual(['Scanned invoice 4711', 'Total due 99 EUR']);
    const box = paragraphs(pages[1]!)[0]!.lines[0]!.box!;
    expect(box.x + box.width).toBeLessThanOrEqual(8.5);
    expect(box.y + box.height).toBeLessThanOrEqual(11);
  });

  it('gives a blank page no text and does not OCR it', async () => {
    const started = Date.now();
    const [page] = await readAll(await makePdf([{ kind: 'blank' }]));
    expect(page!.blocks).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('unreadable PDFs', () => {
  it('reports a password-protected PDF as encrypted', async () => {
    await expect(openDocument(makeEncryptedPdf())).rejects.toMatchObject({
      code: 'invalid_input',
      reason: 'encrypted',
    });
  });

  it('reports a damaged PDF as corrupt', async () => {
    const damaged = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer garbage');
    await expect(openDocument(damaged)).rejects.toMatchObject({ code: 'invalid_input', reason: 'corrupt' });
  });

  it('leaves the caller’s buffer usable (pdf.js gets a copy)', async () => {
    const bytes = await makeNumberedPdf(1);
    const length = bytes.length;
    await (await openDocument(bytes)).close();
    expect(bytes.length).toBe(length);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });
});
