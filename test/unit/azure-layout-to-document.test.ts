import type { AnalyzeResultOutput } from '@azure-rest/ai-document-intelligence';
import { describe, expect, it } from 'vitest';
import {
  layoutToDocument,
  mergeDocuments,
  tableText,
} from '../../electron/engine/providers/azure/layout-to-document';
import { scaleDocumentGeometry } from '../../electron/engine/providers/azure/scale-geometry';

const box = (x: number, y: number): number[] => [x, y, x + 1, y, x + 1, y + 0.2, x, y + 0.2];

/** A two-page layout result in markdown form, with page furniture, a table and a footnote. */
function sampleResult(): AnalyzeResultOutput {
  const content = [
    '<!-- PageHeader="ACME Corp" -->', // 0..31
    '# Annual Review', // 33..48
    'Sales rose.', // 50..61
    '<table><tr><th>Q</th><th>Sales</th></tr><tr><td>Q1</td><td>10</td></tr></table>',
    '<!-- PageNumber="1" -->',
    '<!-- PageBreak -->',
    '## Outlook',
    'Next year looks good.',
  ].join('\n\n');
  const at = (text: string) => ({ offset: content.indexOf(text), length: text.length });
  return {
    apiVersion: '2024-11-30',
    modelId: 'prebuilt-layout',
    stringIndexType: 'utf16CodeUnit',
    contentFormat: 'markdown',
    content,
    pages: [
      {
        pageNumber: 1,
        width: 8.5,
        height: 11,
        unit: 'inch',
        spans: [{ offset: 0, length: content.indexOf('<!-- PageBreak') }],
      },
      {
        pageNumber: 2,
        width: 8.5,
        height: 11,
        unit: 'inch',
        spans: [{ offset: content.indexOf('## Outlook'), length: 40 }],
      },
    ],
    paragraphs: [
      {
        role: 'pageHeader',
        content: 'ACME Corp',
        spans: [at('<!-- PageHeader="ACME Corp" -->')],
        boundingRegions: [{ pageNumber: 1, polygon: box(1, 0.2) }],
      },
      {
        role: 'title',
        content: '# Annual Review',
        spans: [at('# Annual Review')],
        boundingRegions: [{ pageNumber: 1, polygon: box(1, 1) }],
      },
      {
        content: 'Sales rose.',
        spans: [at('Sales rose.')],
        boundingRegions: [{ pageNumber: 1, polygon: box(1, 2) }],
      },
      { content: 'Q', spans: [at('<th>Q<')].map((span) => ({ offset: span.offset + 4, length: 1 })) },
      { content: 'Sales', spans: [{ offset: content.indexOf('Sales</th>'), length: 5 }] },
      { content: 'Q1', spans: [{ offset: content.indexOf('Q1'), length: 2 }] },
      { content: '10', spans: [{ offset: content.indexOf('>10<') + 1, length: 2 }] },
      { role: 'pageNumber', content: '1', spans: [at('<!-- PageNumber="1" -->')] },
      // No bounding regions (as for flowing formats): the page comes from the page spans.
      { role: 'sectionHeading', content: '## Outlook', spans: [at('## Outlook')] },
      { content: 'Next year looks good.', spans: [at('Next year looks good.')] },
    ],
    tables: [
      {
        rowCount: 3,
        columnCount: 2,
        spans: [at('<table><tr><th>Q</th><th>Sales</th></tr><tr><td>Q1</td><td>10</td></tr></table>')],
        boundingRegions: [{ pageNumber: 1, polygon: box(1, 3) }],
        cells: [
          {
            kind: 'columnHeader',
            rowIndex: 0,
            columnIndex: 0,
            content: 'Q',
            spans: [],
            elements: ['/paragraphs/3'],
          },
          {
            kind: 'columnHeader',
            rowIndex: 0,
            columnIndex: 1,
            content: 'Sales',
            spans: [],
            elements: ['/paragraphs/4'],
          },
          { rowIndex: 1, columnIndex: 0, content: 'Q1', spans: [], elements: ['/paragraphs/5'] },
          { rowIndex: 1, columnIndex: 1, content: ' 10 \n', spans: [], elements: ['/paragraphs/6'] },
          // Row 2 is empty: it is left out.
        ],
      },
    ],
  };
}

describe('layoutToDocument', () => {
  it('maps paragraphs and tables to blocks in reading order, per page, without page furniture', () => {
    const document = layoutToDocument(sampleResult(), 'application/pdf');
    expect(document.title).toBe('Annual Review');
    expect(document.pages.map((page) => [page.page, page.width, page.height, page.unit])).toEqual([
      [1, 8.5, 11, 'inch'],
      [2, 8.5, 11, 'inch'],
    ]);
    expect(document.pages[0]?.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Annual Review'],
      ['paragraph', 'Sales rose.'],
      ['table', 'Q | Sales\nQ1 | 10'],
    ]);
    expect(document.pages[1]?.blocks.map((block) => [block.kind, block.text])).toEqual([
      ['heading', 'Outlook'],
      ['paragraph', 'Next year looks good.'],
    ]);
  });

  it('keeps the polygons of each block, and none where the service gave none', () => {
    const document = layoutToDocument(sampleResult(), 'application/pdf');
    expect(document.pages[0]?.blocks[0]?.regions).toEqual([{ page: 1, polygon: box(1, 1) }]);
    expect(document.pages[0]?.blocks[2]?.regions).toEqual([{ page: 1, polygon: box(1, 3) }]);
    expect(document.pages[1]?.blocks[0]?.regions).toBeUndefined();
  });

  it('writes a spanning cell once, in its top-left position', () => {
    expect(
      tableText({
        rowCount: 2,
        columnCount: 3,
        spans: [],
        cells: [
          { rowIndex: 0, columnIndex: 0, columnSpan: 2, content: 'Name', spans: [] },
          { rowIndex: 0, columnIndex: 2, content: 'Age', spans: [] },
          { rowIndex: 1, columnIndex: 0, content: 'Ada', spans: [] },
          { rowIndex: 1, columnIndex: 1, content: 'Lovelace', spans: [] },
          { rowIndex: 1, columnIndex: 2, content: '36', spans: [] },
        ],
      }),
    ).toBe('Name |  | Age\nAda | Lovelace | 36');
  });

  it('merges page ranges in page order and scales image coordinates back', () => {
    const first = layoutToDocument(sampleResult(), 'application/pdf');
    const later = {
      mimeType: 'application/pdf',
      pages: [{ page: 3, blocks: [{ kind: 'paragraph' as const, text: 'p3' }] }],
    };
    const merged = mergeDocuments([later, first], 'application/pdf');
    expect(merged.pages.map((page) => page.page)).toEqual([1, 2, 3]);
    expect(merged.title).toBe('Annual Review');

    const image = {
      mimeType: 'image/png',
      pages: [
        {
          page: 1,
          width: 100,
          height: 50,
          unit: 'pixel' as const,
          blocks: [
            {
              kind: 'paragraph' as const,
              text: 'x',
              regions: [{ page: 1, polygon: [1, 2, 3, 4, 5, 6, 7, 8] }],
            },
          ],
        },
      ],
    };
    const scaled = scaleDocumentGeometry(image, 2.5);
    expect(scaled.pages[0]).toMatchObject({ width: 250, height: 125 });
    expect(scaled.pages[0]?.blocks[0]?.regions?.[0]?.polygon).toEqual([2.5, 5, 7.5, 10, 12.5, 15, 17.5, 20]);
    expect(scaleDocumentGeometry(image, 1)).toBe(image);
  });
});
