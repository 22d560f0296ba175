import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { DOCX_MIME_TYPE } from '../../electron/engine/pipeline/mime';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import type { SourceFile } from '../../electron/engine/types';
import { makeBinary, makeDocx } from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-docx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extractor = createLocalExtractor();

async function docxFile(name: string, bytes: Buffer): Promise<SourceFile> {
  const diskPath = path.join(dir, name);
  await writeFile(diskPath, bytes);
  return { diskPath, sourcePath: diskPath, name, size: bytes.length, mtimeMs: 0, mimeType: DOCX_MIME_TYPE };
}

describe('DOCX extraction', () => {
  it('keeps the heading, paragraphs and table rows as blocks, without pages', async () => {
    const bytes = await makeDocx(['First paragraph of the minutes.', 'Second paragraph & more <text>.'], {
      heading: 'Board minutes',
      table: [
        ['Item', 'Owner'],
        ['Budget', 'Alice'],
        ['Hiring', 'Bob'],
      ],
    });
    const doc = await extractor.extract(await docxFile('minutes.docx', bytes));
    expect(doc.mimeType).toBe(DOCX_MIME_TYPE);
    expect(doc.title).toBe('Board minutes');
    expect(doc.pages).toEqual([
      {
        page: null,
        blocks: [
          { kind: 'heading', text: 'Board minutes' },
          { kind: 'paragraph', text: 'First paragraph of the minutes.' },
          { kind: 'paragraph', text: 'Second paragraph & more <text>.' },
          { kind: 'table', text: 'Item | Owner\nBudget | Alice\nHiring | Bob' },
        ],
      },
    ]);
  });

  it('fails a corrupt DOCX as invalid_input / corrupt', async () => {
    for (const [name, bytes] of [
      ['random.docx', makeBinary()],
      ['zip-garbage.docx', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), makeBinary(500)])],
      ['truncated.docx', (await makeDocx(['hello'])).subarray(0, 300)],
    ] as const) {
      const error = await extractor.extract(await docxFile(name, bytes)).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(QuarryError);
      expect(error, name).toMatchObject({ code: 'invalid_input', reason: 'corrupt' });
    }
  });

  it('recognises password-protected and legacy Word files in an OLE container', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const encrypted = Buffer.concat([
      ole,
      makeBinary(512),
      Buffer.from('EncryptedPackage', 'utf16le'),
      makeBinary(512),
    ]);
    await expect(extractor.extract(await docxFile('locked.docx', encrypted))).rejects.toMatchObject({
      code: 'unsupported',
      reason: 'encrypted',
    });
    const legacy = Buffer.concat([ole, makeBinary(1024)]);
    await expect(extractor.extract(await docxFile('old.docx', legacy))).rejects.toMatchObject({
      code: 'unsupported',
      reason: 'unsupported_type',
    });
  });
});
