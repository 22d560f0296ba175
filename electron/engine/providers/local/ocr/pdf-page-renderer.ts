import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { loadPdfJs } from '../../../pdf/pdfjs';

/** ~200 dpi reads body text well; 300 dpi is ~2x slower for little gain on clean scans. */
export const DEFAULT_OCR_DPI = 200;
/** Caps a huge page (posters, drawings) so one render stays within a few hundred MB of pixels. */
export const MAX_OCR_PIXELS = 36_000_000;
const POINTS_PER_INCH = 72;

export interface RenderedPage {
  png: Uint8Array;
  width: number;
  height: number;
  /** Pixels per inch of the render (the requested dpi, or less for a huge page). */
  pixelsPerInch: number;
}

/** The parts of pdf.js's Node canvas factory used here (pdf.js types it as `Object`). */
interface CanvasAndContext {
  canvas: { toBuffer(mime: 'image/png'): Buffer } | null;
}
interface CanvasFactory {
  create(width: number, height: number): CanvasAndContext;
  destroy(canvasAndContext: CanvasAndContext): void;
}

function isCanvasFactory(value: unknown): value is CanvasFactory {
  const candidate = value as Partial<CanvasFactory> | null;
  return typeof candidate?.create === 'function' && typeof candidate.destroy === 'function';
}

/** Operators that put ink on a page: images, paths, shadings and glyphs (a page with none is blank). */
async function paintingOperators(): Promise<ReadonlySet<number>> {
  const { OPS } = await loadPdfJs();
  return new Set([
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageXObjectRepeat,
    OPS.paintImageMaskXObject,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
    OPS.paintSolidColorImageMask,
    OPS.constructPath,
    OPS.fill,
    OPS.eoFill,
    OPS.stroke,
    OPS.closeStroke,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.rawFillPath,
    OPS.shadingFill,
    OPS.showText,
    OPS.showSpacedText,
    OPS.nextLineShowText,
    OPS.nextLineSetSpacingShowText,
  ]);
}

/** True when the page draws anything at all; a blank page needs no render and no OCR. */
export async function pagePaintsAnything(page: PDFPageProxy): Promise<boolean> {
  const painting = await paintingOperators();
  const { fnArray } = await page.getOperatorList();
  return fnArray.some((operator) => painting.has(operator));
}

/**
 * Renders a page to PNG for OCR. Uses the document's own canvas factory: pdf.js in Node loads
 * its own copy of @napi-rs/canvas, and mixing canvases of two copies crashes the process.
 */
export async function renderPageForOcr(
  document: PDFDocumentProxy,
  page: PDFPageProxy,
  options: { dpi?: number; maxPixels?: number } = {},
): Promise<RenderedPage> {
  const factory: unknown = document.canvasFactory;
  if (!isCanvasFactory(factory)) throw new Error('pdf.js has no canvas factory in this environment');
  const unscaled = page.getViewport({ scale: 1 });
  const wanted = (options.dpi ?? DEFAULT_OCR_DPI) / POINTS_PER_INCH;
  const fitting = Math.sqrt((options.maxPixels ?? MAX_OCR_PIXELS) / (unscaled.width * unscaled.height));
  const scale = Math.min(wanted, fitting);
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const target = factory.create(width, height);
  try {
    const canvas = target.canvas;
    if (!canvas) throw new Error('pdf.js canvas factory returned no canvas');
    // OCR wants ink on white; a PDF page without a background would otherwise render transparent.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, viewport, background: 'white' })
      .promise;
    return { png: canvas.toBuffer('image/png'), width, height, pixelsPerInch: scale * POINTS_PER_INCH };
  } finally {
    factory.destroy(target);
  }
}
