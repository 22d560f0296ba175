import { constants, existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { QuarryError } from '../../../../contract';

const DATA_SCOPE = '@tesseract.js-data';
/** LSTM-only integer models: what tesseract.js itself fetches for the default engine mode; small and fast. */
const MODEL_FOLDERS = ['4.0.0_best_int', '4.0.0'] as const;
/** Tesseract codes are letters, digits and underscores (eng, chi_sim, chi_tra_vert); nothing path-like. */
const LANGUAGE_CODE = /^[a-z][a-z0-9_]*$/i;

export interface OcrLanguageFile {
  code: string;
  /** Absolute path of `<code>.traineddata.gz` inside its npm package. */
  file: string;
}

const requireHere = createRequire(import.meta.url);

/** node_modules folders Node would search from here, nearest first. */
function nodeModulesFolders(): string[] {
  return requireHere.resolve.paths(DATA_SCOPE) ?? [];
}

const ASAR = `${path.sep}app.asar${path.sep}`;

/**
 * In a packaged app the data packages are unpacked next to app.asar (electron-builder asarUnpack),
 * and tesseract's worker thread reads them with plain fs: point it at the unpacked copy.
 */
function unpackedPath(file: string): string {
  return file.includes(ASAR) ? file.replace(ASAR, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

function languageFileIn(packageFolder: string, code: string): string | null {
  for (const folder of MODEL_FOLDERS) {
    const file = unpackedPath(path.join(packageFolder, folder, `${code}.traineddata.gz`));
    if (existsSync(file)) return file;
  }
  return null;
}

/** Language packages installed as `@tesseract.js-data/<code>`, sorted; nearest node_modules wins. */
export function installedOcrLanguages(): OcrLanguageFile[] {
  const found = new Map<string, string>();
  for (const folder of nodeModulesFolders()) {
    const scope = path.join(folder, DATA_SCOPE);
    let names: string[];
    try {
      names = readdirSync(scope);
    } catch {
      continue; // no language packages in this node_modules
    }
    for (const code of names) {
      if (found.has(code) || !LANGUAGE_CODE.test(code)) continue;
      const file = languageFileIn(path.join(scope, code), code);
      if (file) found.set(code, file);
    }
  }
  return [...found].map(([code, file]) => ({ code, file })).sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * The data files for the requested languages, in the order given (Tesseract weighs the first
 * most). Unknown or malformed codes fail with invalid_input naming the installed languages.
 */
export function resolveOcrLanguages(codes: readonly string[]): OcrLanguageFile[] {
  const installed = installedOcrLanguages();
  const available = installed.map((language) => language.code).join(', ') || 'none';
  if (codes.length === 0) {
    throw new QuarryError('invalid_input', `No OCR language chosen. Available: ${available}`, {
      reason: 'unknown_ocr_language',
    });
  }
  const byCode = new Map(installed.map((language) => [language.code, language]));
  const unique = [...new Set(codes)];
  const missing = unique.filter((code) => !byCode.has(code));
  if (missing.length > 0) {
    throw new QuarryError(
      'invalid_input',
      `Unknown OCR language ${missing.map((code) => `"${code}"`).join(', ')}. Available: ${available} ` +
        `(more come as npm packages ${DATA_SCOPE}/<code>).`,
      { reason: 'unknown_ocr_language' },
    );
  }
  return unique.map((code) => byCode.get(code) as OcrLanguageFile);
}

async function sameSize(a: string, b: string): Promise<boolean> {
  try {
    const [left, right] = await Promise.all([stat(a), stat(b)]);
    return left.size === right.size;
  } catch {
    return false;
  }
}

/**
 * tesseract.js reads every language from one `langPath` folder, but each npm package holds one
 * language: so a single language uses its package folder, and several are gathered (copied once,
 * atomically) into `cacheFolder`.
 */
export async function languageFolder(
  languages: readonly OcrLanguageFile[],
  cacheFolder: string,
): Promise<string> {
  const first = languages[0];
  if (!first)
    throw new QuarryError('invalid_input', 'No OCR language chosen', { reason: 'unknown_ocr_language' });
  if (languages.length === 1) return path.dirname(first.file);
  await mkdir(cacheFolder, { recursive: true });
  for (const language of languages) {
    const target = path.join(cacheFolder, path.basename(language.file));
    if (await sameSize(language.file, target)) continue;
    const partial = `${target}.${process.pid}.${Date.now()}.partial`;
    await copyFile(language.file, partial, constants.COPYFILE_FICLONE);
    await rename(partial, target);
  }
  return cacheFolder;
}
