import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory()
      ? await folderBytes(full)
      : ((await stat(full).catch(() => null))?.size ?? 0);
  }
  return total;
}

/** Empties the cache folder (extractions, embeddings); reports how much it freed. */
export async function clearCacheFolder(dir: string): Promise<{ freedBytes: number }> {
  const freedBytes = await folderBytes(dir);
  await rm(dir, { recursive: true, force: true });
  return { freedBytes };
}
