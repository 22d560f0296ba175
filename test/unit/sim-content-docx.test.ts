import { describe, expect, it } from 'vitest';
import { openDocument, type ReadBlock } from '../azure-sim/content';
import { makeDocx } from '../azure-sim/content/fixtures';
import { htmlBlocks } from '../azure-sim/content/html-blocks';
import { charactersPerFlowPage } from '../azure-sim/content/markup-document';

const summary = (blocks: readonly ReadBlock[]): unknown[] =>
  blocks.map((block) =>
    block.kind === 'paragraph'
      ? [block.role ?? 'p', block.lines.map((line) => line.text).join(' / ')]
      : [
          'table',
          block.cells.map(
            (cell) => `${cell.rowIndex},${cell.columnIndex}:${cell.lines.map((l) => l.text).join(' ')}`,
          ),
        ],
  );

describe('DOCX reading', () => {
  it('keeps headings, paragraphs and tables, without geometry', async () => {
    const bytes = await makeDocx({
      title: 'Field report',
      sections: [{ heading: 'Findings', paragraphs: ['Soil samples were taken.', 'Water was clear.'] }],
      table: [
        ['Site', 'pH'],
        ['North', '6.5'],
      ],
    });
    const document = await openDocument(bytes);
    expect(document.format).toBe('docx');
    expect(document.pageCount).toBe(1);
    const page = await document.readPage(1);
    expect(page).toMatchObject({ pageNumber: 1, textSource: 'markup' });
    expect(page.width).toBeUndefined();
    expect(summary(page.blocks)).toEqual([
      ['title', 'Field report'],
      ['sectionHeading', 'Findings'],
      ['p', 'Soil samples were taken.'],
      ['p', 'Water was clear.'],
      ['table', ['0,0:Site', '0,1:pH', '1,0:North', '1,1:6.5']],
    ]);
    const words = page.blocks[2]?.kind === 'paragraph' ? page.blocks[2].lines[0]?.words : [];
    expect(words?.map((word) => [word.text, word.box])).toEqual([
      ['Soil', undefined],
      ['samples', undefined],
      ['were', undefined],
      ['taken.', undefined],
    ]);
  });

  it('cuts a long document into pages of about 3,000 characters at paragraph boundaries', async () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(10).trim();
    const bytes = await makeDocx({
      sections: [{ paragraphs: Array.from({ length: 30 }, (_, i) => `${i + 1}. ${paragraph}`) }],
    });
    const document = await openDocument(bytes);
    const total = 30 * (paragraph.length + 5);
    expect(document.pageCount).toBeGreaterThanOrEqual(Math.floor(total / charactersPerFlowPage));
    const first = await document.readPage(1);
    const last = await document.readPage(document.pageCount);
    const firstText = summary(first.blocks).map((entry) => (entry as string[])[1]);
    expect(firstText[0]).toMatch(/^1\. Lorem/);
    expect(summary(last.blocks).at(-1)).toEqual(['p', `30. ${paragraph}`]);
    const length = firstText.join('\n').length;
    expect(length).toBeLessThanOrEqual(charactersPerFlowPage);
  });

  it('reports a damaged DOCX package as corrupt', async () => {
    const bytes = Buffer.from(await makeDocx({ sections: [{ paragraphs: ['x'] }] }));
    // Keep the ZIP signature and entry names, destroy the central directory.
    const damaged = Buffer.concat([
      bytes.subarray(0, 200),
      Buffer.from('word/document.xml'),
      Buffer.alloc(64, 7),
    ]);
    await expect(openDocument(damaged)).rejects.toMatchObject({ reason: 'corrupt' });
  });
});

describe('HTML blocks', () => {
  it('reads headings, paragraphs, line breaks, list items, entities and tables; drops scripts', () => {
    const html = `<!DOCTYPE html><html><head><title>ignored</title><style>p{}</style></head><body>
      <h1>Main &amp; only</h1><p>First line<br>second line</p><script>var x = "<p>no</p>";</script>
      <ul><li>One</li><li>Two &#x4E2D;</li></ul><h3>Details</h3>
      <table><tr><th>K</th><th>V</th></tr><tr><td><p>a</p></td><td>1 &lt; 2</td></tr></table></body></html>`;
    expect(summary(htmlBlocks(html))).toEqual([
      ['title', 'Main & only'],
      ['p', 'First line / second line'],
      ['p', 'One'],
      ['p', 'Two 中'],
      ['sectionHeading', 'Details'],
      ['table', ['0,0:K', '0,1:V', '1,0:a', '1,1:1 < 2']],
    ]);
    const table = htmlBlocks(html).at(-1);
    expect(table?.kind === 'table' && table.cells.map((cell) => cell.kind)).toEqual([
      'columnHeader',
      'columnHeader',
      undefined,
      undefined,
    ]);
  });

  it('opens an HTML document through the same reader', async () => {
    const document = await openDocument(
      Buffer.from('<html><body><p>Hello <b>bold</b> world</p></body></html>'),
    );
    expect(document.format).toBe('html');
    expect(summary((await document.readPage(1)).blocks)).toEqual([['p', 'Hello bold world']]);
  });
});
