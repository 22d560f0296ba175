import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { decodeText } from '../../electron/engine/providers/local/text-decoding';
import { csvRecords, markdownBlocks } from '../../electron/engine/providers/local/text-extractor';
import type { ExtractedDocument, SourceFile } from '../../electron/engine/types';
import {
  CHINESE_SAMPLE,
  encodeText,
  type FixtureEncoding,
  JAPANESE_SAMPLE,
  makeBinary,
  WINDOWS_1252_SAMPLE,
} from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractor = createLocalExtractor();

async function extract(name: string, bytes: Buffer, mimeType: string): Promise<ExtractedDocument> {
  const diskPath = path.join(dir, name);
  await writeFile(diskPath, bytes);
  const file: SourceFile = { diskPath, sourcePath: diskPath, name, size: bytes.length, mtimeMs: 0, mimeType };
  return extractor.extract(file);
}

const allText = (doc: ExtractedDocument) =>
  doc.pages.flatMap((page) => page.blocks.map((block) => block.text)).join('\n');

describe('decodeText', () => {
  const cases: Array<[FixtureEncoding, string]> = [
    ['utf-8', `${CHINESE_SAMPLE} ${WINDOWS_1252_SAMPLE}`],
    ['utf-16le-bom', `${JAPANESE_SAMPLE} Ünïcödé`],
    ['utf-16be-bom', `${CHINESE_SAMPLE} Ünïcödé`],
    ['gb18030', `${CHINESE_SAMPLE}\n\n${CHINESE_SAMPLE}`],
    ['shift_jis', `${JAPANESE_SAMPLE}\n\n${JAPANESE_SAMPLE}`],
    ['windows-1252', `${WINDOWS_1252_SAMPLE}\n${WINDOWS_1252_SAMPLE}`],
  ];
  it.each(cases)('decodes %s correctly', (encoding, text) => {
    expect(decodeText(encodeText(text, encoding)).text).toBe(text);
  });

  it('strips a UTF-8 BOM and decodes UTF-16 without a BOM', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hé')])).text).toBe('hé');
    expect(decodeText(Buffer.from('plain words here', 'utf16le')).text).toBe('plain words here');
  });

  it('uses a declared charset when the bytes are not UTF-8', () => {
    const bytes = encodeText('短文本', 'gb18030');
    expect(decodeText(bytes, { declaredEncoding: 'GBK' }).text).toBe('短文本');
  });

  it('rejects binary content as unsupported', () => {
    const error = (() => {
      try {
        decodeText(makeBinary());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'unsupported', reason: 'unsupported_type' });
  });
});

describe('text extraction', () => {
  it('reads plain text into paragraphs, whatever the encoding', async () => {
    const text = `${CHINESE_SAMPLE}\n\n项目代号 zorbalu。\r\n\r\n最后一段。`;
    const doc = await extract('gb.txt', encodeText(text, 'gb18030'), 'text/plain');
    expect(doc.pages).toEqual([
      {
        page: null,
        blocks: [
          { kind: 'paragraph', text: CHINESE_SAMPLE },
          { kind: 'paragraph', text: '项目代号 zorbalu。' },
          { kind: 'paragraph', text: '最后一段。' },
        ],
      },
    ]);
    const utf16 = await extract(
      'u16.txt',
      encodeText('Line one\nline two\n\nNext', 'utf-16le-bom'),
      'text/plain',
    );
    expect(utf16.pages[0]?.blocks.map((b) => b.text)).toEqual(['Line one\nline two', 'Next']);
  });

  it('keeps markdown headings, paragraphs, lists, tables and code as blocks', () => {
    const { title, blocks } = markdownBlocks(
      [
        '# Quarterly notes',
        '',
        'First paragraph',
        'wrapped here.',
        '',
        '## Actions ##',
        '- one',
        '- two',
        '  continued',
        '',
        '| Name | Value |',
        '|------|------:|',
        '| a | 1 |',
        '',
        '```',
        'const x = 1;',
        '',
        'const y = 2;',
        '```',
      ].join('\n'),
    );
    expect(title).toBe('Quarterly notes');
    expect(blocks).toEqual([
      { kind: 'heading', text: 'Quarterly notes' },
      { kind: 'paragraph', text: 'First paragraph wrapped here.' },
      { kind: 'heading', text: 'Actions' },
      { kind: 'list', text: '- one\n- two\n  continued' },
      { kind: 'table', text: '| Name | Value |\n| a | 1 |' },
      { kind: 'paragraph', text: 'const x = 1;\n\nconst y = 2;' },
    ]);
  });

  it('keeps CSV records whole, including quoted fields with line breaks', async () => {
    expect(csvRecords('a,b\n1,"two\nlines"\n\n3,x\n')).toEqual(['a,b', '1,"two\nlines"', '3,x']);
    const doc = await extract('t.csv', Buffer.from('name,notes\r\nalpha,"x, y"\r\nbeta,z\r\n'), 'text/csv');
    expect(doc.pages[0]?.blocks).toEqual([{ kind: 'table', text: 'name,notes\nalpha,"x, y"\nbeta,z' }]);
  });

  it('pretty-prints JSON and still indexes invalid JSON as text', async () => {
    const doc = await extract('d.json', Buffer.from('{"a":1,"b":["x","y"]}'), 'application/json');
    expect(allText(doc)).toBe('{\n  "a": 1,\n  "b": [\n    "x",\n    "y"\n  ]\n}');
    const broken = await extract('bad.json', Buffer.from('{"a": 1, oops'), 'application/json');
    expect(allText(broken)).toBe('{"a": 1, oops');
  });

  it('rejects a binary file with a text type as unsupported', async () => {
    await expect(extract('fake.txt', makeBinary(), 'text/plain')).rejects.toMatchObject({
      code: 'unsupported',
      reason: 'unsupported_type',
    });
  });
});
