import type { Dirent, Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { QuarryError } from '../../contract';
import type { CallOptions } from '../types';
import { fileSystemError } from './fs-errors';
import { detectMimeType, MIME_SNIFF_BYTES } from './mime';

export interface DiscoveredFile {
  kind: 'file';
  /** Absolute path as walked (through any symlinked folders), so it reads the way the user gave it. */
  diskPath: string;
  size: number;
  mtimeMs: number;
  /** null = a type Quarry cannot read; the pipeline reports it as failed `unsupported`. */
  mimeType: string | null;
}

/** A path that could not be walked or read: a missing root, an unreadable folder, a broken link. */
export interface DiscoveryError {
  kind: 'error';
  path: string;
  error: QuarryError;
}

export type DiscoveredEntry = DiscoveredFile | DiscoveryError;

/** Names of OS/Office bookkeeping files that are never user content. */
const SYSTEM_FILE_NAMES = new Set(['thumbs.db', 'desktop.ini', '.ds_store', 'ehthumbs.db', 'icon\r']);

/** Hidden (dot-names), OS bookkeeping files and Office lock files (`~$report.docx`). */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || SYSTEM_FILE_NAMES.has(name.toLowerCase());
}

/** Entries stat'ed and sniffed at once within one folder; keeps many small files fast without flooding fds. */
const PARALLEL_ENTRIES = 16;

interface WalkState {
  visitedDirectories: Set<string>;
  yieldedFiles: Set<string>;
  abortSignal: AbortSignal | undefined;
}

async function readHead(filePath: string, size: number): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const head = Buffer.alloc(Math.min(MIME_SNIFF_BYTES, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

type Resolved =
  | { kind: 'file'; realPath: string; entry: DiscoveredEntry }
  | { kind: 'directory'; diskPath: string; realPath: string }
  | { kind: 'skip' }
  | DiscoveryError;

async function describeFile(diskPath: string, stats: Stats): Promise<DiscoveredEntry> {
  const head = await readHead(diskPath, stats.size);
  return {
    kind: 'file',
    diskPath,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    mimeType: detectMimeType(diskPath, head),
  };
}

async function brokenLinkOr(error: unknown, diskPath: string): Promise<QuarryError> {
  const isLink = await lstat(diskPath).then(
    (stats) => stats.isSymbolicLink(),
    () => false,
  );
  if (isLink && (error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new QuarryError('invalid_input', `Broken link: ${diskPath}`, {
      reason: 'broken_link',
      cause: error,
    });
  }
  return fileSystemError(error, diskPath);
}

/** Follows links, classifies one path and sniffs files; failures become entries, not exceptions. */
async function resolvePath(diskPath: string): Promise<Resolved> {
  let stats: Stats;
  let realPath: string;
  try {
    stats = await stat(diskPath);
    realPath = await realpath(diskPath);
  } catch (error) {
    return { kind: 'error', path: diskPath, error: await brokenLinkOr(error, diskPath) };
  }
  if (stats.isDirectory()) return { kind: 'directory', diskPath, realPath };
  if (!stats.isFile()) return { kind: 'skip' }; // sockets, fifos, devices
  try {
    return { kind: 'file', realPath, entry: await describeFile(diskPath, stats) };
  } catch (error) {
    return {
      kind: 'file',
      realPath,
      entry: { kind: 'error', path: diskPath, error: fileSystemError(error, diskPath) },
    };
  }
}

async function* walk(target: Resolved, state: WalkState): AsyncGenerator<DiscoveredEntry> {
  state.abortSignal?.throwIfAborted();
  if (target.kind === 'skip') return;
  if (target.kind === 'error') {
    yield target;
    return;
  }
  if (target.kind === 'file') {
    if (state.yieldedFiles.has(target.realPath)) return;
    state.yieldedFiles.add(target.realPath);
    yield target.entry;
    return;
  }
  // A folder reached twice (a symlink loop or two links to one place) is walked once.
  if (state.visitedDirectories.has(target.realPath)) return;
  state.visitedDirectories.add(target.realPath);

  let entries: Dirent[];
  try {
    entries = await readdir(target.diskPath, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'error', path: target.diskPath, error: fileSystemError(error, target.diskPath) };
    return;
  }
  const children = entries
    .filter((entry) => !isIgnoredName(entry.name))
    .map((entry) => path.join(target.diskPath, entry.name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  for (let start = 0; start < children.length; start += PARALLEL_ENTRIES) {
    state.abortSignal?.throwIfAborted();
    const batch = await Promise.all(children.slice(start, start + PARALLEL_ENTRIES).map(resolvePath));
    for (const child of batch) yield* walk(child, state);
  }
}

/**
 * Walks the given files and folders recursively and yields every file once (by real path), in a
 * stable order. Hidden and system files inside folders are skipped; paths given explicitly are
 * always considered. Symlinks are followed without loops. A missing or unreadable path becomes an
 * `error` entry; one bad path never stops the walk.
 */
export async function* discoverFiles(
  roots: readonly string[],
  options: CallOptions = {},
): AsyncGenerator<DiscoveredEntry> {
  const state: WalkState = {
    visitedDirectories: new Set(),
    yieldedFiles: new Set(),
    abortSignal: options.abortSignal,
  };
  for (const root of roots) {
    yield* walk(await resolvePath(path.resolve(root)), state);
  }
}
