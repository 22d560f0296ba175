/**
 * Renders one PDF page to a PNG for the preview pane, bounded in size, with the hit's highlight
 * rectangles (see pdf-highlight-rects.ts).
 */
import { readFile } from 'node:fs/promises';
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api';
import { type HighlightRect, QuarryError } from '../../contract';
import { openPdf } from '../pdf/pdfjs';
import type { CallOptions } from '../types';
import { type HighlightTargets, highlightRects } from './pdf-highlight-rects';

export const MAX_PREVIEW_WIDTH = 1600;
/** Never render above 2x (144 dpi): sharp on high-density screens, and bounded in bytes. */
const MAX_SCALE = 2;

export interface PdfPagePreview {
  png: Buffer;
  width: number;
  height: number;
  /** The page rendered (the one asked for, kept within the document). */
  page: number;
  pageCount: number;
  /** Only when `highlight` was asked for. */
  rects: HighlightRect[];
}

export interface PdfPagePreviewOptions extends CallOptions {
  /** 1-based. */
  page: number;
  maxWidth?: number;
  /** Compute rectangles from the page's text for these targets; omit when the index has regions. */
  highlight?: HighlightTargets;
}

/** The parts of pdf.js's Node canvas factory used here (pdf.js types it loosely). */
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

function isTextItem(item: TextItem | TextMarkedContent): item is TextItem {
  return 'str' in item;
}

export async function renderPdfPagePreview(
  diskPath: string,
  options: PdfPagePreviewOptions,
): Promise<PdfPagePreview> {
  const { abortSignal } = options;
  const data = new Uint8Array(await readFile(diskPath));
  abortSignal?.throwIfAborted();
  const loadingTask = await openPdf(data);
  try {
    const document = await loadingTask.promise.catch((error: unknown) => {
      throw new QuarryError('invalid_input', `The PDF cannot be opened for a preview: ${describe(error)}`, {
        reason: 'corrupt',
        cause: error,
      });
    });
    const pageNumber = Math.min(Math.max(1, Math.floor(options.page)), document.numPages);
    const page = await document.getPage(pageNumber);
    abortSignal?.throwIfAborted();
    const unscaled = page.getViewport({ scale: 1 });
    const maxWidth = Math.min(options.maxWidth ?? 1200, MAX_PREVIEW_WIDTH);
    const viewport = page.getViewport({ scale: Math.min(maxWidth / unscaled.width, MAX_SCALE) });
    const width = Math.max(1, Math.floor(viewport.width));
    const height = Math.max(1, Math.floor(viewport.height));

    // The document's own canvas factory: pdf.js in Node loads its own copy of @napi-rs/canvas,
    // and mixing canvases of two copies crashes the process.
    const factory: unknown = document.canvasFactory;
    if (!isCanvasFactory(factory)) throw new QuarryError('unsupported', 'PDF previews need @napi-rs/canvas.');
    const target = factory.create(width, height);
    let png: Buffer;
    try {
      const canvas = target.canvas;
      if (!canvas) throw new QuarryError('service', 'pdf.js returned no canvas for the preview.');
      await page.render({ canvas: canvas as unknown as HTMLCanvasElement, viewport, background: 'white' })
        .promise;
      png = canvas.toBuffer('image/png');
    } finally {
      factory.destroy(target);
    }

    let rects: HighlightRect[] = [];
    if (options.highlight) {
      const content = await page.getTextContent();
      rects = highlightRects(
        content.items.filter(isTextItem),
        { transform: viewport.transform, width: viewport.width, height: viewport.height },
        options.highlight,
      );
    }
    page.cleanup();
    return { png, width, height, page: pageNumber, pageCount: document.numPages, rects };
  } finally {
    await loadingTask.destroy();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
