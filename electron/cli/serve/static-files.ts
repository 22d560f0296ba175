import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import mimeTypes from 'mime-types';

/**
 * Maps a URL path onto a file inside `rootDir`, or null when it would leave the folder (`..`,
 * encoded separators, backslashes, NUL, dot-files) or is not a valid path at all.
 */
export function resolveStaticPath(rootDir: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, ...segments);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) return null;
  return resolved;
}

export function contentTypeFor(filePath: string): string {
  return mimeTypes.contentType(path.extname(filePath)) || 'application/octet-stream';
}

/**
 * A regular file whose real path (after symlinks) is still inside `rootDir`, with its size;
 * null when there is no such file.
 */
export async function findStaticFile(rootDir: string, filePath: string): Promise<{ size: number } | null> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(rootDir), realpath(filePath)]);
    if (!realFile.startsWith(realRoot + path.sep)) return null;
    const info = await stat(realFile);
    return info.isFile() ? { size: info.size } : null;
  } catch {
    return null;
  }
}

/** Streams a file that `findStaticFile` accepted; headers other than type and length are the caller's. */
export async function sendStaticFile(
  response: ServerResponse,
  filePath: string,
  options: { size: number; headOnly: boolean },
): Promise<void> {
  response.statusCode = 200;
  response.setHeader('Content-Type', contentTypeFor(filePath));
  response.setHeader('Content-Length', options.size);
  if (options.headOnly) {
    response.end();
    return;
  }
  try {
    await pipeline(createReadStream(filePath), response);
  } catch {
    // The client went away mid-transfer, or the file vanished: the response is already committed.
    response.destroy();
  }
}
