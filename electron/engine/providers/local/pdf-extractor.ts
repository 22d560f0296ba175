import { readFile } from 'node:fs/promises';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem, TextMarkedContent } from 'pdfjs-dist/types/src/display/api';
import { QuarryError } from '../../../contract';
import { openPdf } from '../../pdf/pdfjs';
import type { CallOptions, ExtractedDocument, ExtractedPage } from '../../types';
import type { OcrEngine } from './ocr/ocr-types';
import { ScannedPages } from './ocr/scanned-pages';
import { pageTextBlocks } from './pdf-text-layout';

function errorName(error: unknown): string | undefined {
  return error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)
    ? String((error as { name: unknown }).name)
    : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** pdf.js exceptions are classified by their `name`, never by message text. */
function toPdfError(error: unknown, fileName: string): unknown {
  if (error instanceof QuarryError || errorName(error) === 'AbortError') return error;
  if (errorName(error) === 'PasswordException') {
    return new QuarryError('unsupported', `PDF is password-protected and cannot be read: ${fileName}`, {
      reason: 'encrypted',
      cause: error,
    });
  }
  return new QuarryError('invalid_input', `Not a valid PDF: ${fileName} (${errorMessage(error)})`, {
    reason: 'corrupt',
    cause: error,
  });
}

function isTextItem(item: TextItem | TextMarkedContent): item is TextItem {
  return 'str' in item;
}

async function readTitle(document: PDFDocumentProxy): Promise<string | undefined> {
  try {
    const { info } = await document.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    return typeof title === 'string' && title.trim() ? title.trim() : undefined;
  } catch {
    return undefined; // broken metadata never fails a readable document
  }
}

/**
 * Text of every page with pdf.js: 1-based page numbers, lines rebuilt from item positions,
 * paragraphs from vertical gaps. A page without any text is a scan: with `ocr` it is rendered and
 * read by OCR, without it is marked `needsOcr`.
 */
export async function extractPdfFile(
  diskPath: string,
  fileName: string,
  options: CallOptions & { ocr?: OcrEngine | null } = {},
): Promise<ExtractedDocument> {
  const { abortSignal } = options;
  const data = new Uint8Array(await readFile(diskPath));
  abortSignal?.throwIfAborted();
  const loadingTask = await openPdf(data);
  let scans: ScannedPages | null = null;
  try {
    const document = await loadingTask.promise;
    // Abort is polled between pages: a listener per file on a job-wide signal would pile up.
    const pages: ExtractedPage[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      abortSignal?.throwIfAborted();
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      page.cleanup();
      const items = content.items.filter(isTextItem);
      const hasText = items.some((item) => item.str.trim().length > 0);
      if (hasText) {
        pages.push({ page: pageNumber, blocks: pageTextBlocks(items) });
      } else if (options.ocr) {
        scans ??= new ScannedPages(document, options.ocr, abortSignal ? { abortSignal } : {});
        pages.push(await scans.add(page));
      } else {
        pages.push({ page: pageNumber, blocks: [], needsOcr: true });
      }
    }
    await scans?.finish();
    const title = await readTitle(document);
    return { mimeType: 'application/pdf', ...(title ? { title } : {}), pages };
  } catch (error) {
    if (abortSignal?.aborted) throw abortSignal.reason;
    throw toPdfError(error, fileName);
  } finally {
    scans?.cancel();
    await loadingTask.destroy();
  }
}
