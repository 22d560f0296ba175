import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api';
import { contentError } from './content-error';
import { pdfjs } from './pdfjs';

const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(require.resolve('pdfjs-dist/package.json'));
/** pdf.js wants folder URLs with a trailing separator. */
const folder = (name: string): string => `${path.join(pdfjsRoot, name)}${path.sep}`;

/** Opens a PDF with pdf.js from the package's own font, CMap and wasm folders (no network, no eval). */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    standardFontDataUrl: folder('standard_fonts'),
    cMapUrl: folder('cmaps'),
    cMapPacked: true,
    wasmUrl: folder('wasm'),
    isEvalSupported: false,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy();
    if (error instanceof Error && error.name === 'PasswordException') {
      throw contentError('encrypted', 'The PDF is password protected.', error);
    }
    throw contentError('corrupt', 'The PDF is damaged and cannot be opened.', error);
  }
}
