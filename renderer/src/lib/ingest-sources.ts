import type { IngestSource } from '../../../electron/contract/api';
import type { DroppedItem } from './dropped-items';

/**
 * Upper bound of base64 characters per startIngest call, so one huge drop does not become one
 * message larger than the browser host accepts; a larger drop is sent as several jobs.
 */
export const MAX_BATCH_BASE64_CHARS = 32 * 1024 * 1024;

/** Files read at once when turning a browser drop into uploads (bounds memory and keeps the UI responsive). */
const READ_CONCURRENCY = 4;
const BASE64_CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += BASE64_CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + BASE64_CHUNK));
  }
  return btoa(binary);
}

async function toSource(item: DroppedItem): Promise<IngestSource> {
  if (item.kind === 'path') return { kind: 'path', path: item.path };
  const bytes = new Uint8Array(await item.file.arrayBuffer());
  return {
    kind: 'upload',
    name: item.relativePath,
    dataBase64: bytesToBase64(bytes),
    lastModified: item.file.lastModified,
  };
}

/** Converts dropped items to contract sources, reading a few files at a time; order is kept. */
export async function toIngestSources(
  items: readonly DroppedItem[],
  options: { abortSignal?: AbortSignal } = {},
): Promise<IngestSource[]> {
  const sources: IngestSource[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      options.abortSignal?.throwIfAborted();
      const index = next++;
      sources[index] = await toSource(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return sources;
}

const sourceWeight = (source: IngestSource): number =>
  source.kind === 'upload' ? source.dataBase64.length + source.name.length : source.path.length;

/** Groups sources into calls of at most `maxChars` (a single larger source gets a call of its own). */
export function batchSources(
  sources: readonly IngestSource[],
  maxChars = MAX_BATCH_BASE64_CHARS,
): IngestSource[][] {
  const batches: IngestSource[][] = [];
  let current: IngestSource[] = [];
  let currentChars = 0;
  for (const source of sources) {
    const weight = sourceWeight(source);
    if (current.length > 0 && currentChars + weight > maxChars) {
      batches.push(current);
      current = [];
      currentChars = 0;
    }
    current.push(source);
    currentChars += weight;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
