import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarryError } from '../../electron/contract';
import {
  installedOcrLanguages,
  languageFolder,
  resolveOcrLanguages,
} from '../../electron/engine/providers/local/ocr/tesseract-languages';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ocr-lang-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('OCR languages', () => {
  it('finds English and Simplified Chinese in the installed data packages', () => {
    const installed = installedOcrLanguages();
    const codes = installed.map((language) => language.code);
    expect(codes).toEqual(expect.arrayContaining(['eng', 'chi_sim']));
    for (const language of installed) {
      expect(language.file).toMatch(new RegExp(`@tesseract\\.js-data[\\\\/]${language.code}[\\\\/]`));
      expect(path.basename(language.file)).toBe(`${language.code}.traineddata.gz`);
    }
  });

  it('resolves requested languages in the given order, once each', () => {
    expect(resolveOcrLanguages(['chi_sim', 'eng', 'chi_sim']).map((language) => language.code)).toEqual([
      'chi_sim',
      'eng',
    ]);
  });

  it('fails an unknown language as invalid_input naming the available ones', () => {
    for (const codes of [['eng', 'klingon'], ['../eng'], []]) {
      const error = (() => {
        try {
          resolveOcrLanguages(codes);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(error, codes.join('+')).toBeInstanceOf(QuarryError);
      expect(error).toMatchObject({ code: 'invalid_input', reason: 'unknown_ocr_language' });
      expect((error as Error).message).toMatch(/Available: .*chi_sim.*eng|Available: .*eng/);
    }
    expect(() => resolveOcrLanguages(['klingon'])).toThrow(/"klingon"/);
  });

  it("uses a single language's package folder as it is", async () => {
    const [english] = resolveOcrLanguages(['eng']);
    expect(await languageFolder(resolveOcrLanguages(['eng']), path.join(dir, 'unused'))).toBe(
      path.dirname(english?.file ?? ''),
    );
    await expect(stat(path.join(dir, 'unused'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gathers several languages into one folder, copying each file once', async () => {
    const languages = resolveOcrLanguages(['eng', 'chi_sim']);
    const folder = path.join(dir, 'gathered');
    expect(await languageFolder(languages, folder)).toBe(folder);
    expect((await readdir(folder)).sort()).toEqual(['chi_sim.traineddata.gz', 'eng.traineddata.gz']);
    const before = await stat(path.join(folder, 'eng.traineddata.gz'));
    expect(before.size).toBe((await stat(languages[0]?.file ?? '')).size);
    await languageFolder(languages, folder);
    const after = await stat(path.join(folder, 'eng.traineddata.gz'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });
});
