import { PDFDocument } from 'pdf-lib';
import { openPdf } from './pdf-loader';
import { readScannedPage } from './pdf-scan';
import { readPdfTextLines } from './pdf-text';
import { structureLines } from './structure';
import type { OpenedDocument, ReadPage } from './types';

const pointsPerInch = 72;

/** A PDF opened with pdf.js; pages come back in inches, scans through the convention or OCR. */
export async function openPdfDocument(bytes: Uint8Array): Promise<OpenedDocument> {
  const pdf = await openPdf(bytes);
  let structure: Promise<PDFDocument> | undefined;
  // pdf-lib (for a scanned page's embedded images) is only loaded when a scan turns up.
  const document = (): Promise<PDFDocument> =>
    (structure ??= PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false }));
  return {
    format: 'pdf',
    pageCount: pdf.numPages,
    async readPage(pageNumber, options = {}): Promise<ReadPage> {
      options.abortSignal?.throwIfAborted();
      const page = await pdf.getPage(pageNumber);
      try {
        const viewport = page.getViewport({ scale: 1 });
        const width = viewport.width / pointsPerInch;
        const height = viewport.height / pointsPerInch;
        let lines = await readPdfTextLines(page);
        let textSource: ReadPage['textSource'] = 'text-layer';
        if (lines.length === 0) {
          const scanned = await readScannedPage({ pdf, document }, page, { width, height }, options);
          lines = scanned.lines;
          textSource = scanned.source;
        }
        return {
          pageNumber,
          width,
          height,
          unit: 'inch',
          angle: 0,
          blocks: structureLines(lines, pageNumber, width),
          textSource,
        };
      } finally {
        page.cleanup();
      }
    },
    close: () => pdf.destroy(),
  };
}
