import { readFile } from 'node:fs/promises';
import type { CallOptions, ExtractedDocument, ExtractedPage } from '../../../types';
import { boundedMap } from './bounded-map';
import { ocrResultToBlocks } from './ocr-to-blocks';
import type { OcrEngine } from './ocr-types';
import { tiffPage, tiffPageOffsets } from './tiff-pages';

/**
 * Text of an image file by OCR. A single image has no pages (page null); each page of a
 * multi-page TIFF keeps its 1-based number. Regions are in image pixels.
 */
export async function ocrImageFile(
  diskPath: string,
  mimeType: string,
  ocr: OcrEngine,
  options: CallOptions = {},
): Promise<ExtractedDocument> {
  const bytes = new Uint8Array(await readFile(diskPath));
  options.abortSignal?.throwIfAborted();
  const tiffPages = mimeType === 'image/tiff' ? tiffPageOffsets(bytes) : [];
  if (tiffPages.length <= 1) {
    const result = await ocr.recognize(bytes, options);
    return {
      mimeType,
      pages: [{ page: null, blocks: ocrResultToBlocks(result, { page: 1, unitsPerPixel: 1 }) }],
    };
  }
  // Enough pages in flight to keep every worker busy, without copying the whole file per page up front.
  const pages = await boundedMap<ExtractedPage>(tiffPages.length, ocr.concurrency, async (index) => {
    const result = await ocr.recognize(tiffPage(bytes, tiffPages, index), options);
    return { page: index + 1, blocks: ocrResultToBlocks(result, { page: index + 1, unitsPerPixel: 1 }) };
  });
  return { mimeType, pages };
}
