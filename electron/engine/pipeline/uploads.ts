import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QuarryError } from '../../contract';

/**
 * Normalises a browser-supplied relative name ("folder/sub/file.pdf") so it can never escape the
 * uploads folder: no absolute paths, no `..`, no empty or hidden-by-accident segments.
 */
export function safeUploadName(name: string): string {
  const segments = name
    .replaceAll('\\', '/')
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0)
    throw new QuarryError('invalid_input', `Invalid upload name: "${name}"`, { reason: 'bad_name' });
  return segments.join('/');
}

/** Writes uploaded bytes under `<uploadsDir>/<jobId>/<name>` and returns the disk path. */
export async function storeUpload(
  uploadsDir: string,
  jobId: string,
  upload: { name: string; dataBase64: string; lastModified?: number },
): Promise<{ diskPath: string; sourcePath: string }> {
  const sourcePath = safeUploadName(upload.name);
  const diskPath = path.join(uploadsDir, jobId, ...sourcePath.split('/'));
  await mkdir(path.dirname(diskPath), { recursive: true });
  await writeFile(diskPath, Buffer.from(upload.dataBase64, 'base64'));
  // The copy keeps the original's modification time, which date filters in search go by.
  if (upload.lastModified !== undefined && Number.isFinite(upload.lastModified) && upload.lastModified > 0) {
    await utimes(diskPath, new Date(), new Date(upload.lastModified));
  }
  return { diskPath, sourcePath };
}
