import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { IMAGE_MIME_TYPES, LOCAL_SUPPORTED_MIME_TYPES } from '../../electron/engine/pipeline/mime';
import { createLocalExtractor } from '../../electron/engine/providers/local/local-extractor';
import { closeSharedOcrPool } from '../../electron/engine/providers/local/ocr/shared-ocr-pool';
import type { SourceFile } from '../../electron/engine/types';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-local-'));
});
afterAll(async () => {
  await closeSharedOcrPool();
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Buffer, mimeType: string): Promise<SourceFile> {
  const diskPath = path.join(dir, name);
  await writeFile(diskPath, bytes);
  return { diskPath, sourcePath: diskPath, name, size: bytes.length, mtimeMs: 0, mimeType };
}

describe('createLocalExtractor', () => {
  const extractor = createLocalExtractor();

  it('declares the supported types (images only with OCR)', () => {
    expect(extractor.mimeTypes).toEqual([...LOCAL_SUPPORTED_MIME_TYPES, ...IMAGE_MIME_TYPES]);
    expect(createLocalExtractor({ ocr: null }).mimeTypes).toEqual(LOCAL_SUPPORTED_MIME_TYPES);
  });

  it('rejects zero-byte files of any type as empty', async () => {
    for (const mimeType of ['text/plain', 'application/pdf', 'image/png']) {
      const error = await extractor
        .extract(await file('empty', Buffer.alloc(0), mimeType))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QuarryError);
      expect(error).toMatchObject({
        code: 'invalid_input',
        reason: 'empty_file',
        message: 'File is empty (0 bytes)',
      });
    }
  });

  it('explains that image OCR is not available when OCR is off', async () => {
    const png = await file(
      'photo.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'image/png',
    );
    const error = await createLocalExtractor({ ocr: null })
      .extract(png)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unsupported', reason: 'unsupported_type' });
    expect((error as Error).message).toMatch(/OCR is not available/);
  });

  it('fails an image OCR cannot decode as invalid_input', async () => {
    const png = await file(
      'truncated.png',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      'image/png',
    );
    const error = await extractor.extract(png).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'unreadable_image' });
  });

  it('rejects types it cannot read', async () => {
    const zip = await file('a.zip', Buffer.from('PK\x03\x04rest', 'latin1'), 'application/zip');
    await expect(extractor.extract(zip)).rejects.toMatchObject({
      code: 'unsupported',
      reason: 'unsupported_type',
    });
  });

  it('honours an aborted signal', async () => {
    const text = await file('a.txt', Buffer.from('hello'), 'text/plain');
    const controller = new AbortController();
    controller.abort();
    await expect(extractor.extract(text, { abortSignal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
