import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CallOptions, ExtractedPage, TextBlock } from '../../../types';
import { ocrResultToBlocks } from './ocr-to-blocks';
import type { OcrEngine } from './ocr-types';
import { pagePaintsAnything, renderPageForOcr } from './pdf-page-renderer';

export interface ScannedPagesOptions extends CallOptions {
  /** Render resolution for OCR; default DEFAULT_OCR_DPI. */
  dpi?: number;
}

/** Renders one page without a text layer and reads it; a blank page gives no blocks. Regions in inches. */
export async function ocrPdfPage(
  document: PDFDocumentProxy,
  page: PDFPageProxy,
  ocr: OcrEngine,
  options: ScannedPagesOptions = {},
): Promise<TextBlock[]> {
  const { abortSignal, dpi } = options;
  if (!(await pagePaintsAnything(page))) return [];
  abortSignal?.throwIfAborted();
  const rendered = await renderPageForOcr(document, page, dpi === undefined ? {} : { dpi });
  page.cleanup();
  abortSignal?.throwIfAborted();
  const result = await ocr.recognize(rendered.png, abortSignal ? { abortSignal } : {});
  return ocrResultToBlocks(result, { page: page.pageNumber, unitsPerPixel: 1 / rendered.pixelsPerInch });
}

/**
 * OCR for the scanned pages of one PDF while its text pages are still being read: each scanned
 * page's entry is returned at once and filled when its OCR ends. Renders run ahead of the pool by
 * one page so every worker stays busy without holding a whole document's images in memory.
 */
export class ScannedPages {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly document: PDFDocumentProxy,
    private readonly ocr: OcrEngine,
    private readonly options: ScannedPagesOptions = {},
  ) {
    const { abortSignal } = options;
    this.signal = abortSignal ? AbortSignal.any([abortSignal, this.stop.signal]) : this.stop.signal;
  }

  /** Starts OCR of `page` and returns its (still empty) entry; waits while the pool is saturated. */
  async add(page: PDFPageProxy): Promise<ExtractedPage> {
    while (this.inFlight.size > this.ocr.concurrency) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const entry: ExtractedPage = { page: page.pageNumber, blocks: [] };
    const work = ocrPdfPage(this.document, page, this.ocr, {
      ...this.options,
      abortSignal: this.signal,
    }).then(
      (blocks) => {
        entry.blocks = blocks;
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.stop.abort(); // one failed page fails the file: stop the others
      },
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return entry;
  }

  /** Waits for every page; throws the first failure. */
  async finish(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  /** Stops whatever is still running (the document is about to close). */
  cancel(): void {
    if (this.inFlight.size > 0) this.stop.abort();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
