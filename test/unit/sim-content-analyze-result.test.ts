import { describe, expect, it } from 'vitest';
import type { ReadLine, ReadPage } from '../azure-sim/content';
import { wordsInBox } from '../azure-sim/content/words';
import type { AnalyzeParams } from '../azure-sim/services/document-intelligence-params';
import { isValidLocale, parsePageRanges } from '../azure-sim/services/document-intelligence-params';
import { type AnalyzeResult, buildAnalyzeResult } from '../azure-sim/services/document-intelligence-result';

/** How the DI simulator serialises what the content readers found into `analyzeResult`. */

const line = (text: string, y: number, size = 0.2): ReadLine => {
  const box = { x: 1, y, width: text.length * 0.1, height: size };
  return { text, box, fontSize: size, words: wordsInBox(text, box, 0.99) };
};

const page: ReadPage = {
  pageNumber: 1,
  width: 8.5,
  height: 11,
  unit: 'inch',
  angle: 0,
  textSource: 'text-layer',
  blocks: [
    { kind: 'paragraph', role: 'title', lines: [line('Report', 1, 0.4)] },
    { kind: 'paragraph', lines: [line('First line', 2), line('second line', 2.25)] },
    {
      kind: 'table',
      rowCount: 2,
      columnCount: 2,
      cells: [
        {
          rowIndex: 0,
          columnIndex: 0,
          kind: 'columnHeader',
          lines: [line('Item', 3)],
          box: { x: 1, y: 3, width: 2, height: 0.3 },
        },
        {
          rowIndex: 0,
          columnIndex: 1,
          kind: 'columnHeader',
          lines: [line('Qty', 3)],
          box: { x: 3, y: 3, width: 2, height: 0.3 },
        },
        {
          rowIndex: 1,
          columnIndex: 0,
          lines: [line('Apples', 3.3)],
          box: { x: 1, y: 3.3, width: 2, height: 0.3 },
        },
        {
          rowIndex: 1,
          columnIndex: 1,
          lines: [line('3', 3.3)],
          box: { x: 3, y: 3.3, width: 2, height: 0.3 },
        },
      ],
    },
  ],
};
const second: ReadPage = {
  ...page,
  pageNumber: 2,
  blocks: [{ kind: 'paragraph', role: 'sectionHeading', lines: [line('Annex', 1, 0.3)] }],
};

const params = (overrides: Partial<AnalyzeParams> = {}): AnalyzeParams => ({
  modelId: 'prebuilt-layout',
  apiVersion: '2024-11-30',
  stringIndexType: 'textElements',
  contentFormat: 'text',
  features: [],
  ...overrides,
});

const slice = (result: AnalyzeResult, span: { offset: number; length: number }): string =>
  result.content.slice(span.offset, span.offset + span.length);

