import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ExtractedDocument } from '../types';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Extraction results by content hash + extractor id, on disk in the data dir. A paid extraction
 * (Document Intelligence, Vision) is never bought twice for the same bytes, and a change of
 * embedding model re-embeds from here without re-reading any file.
 */
export class ExtractionCache {
  constructor(private readonly dir: string) {}

  private file(contentHash: string, extractorId: string): string {
    const safeId = extractorId.replace(/[^a-zA-Z0-9._-]/g, '_');
    return path.join(this.dir, contentHash.slice(0, 2), `${contentHash}.${safeId}.json.gz`);
  }

  async get(contentHash: string, extractorId: string): Promise<ExtractedDocument | null> {
    const file = this.file(contentHash, extractorId);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return null;
    }
    try {
      return JSON.parse((await gunzipAsync(bytes)).toString('utf8')) as ExtractedDocument;
    } catch {
      // A torn or corrupt entry is a miss, not an error: drop it and extract again.
      await unlink(file).catch(() => {});
      return null;
    }
  }

  async put(contentHash: string, extractorId: string, document: ExtractedDocument): Promise<void> {
    const file = this.file(contentHash, extractorId);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, await gzipAsync(JSON.stringify(document)));
    await rename(temp, file);
  }
}
