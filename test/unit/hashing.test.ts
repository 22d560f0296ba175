import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import { hashFile } from '../../electron/engine/pipeline/hashing';
import { makeBinary } from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('hashFile', () => {
  it('returns the sha256 hex of small, empty and multi-megabyte files', async () => {
    const cases: Record<string, Buffer> = {
      'small.txt': Buffer.from('hello quarry\n'),
      'empty.txt': Buffer.alloc(0),
      'large.bin': Buffer.concat(Array.from({ length: 24 }, (_, i) => makeBinary(256 * 1024, i + 1))),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      expect(await hashFile(file), name).toBe(sha256(bytes));
    }
    expect(await hashFile(path.join(dir, 'empty.txt'))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('maps a missing file to invalid_input / not_found', async () => {
    const error = await hashFile(path.join(dir, 'missing.txt')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuarryError);
    expect(error).toMatchObject({ code: 'invalid_input', reason: 'not_found' });
  });

  it('stops when aborted', async () => {
    const file = path.join(dir, 'abort.bin');
    await writeFile(file, makeBinary(1024 * 1024));
    const controller = new AbortController();
    controller.abort();
    await expect(hashFile(file, { abortSignal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
