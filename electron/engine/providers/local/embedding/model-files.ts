/**
 * A model's folder on disk (`<modelsDir>/<owner>/<name>/`) and which of its files are verified.
 *
 * Hashing 135 MB on every start would cost a second, so a small manifest (`.quarry-verified.json`)
 * records each file's sha256 and size once it has been checked; later starts trust a file whose
 * size still matches its manifest entry. Files put there by hand (copied from another machine)
 * are hashed once and recorded.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { QuarryError } from '../../../../contract';
import type { CallOptions } from '../../../types';
import { throwIfCancelled } from './cancellation';
import type { EmbeddingModelSpec, ModelFileSpec } from './model-registry';

const MANIFEST_FILE = '.quarry-verified.json';

const Manifest = z.object({
  id: z.string(),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), sizeBytes: z.number() })),
});
type Manifest = z.infer<typeof Manifest>;

/** `<modelsDir>/<owner>/<name>`: also where transformers.js looks with `env.localModelPath`. */
export function modelDirectory(modelsDir: string, spec: Pick<EmbeddingModelSpec, 'id'>): string {
  return path.join(modelsDir, ...spec.id.split('/'));
}

export function modelFilePath(modelDir: string, file: Pick<ModelFileSpec, 'path'>): string {
  return path.join(modelDir, ...file.path.split('/'));
}

/** The files of `spec` that are not present and verified yet (empty when the model is ready). */
export async function missingModelFiles(
  modelsDir: string,
  spec: EmbeddingModelSpec,
  options: CallOptions = {},
): Promise<ModelFileSpec[]> {
  const modelDir = modelDirectory(modelsDir, spec);
  const manifest = await readManifest(modelDir, spec.id);
  const missing: ModelFileSpec[] = [];
  let learned = false;
  for (const file of spec.files) {
    throwIfCancelled(options.abortSignal);
    const size = await fileSize(modelFilePath(modelDir, file));
    if (size === null) {
      missing.push(file);
      continue;
    }
    const known = manifest.files.find((entry) => entry.path === file.path);
    if (known && known.sha256 === file.sha256 && known.sizeBytes === size) continue;
    // Unknown to the manifest (or changed): hash it once.
    const sha256 = await sha256OfFile(modelFilePath(modelDir, file), options);
    if (sha256 !== file.sha256) {
      missing.push(file);
      continue;
    }
    upsert(manifest, { path: file.path, sha256, sizeBytes: size });
    learned = true;
  }
  if (learned) await writeManifest(modelDir, manifest);
  return missing;
}

/** Records a file the downloader has just verified. */
export async function recordVerifiedFile(
  modelsDir: string,
  spec: EmbeddingModelSpec,
  file: ModelFileSpec,
  sizeBytes: number,
): Promise<void> {
  const modelDir = modelDirectory(modelsDir, spec);
  const manifest = await readManifest(modelDir, spec.id);
  upsert(manifest, { path: file.path, sha256: file.sha256, sizeBytes });
  await writeManifest(modelDir, manifest);
}

/** Streams a file through sha256; honours the abort signal between chunks. */
export async function sha256OfFile(filePath: string, options: CallOptions = {}): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(filePath, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      throwIfCancelled(options.abortSignal);
      hash.update(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

export async function fileSize(filePath: string): Promise<number | null> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new QuarryError('service', `Cannot read the model file ${filePath}: ${(error as Error).message}`, {
      reason: 'model_files_unreadable',
      cause: error,
    });
  }
}

function upsert(manifest: Manifest, entry: Manifest['files'][number]): void {
  manifest.files = [...manifest.files.filter((existing) => existing.path !== entry.path), entry];
}

async function readManifest(modelDir: string, id: string): Promise<Manifest> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(path.join(modelDir, MANIFEST_FILE), 'utf8')));
    if (parsed.success && parsed.data.id === id) return parsed.data;
  } catch {
    // Missing or unreadable: every present file gets hashed once.
  }
  return { id, files: [] };
}

async function writeManifest(modelDir: string, manifest: Manifest): Promise<void> {
  await mkdir(modelDir, { recursive: true });
  const target = path.join(modelDir, MANIFEST_FILE);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, target);
}
