import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { CallOptions } from '../types';
import { fileSystemError, isAbortError } from './fs-errors';

/** Streaming sha256 (hex) of a file's bytes; memory use stays constant for any file size. */
export async function hashFile(filePath: string, options: CallOptions = {}): Promise<string> {
  const { abortSignal } = options;
  abortSignal?.throwIfAborted();
  const hash = createHash('sha256');
  try {
    await pipeline(
      createReadStream(filePath, { highWaterMark: 1 << 20 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) hash.update(chunk);
      },
      { signal: abortSignal },
    );
  } catch (error) {
    if (isAbortError(error) || abortSignal?.aborted) throw abortSignal?.reason ?? error;
    throw fileSystemError(error, filePath);
  }
  return hash.digest('hex');
}
