/**
 * pdf.js's legacy build replaces process-wide built-ins with core-js polyfills when it loads
 * (JSON.stringify, Array.prototype.push, ...); loadPdfJs must put the natives back. Checked in a
 * fresh Node process, where nothing has loaded pdf.js before the check starts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PDFJS_MODULE = pathToFileURL(path.join(REPO_ROOT, 'electron', 'engine', 'pdf', 'pdfjs.ts')).href;

const CHECK_SCRIPT = `
const natives = {
  'JSON.stringify': JSON.stringify,
  'JSON.parse': JSON.parse,
  'Array.prototype.push': Array.prototype.push,
  'Function.prototype.toString': Function.prototype.toString,
};
const current = () => ({
  'JSON.stringify': JSON.stringify,
  'JSON.parse': JSON.parse,
  'Array.prototype.push': Array.prototype.push,
  'Function.prototype.toString': Function.prototype.toString,
});
const { loadPdfJs } = await import(${JSON.stringify(PDFJS_MODULE)});
const pdfjs = await loadPdfJs();
const after = current();
const replaced = Object.keys(natives).filter((name) => natives[name] !== after[name]);
process.stdout.write(JSON.stringify({
  replaced,
  pdfjsLoaded: typeof pdfjs.getDocument === 'function',
  additionsKept: typeof Promise.withResolvers === 'function',
}));
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quarry-pdfjs-natives-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadPdfJs', () => {
  it('leaves JSON.stringify, JSON.parse, Array.prototype.push and Function.prototype.toString native', async () => {
    const script = path.join(dir, 'check.mts');
    await writeFile(script, CHECK_SCRIPT);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
    });
    expect(JSON.parse(stdout)).toEqual({ replaced: [], pdfjsLoaded: true, additionsKept: true });
  });
});
