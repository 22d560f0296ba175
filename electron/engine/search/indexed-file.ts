/**
 * Finds the bytes of a file the index holds: the file itself for paths on this machine, or the
 * stored copy of a browser upload (`<uploads>/<jobId>/<name>`, the copy whose hash matches the
 * index). Only indexed files are ever located, so a client cannot read arbitrary paths this way.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { QuarryError } from '../../contract';
import { hashFile } from '../pipeline/hashing';
import { safeUploadName } from '../pipeline/uploads';
import type { CallOptions, SearchIndex } from '../types';

export interface LocatedFile {
  diskPath: string;
  /** False when the file on disk is no longer the one indexed (edited, or a different upload). */
  matchesIndex: boolean;
}

export interface LocateOptions extends CallOptions {
  index: Pick<SearchIndex, 'indexedHash'>;
  uploadsDir: string;
  /** The indexed file's modification time (epoch ms), when known: a cheap "unchanged" check. */
  modifiedAt?: number;
}

export async function locateIndexedFile(sourcePath: string, options: LocateOptions): Promise<LocatedFile> {
  const contentHash = await options.index.indexedHash(sourcePath, options);
  if (contentHash === null) {
    throw new QuarryError('invalid_input', `${sourcePath} is not in the index.`, { reason: 'not_indexed' });
  }
  if (path.isAbsolute(sourcePath)) return locateOnDisk(sourcePath, contentHash, options);
  return locateUpload(sourcePath, contentHash, options);
}

async function locateOnDisk(
  sourcePath: string,
  contentHash: string,
  options: LocateOptions,
): Promise<LocatedFile> {
  const info = await stat(sourcePath).catch(() => null);
  if (!info?.isFile()) {
    throw new QuarryError(
      'invalid_input',
      `${sourcePath} was indexed but is no longer there (moved or deleted).`,
      {
        reason: 'file_missing',
      },
    );
  }
  const sameTime =
    options.modifiedAt !== undefined && Math.round(info.mtimeMs) === Math.round(options.modifiedAt);
  const matchesIndex = sameTime || (await hashFile(sourcePath, options)) === contentHash;
  return { diskPath: sourcePath, matchesIndex };
}

async function locateUpload(
  sourcePath: string,
  contentHash: string,
  options: LocateOptions,
): Promise<LocatedFile> {
  const relative = safeUploadName(sourcePath).split('/');
  const jobDirs = await readdir(options.uploadsDir, { withFileTypes: true }).catch(() => []);
  const candidates: { diskPath: string; mtimeMs: number }[] = [];
  for (const entry of jobDirs) {
    if (!entry.isDirectory()) continue;
    const diskPath = path.join(options.uploadsDir, entry.name, ...relative);
    const info = await stat(diskPath).catch(() => null);
    if (info?.isFile()) candidates.push({ diskPath, mtimeMs: info.mtimeMs });
  }
  // Newest first: the latest upload of a name is the likeliest to be the indexed one.
  candidates.sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const candidate of candidates) {
    options.abortSignal?.throwIfAborted();
    if ((await hashFile(candidate.diskPath, options)) === contentHash) {
      return { diskPath: candidate.diskPath, matchesIndex: true };
    }
  }
  const newest = candidates[0];
  if (!newest) {
    throw new QuarryError(
      'invalid_input',
      `The uploaded copy of ${sourcePath} is no longer in the data folder.`,
      {
        reason: 'file_missing',
      },
    );
  }
  return { diskPath: newest.diskPath, matchesIndex: false };
}
