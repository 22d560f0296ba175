import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { CallOptions } from '../types';
import { fileSystemError } from './fs-errors';

/**
 * Streaming sha256 (hex) of a file's bytes; memory use stays constant for any file size.
 * Abort is checked per 1 MB read (polling adds no listener to a signal shared by many files).
 */
export async function hashFile(filePath: string, options: CallOptions = {}): Promise<string> {
  const { abortSignal } = options;
  abortSignal?.throwIfAborted();
  const hash = createHash('sha256');
  const stream = createReadStream(filePath, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      abortSignal?.throwIfAborted();
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    if (abortSignal?.aborted) throw abortSignal.reason;
    throw fileSystemError(error, filePath);
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}
