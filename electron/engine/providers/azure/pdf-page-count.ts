/**
 * Page count of a PDF before it is sent anywhere, so a long PDF can be split into page ranges and
 * a password-protected one refused without a paid call. pdf.js reads only the cross-reference
 * table and the page tree here, not the pages.
 */
import { QuarryError } from '../../../contract';
import { openPdf } from '../../pdf/pdfjs';

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : undefined;
}

/**
 * The number of pages, or undefined when pdf.js cannot tell (a damaged file: the service then
 * judges it). A password-protected PDF throws `unsupported` / `encrypted`: the service refuses those.
 */
export async function countPdfPages(
  bytes: Uint8Array,
  fileName: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<number | undefined> {
  options.abortSignal?.throwIfAborted();
  // pdf.js takes ownership of the buffer it is given; the caller still needs the bytes to upload.
  const loadingTask = await openPdf(bytes.slice(), { stopAtErrors: false });
  try {
    const document = await loadingTask.promise;
    return document.numPages;
  } catch (error) {
    if (errorName(error) === 'PasswordException') {
      throw new QuarryError('unsupported', `PDF is password-protected and cannot be analysed: ${fileName}`, {
        reason: 'encrypted',
        cause: error,
      });
    }
    return undefined;
  } finally {
    await loadingTask.destroy();
  }
}

/** `1-2000`, `2001-4000`, … covering `pageCount` pages, `pagesPerRange` at a time. */
export function pageRanges(pageCount: number, pagesPerRange: number): string[] {
  const ranges: string[] = [];
  for (let first = 1; first <= pageCount; first += pagesPerRange) {
    const last = Math.min(pageCount, first + pagesPerRange - 1);
    ranges.push(first === last ? String(first) : `${first}-${last}`);
  }
  return ranges;
}
