/**
 * pdf.js in Node, shared by extraction, OCR rendering and previews: the legacy build, loaded once,
 * with its font, CMap and wasm folders (importing the worker module first makes pdf.js run its
 * "fake worker" in this thread).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | null = null;

/**
 * Built-ins the legacy build's core-js polyfills replace for the whole process although Node has
 * them: JSON.stringify (forced for want of JSON.rawJSON) becomes a JS walk calling a replacer for
 * every value, and Array.prototype.push a JS function. Every request body, journal line and event
 * then pays for it (an Azure ingest allocated gigabytes more, and peaked hundreds of MB higher).
 * pdf.js needs none of the replacements, only the additions (Promise.withResolvers, Iterator
 * helpers, Uint8Array base64 and the like), which stay.
 */
const NATIVES_PDFJS_REPLACES: readonly [object, PropertyKey][] = [
  [JSON, 'stringify'],
  [JSON, 'parse'],
  [Array.prototype, 'push'],
  [Function.prototype, 'toString'],
];

async function importKeepingNatives<T>(load: () => Promise<T>): Promise<T> {
  const natives = NATIVES_PDFJS_REPLACES.map(
    ([owner, key]) => [owner, key, Object.getOwnPropertyDescriptor(owner, key)] as const,
  );
  try {
    return await load();
  } finally {
    for (const [owner, key, descriptor] of natives) {
      if (descriptor) Object.defineProperty(owner, key, descriptor);
    }
  }
}

export function loadPdfJs(): Promise<PdfJs> {
  loading ??= importKeepingNatives(async () => {
    await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  });
  return loading;
}

/** In Node pdf.js reads these with fs, so they are folder paths ending in a separator. */
export function pdfJsDataPaths(): { standardFontDataUrl: string; cMapUrl: string; wasmUrl: string } {
  const packageRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => `${path.join(packageRoot, name)}${path.sep}`;
  return { standardFontDataUrl: folder('standard_fonts'), cMapUrl: folder('cmaps'), wasmUrl: folder('wasm') };
}

/**
 * Opens a PDF from bytes with Quarry's settings: no eval, no font faces, no system fonts, quiet.
 * pdf.js takes ownership of `data`; pass a copy when the caller still needs the bytes.
 */
export async function openPdf(
  data: Uint8Array,
  options: { stopAtErrors?: boolean } = {},
): Promise<ReturnType<PdfJs['getDocument']>> {
  const pdfjs = await loadPdfJs();
  return pdfjs.getDocument({
    data,
    ...pdfJsDataPaths(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
    ...options,
  });
}
