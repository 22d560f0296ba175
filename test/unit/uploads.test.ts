import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { safeUploadName, storeUpload } from '../../electron/engine/pipeline/uploads';

describe('uploads', () => {
  it('keeps relative folders but never escapes the uploads folder', () => {
    expect(safeUploadName('docs/sub/a.pdf')).toBe('docs/sub/a.pdf');
    expect(safeUploadName('../../etc/passwd')).toBe('etc/passwd');
    expect(safeUploadName('/abs/x.txt')).toBe('abs/x.txt');
    expect(safeUploadName('a\\..\\b.txt')).toBe('a/b.txt');
    expect(() => safeUploadName('../..')).toThrow(QuarryError);
  });

  it('stores the bytes under the job folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-uploads-'));
    const stored = await storeUpload(dir, 'job1', {
      name: 'f/../hello.txt',
      dataBase64: Buffer.from('hi').toString('base64'),
    });
    expect(stored.sourcePath).toBe('f/hello.txt');
    expect(stored.diskPath.startsWith(path.join(dir, 'job1'))).toBe(true);
    expect(await readFile(stored.diskPath, 'utf8')).toBe('hi');
  });
});
