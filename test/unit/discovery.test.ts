import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DiscoveredEntry,
  type DiscoveredFile,
  type DiscoveryError,
  discoverFiles,
  isIgnoredName,
} from '../../electron/engine/pipeline/discovery';
import { makeBinary, makeMixedFolder } from '../fixtures/generate';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-discovery-'));
});
afterAll(async () => {
  await chmod(path.join(dir, 'tree', 'locked'), 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function collect(roots: string[], abortSignal?: AbortSignal): Promise<DiscoveredEntry[]> {
  const entries: DiscoveredEntry[] = [];
  for await (const entry of discoverFiles(roots, { abortSignal })) entries.push(entry);
  return entries;
}
const files = (entries: DiscoveredEntry[]) => entries.filter((e): e is DiscoveredFile => e.kind === 'file');
const errors = (entries: DiscoveredEntry[]) => entries.filter((e): e is DiscoveryError => e.kind === 'error');

async function put(relative: string, content: string | Buffer): Promise<string> {
  const full = path.join(dir, 'tree', relative);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, content);
  return full;
}

describe('discoverFiles', () => {
  it('walks folders recursively, skips hidden and system files, follows links without loops or repeats', async () => {
    const tree = path.join(dir, 'tree');
    const a = await put('a.txt', 'alpha text\n');
    const blob = await put('blob.bin', makeBinary());
    const b = await put('sub/b.md', '# Bee\n');
    const c = await put('sub/deep/c.csv', 'x,y\n1,2\n');
    await put('.hidden.txt', 'hidden');
    await put('.git/config', '[core]');
    await put('Thumbs.db', makeBinary(64));
    await put('desktop.ini', '[.ShellClassInfo]');
    await put('sub/.DS_Store', makeBinary(64));
    await put('sub/~$report.docx', makeBinary(64));
    await symlink(tree, path.join(tree, 'sub', 'deep', 'loop-to-top')); // a loop
    await symlink(path.join(tree, 'sub'), path.join(tree, 'zz-link-to-sub')); // same folder again
    await symlink(a, path.join(tree, 'alias.txt')); // same file again
    await symlink(path.join(tree, 'nowhere.txt'), path.join(tree, 'broken-link.txt'));

    const entries = await collect([tree]);
    expect(files(entries).map((f) => f.diskPath)).toEqual([a, blob, b, c]);
    expect(errors(entries)).toHaveLength(1);
    expect(errors(entries)[0]).toMatchObject({
      path: path.join(tree, 'broken-link.txt'),
      error: { code: 'invalid_input', reason: 'broken_link' },
    });

    const byPath = new Map(files(entries).map((f) => [f.diskPath, f]));
    expect(byPath.get(a)).toMatchObject({ size: 11, mimeType: 'text/plain' });
    expect(byPath.get(a)?.mtimeMs).toBeGreaterThan(0);
    expect(byPath.get(b)?.mimeType).toBe('text/markdown');
    expect(byPath.get(c)?.mimeType).toBe('text/csv');
    // Unsupported files are yielded (with a null type), never dropped silently.
    expect(byPath.get(blob)?.mimeType).toBeNull();
  });

  it('reports missing roots as errors and keeps going; explicit paths are never skipped or repeated', async () => {
    const tree = path.join(dir, 'tree');
    const missing = path.join(dir, 'does-not-exist');
    const hidden = path.join(tree, '.hidden.txt');
    const entries = await collect([
      missing,
      hidden,
      path.join(tree, 'a.txt'),
      path.join(tree, 'alias.txt'),
      tree,
    ]);
    expect(errors(entries)[0]).toMatchObject({
      path: missing,
      error: { code: 'invalid_input', reason: 'not_found' },
    });
    const found = files(entries).map((f) => f.diskPath);
    expect(found.slice(0, 2)).toEqual([hidden, path.join(tree, 'a.txt')]);
    expect(new Set(found).size).toBe(found.length);
    expect(found).not.toContain(path.join(tree, 'alias.txt'));
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports an unreadable folder and still yields its siblings',
    async () => {
      const locked = path.join(dir, 'tree', 'locked');
      await put('locked/inside.txt', 'secret');
      await chmod(locked, 0o000);
      const entries = await collect([path.join(dir, 'tree')]);
      expect(errors(entries).find((e) => e.path === locked)?.error).toMatchObject({ reason: 'unreadable' });
      expect(files(entries).length).toBeGreaterThan(0);
      await chmod(locked, 0o755);
    },
  );

  it('finds every file of a mixed folder with the expected types and none of the hidden ones', async () => {
    const manifest = await makeMixedFolder(path.join(dir, 'mixed'), { count: 20 });
    const entries = await collect([manifest.root]);
    expect(errors(entries)).toEqual([]);
    const byPath = new Map(files(entries).map((f) => [f.diskPath, f]));
    expect(byPath.size).toBe(manifest.good.length + manifest.bad.length);
    for (const good of manifest.good) expect(byPath.get(good.path)?.mimeType, good.path).toBe(good.mimeType);
    for (const bad of manifest.bad) expect(byPath.has(bad.path), bad.path).toBe(true);
    const blob = manifest.bad.find((bad) => bad.reason === 'unsupported_type');
    expect(byPath.get(blob?.path ?? '')?.mimeType).toBeNull();
    for (const hidden of manifest.hidden) expect(byPath.has(hidden), hidden).toBe(false);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect([path.join(dir, 'tree')], controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('knows hidden, system and Office lock names', () => {
    for (const name of ['.env', '.git', 'Thumbs.db', 'DESKTOP.INI', '.DS_Store', '~$budget.xlsx']) {
      expect(isIgnoredName(name), name).toBe(true);
    }
    for (const name of ['report.pdf', 'thumbs.txt', 'a~$b.docx'])
      expect(isIgnoredName(name), name).toBe(false);
  });
});
