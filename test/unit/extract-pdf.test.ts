import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { type PositionedText, pageTextBlocks } from '../../electron/engine/providers/local/pdf-text-layout';
import type { SourceFile } from '../../electron/engine/types';
import { createWordMaker, makeCorruptPdf, makeEncryptedPdf, makePdf } from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-pdf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractor = createLocalExtractor();

async function pdfFile(name: string, bytes: Buffer): Promise<SourceFile> {
  const diskPath = path.join(dir, name);
  await writeFile(diskPath, bytes);
  return {
    diskPath,
    sourcePath: diskPath,
    name,
    size: bytes.length,
    mtimeMs: 0,
    mimeType: 'application/pdf',
  };
}

describe('PDF extraction', () => {
  it('keeps each page with its own 1-based number and splits paragraphs by vertical gaps', async () => {
    const word = createWordMaker(11);
    const phrases = [1, 2, 3].map(() => `${word()} ${word()}`);
    const pages = phrases.map((phrase, i) => [
      `Page ${i + 1} opens with an introduction that is long enough to wrap onto a second line of the page, so the line joining is exercised.`,
      `The phrase ${phrase} belongs to this page only.`,
    ]);
    const doc = await extractor.extract(await pdfFile('three.pdf', await makePdf(pages)));
    expect(doc.mimeType).toBe('application/pdf');
    expect(doc.title).toBe('Generated test document');
    expect(doc.pages.map((page) => page.page)).toEqual([1, 2, 3]);
    doc.pages.forEach((page, i) => {
      expect(page.needsOcr).toBeFalsy();
      expect(page.blocks).toEqual([
        { kind: 'paragraph', text: pages[i]?.[0] },
        { kind: 'paragraph', text: pages[i]?.[1] },
      ]);
    });
  });

  it('marks a page without any text as a scan that needs OCR (when OCR is off)', async () => {
    const doc = await createLocalExtractor({ ocr: null }).extract(
      await pdfFile('scan.pdf', await makePdf(['text on page one', [], 'page three'])),
    );
    expect(doc.pages).toEqual([
      { page: 1, blocks: [{ kind: 'paragraph', text: 'text on page one' }] },
      { page: 2, blocks: [], needsOcr: true },
      { page: 3, blocks: [{ kind: 'paragraph', text: 'page three' }] },
    ]);
  });

  it('fails a corrupt PDF as invalid_input / corrupt', async () => {
    for (const [name, bytes] of [
      ['corrupt.pdf', makeCorruptPdf()],
      ['text.pdf', Buffer.from('just some words, no PDF here')],
      ['truncated.pdf', (await makePdf(['hello'])).subarray(0, 40)],
    ] as const) {
      const error = await extractor.extract(await pdfFile(name, bytes)).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(QuarryError);
      expect(error, name).toMatchObject({ code: 'invalid_input', reason: 'corrupt' });
      expect((error as Error).message).toMatch(/^Not a valid PDF: /);
    }
  });

  it('fails a password-protected PDF as unsupported / encrypted', async () => {
    const error = await extractor
      .extract(await pdfFile('locked.pdf', makeEncryptedPdf()))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'unsupported', reason: 'encrypted' });
    expect((error as Error).message).toMatch(/password-protected/);
  });

  it('stops between pages when aborted', async () => {
    const file = await pdfFile(
      'many.pdf',
      await makePdf(Array.from({ length: 30 }, (_, i) => `page ${i + 1}`)),
    );
    const controller = new AbortController();
    controller.abort();
    await expect(extractor.extract(file, { abortSignal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

describe('pageTextBlocks', () => {
  const item = (
    str: string,
    x: number,
    y: number,
    options: Partial<PositionedText> = {},
  ): PositionedText => ({
    str,
    transform: [10, 0, 0, 10, x, y],
    width: str.length * 5,
    height: 10,
    hasEOL: false,
    ...options,
  });

  it('adds spaces the PDF left out, joins lines and breaks paragraphs at large gaps', () => {
    const blocks = pageTextBlocks([
      item('Hello', 72, 700),
      item('world', 110, 700, { hasEOL: true }),
      item('', 0, 0, { hasEOL: true }),
      item('second line', 72, 688),
      item('New paragraph', 72, 660),
      item('continues.', 72, 648),
    ]);
    expect(blocks).toEqual([
      { kind: 'paragraph', text: 'Hello world second line' },
      { kind: 'paragraph', text: 'New paragraph continues.' },
    ]);
  });

  it('joins CJK lines without spaces and treats clearly larger short lines as headings', () => {
    const blocks = pageTextBlocks([
      item('季度报告', 72, 720, { height: 20, transform: [20, 0, 0, 20, 72, 720] }),
      item('北方地区的销售额', 72, 690),
      item('持续增长。', 72, 678),
      item('委员会审查了预算。', 72, 666),
    ]);
    expect(blocks).toEqual([
      { kind: 'heading', text: '季度报告' },
      { kind: 'paragraph', text: '北方地区的销售额持续增长。委员会审查了预算。' },
    ]);
  });
});