describe('analyzeResult content and spans', () => {
  it('text: paragraphs and cells on their own lines, lines of a paragraph joined by spaces', () => {
    const result = buildAnalyzeResult([page, second], params());
    expect(result.content).toBe('Report\nFirst line second line\nItem\nQty\nApples\n3\nAnnex');
    expect(result.contentFormat).toBe('text');
    for (const paragraph of result.paragraphs)
      expect(slice(result, paragraph.spans[0]!)).toBe(paragraph.content);
    for (const resultPage of result.pages) {
      for (const word of resultPage.words) expect(slice(result, word.span)).toBe(word.content);
      for (const pageLine of resultPage.lines)
        expect(slice(result, pageLine.spans[0]!)).toBe(pageLine.content);
    }
    expect(result.pages.map((p) => slice(result, p.spans[0]!))).toEqual([
      'Report\nFirst line second line\nItem\nQty\nApples\n3',
      'Annex',
    ]);
  });

  it('layout: tables with cell paragraphs, roles, polygons and a section tree', () => {
    const result = buildAnalyzeResult([page, second], params());
    expect(result.paragraphs.map((p) => [p.role, p.content])).toEqual([
      ['title', 'Report'],
      [undefined, 'First line second line'],
      [undefined, 'Item'],
      [undefined, 'Qty'],
      [undefined, 'Apples'],
      [undefined, '3'],
      ['sectionHeading', 'Annex'],
    ]);
    const table = result.tables![0]!;
    expect(
      table.cells.map((cell) => [cell.kind, cell.rowIndex, cell.columnIndex, cell.content, cell.elements]),
    ).toEqual([
      ['columnHeader', 0, 0, 'Item', ['/paragraphs/2']],
      ['columnHeader', 0, 1, 'Qty', ['/paragraphs/3']],
      [undefined, 1, 0, 'Apples', ['/paragraphs/4']],
      [undefined, 1, 1, '3', ['/paragraphs/5']],
    ]);
    expect(table.boundingRegions).toEqual([{ pageNumber: 1, polygon: [1, 3, 5, 3, 5, 3.6, 1, 3.6] }]);
    expect(result.paragraphs[1]!.boundingRegions).toEqual([
      { pageNumber: 1, polygon: [1, 2, 2.1, 2, 2.1, 2.45, 1, 2.45] },
    ]);
    expect(result.sections).toEqual([
      {
        spans: [{ offset: 0, length: result.content.length }],
        elements: ['/paragraphs/0', '/paragraphs/1', '/tables/0', '/sections/1'],
      },
      { spans: [{ offset: result.content.indexOf('Annex'), length: 5 }], elements: ['/paragraphs/6'] },
    ]);
  });

  it('read: no tables or sections, no roles; table cells become paragraphs', () => {
    const result = buildAnalyzeResult([page], params({ modelId: 'prebuilt-read' }));
    expect(result.tables).toBeUndefined();
    expect(result.sections).toBeUndefined();
    expect(result.paragraphs.map((p) => [p.role, p.content])).toEqual([
      [undefined, 'Report'],
      [undefined, 'First line second line'],
      [undefined, 'Item'],
      [undefined, 'Qty'],
      [undefined, 'Apples'],
      [undefined, '3'],
    ]);
  });

  it('markdown: headings, an HTML table and page breaks; spans index the markdown', () => {
    const result = buildAnalyzeResult([page, second], params({ contentFormat: 'markdown' }));
    expect(result.content).toBe(
      '# Report\n\nFirst line second line\n\n<table>\n<tr>\n<th>Item</th>\n<th>Qty</th>\n</tr>\n<tr>\n<td>Apples</td>\n<td>3</td>\n</tr>\n</table>\n\n<!-- PageBreak -->\n\n## Annex',
    );
    expect(result.contentFormat).toBe('markdown');
    expect(slice(result, result.paragraphs[0]!.spans[0]!)).toBe('# Report');
    expect(slice(result, result.tables![0]!.spans[0]!)).toMatch(/^<table>[\s\S]*<\/table>$/);
    expect(slice(result, result.tables![0]!.cells[2]!.spans[0]!)).toBe('Apples');
    for (const word of result.pages.flatMap((p) => p.words))
      expect(slice(result, word.span)).toBe(word.content);
  });

  it('converts offsets to text elements, code points or UTF-16 units as asked', () => {
    const emoji: ReadPage = {
      ...page,
      blocks: [
        { kind: 'paragraph', lines: [line('👍🏽 ok', 1)] },
        { kind: 'paragraph', lines: [line('𝄞 end', 2)] },
      ],
    };
    const spansOf = (type: AnalyzeParams['stringIndexType']) => {
      const result = buildAnalyzeResult([emoji], params({ stringIndexType: type }));
      return result.pages[0]!.words.map((word) => [word.content, word.span.offset, word.span.length]);
    };
    // '👍🏽' is one grapheme, two code points, four UTF-16 units; '𝄞' is one code point, two units.
    expect(spansOf('utf16CodeUnit')).toEqual([
      ['👍🏽', 0, 4],
      ['ok', 5, 2],
      ['𝄞', 8, 2],
      ['end', 11, 3],
    ]);
    expect(spansOf('unicodeCodePoint')).toEqual([
      ['👍🏽', 0, 2],
      ['ok', 3, 2],
      ['𝄞', 6, 1],
      ['end', 8, 3],
    ]);
    expect(spansOf('textElements')).toEqual([
      ['👍🏽', 0, 1],
      ['ok', 2, 2],
      ['𝄞', 5, 1],
      ['end', 7, 3],
    ]);
  });

  it('omits polygons and bounding regions for flowing formats', () => {
    const flowing: ReadPage = {
      pageNumber: 1,
      angle: 0,
      textSource: 'markup',
      blocks: [
        {
          kind: 'paragraph',
          lines: [{ text: 'No geometry', words: wordsInBox('No geometry', undefined, 1) }],
        },
      ],
    };
    const result = buildAnalyzeResult([flowing], params());
    expect(result.pages[0]).not.toHaveProperty('width');
    expect(result.pages[0]!.words[0]).not.toHaveProperty('polygon');
    expect(result.paragraphs[0]).not.toHaveProperty('boundingRegions');
  });
});

describe('analyze parameters', () => {
  it('parses page ranges and rejects bad syntax', () => {
    expect(parsePageRanges('1-3,5,7-9')).toEqual([1, 2, 3, 5, 7, 8, 9]);
    expect(parsePageRanges('3, 1-2')).toEqual([1, 2, 3]);
    for (const bad of ['', '0', '3-1', 'a', '1-', '1,,2']) expect(parsePageRanges(bad)).toBeUndefined();
  });

  it('accepts real locales and refuses made-up ones', () => {
    for (const good of ['en-US', 'en-IN', 'de', 'zh-Hans', 'pt-BR']) expect(isValidLocale(good)).toBe(true);
    for (const bad of ['thisIsNotAValidLanguage', 'xx', 'en_US', '']) expect(isValidLocale(bad)).toBe(false);
  });
});
