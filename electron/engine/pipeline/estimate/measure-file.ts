/**
 * Pages and tokens of one file, measured locally (pdf.js, mammoth, text decoders; never OCR and
 * never a service). Where a service would have to read the text first, the figures are the
 * stated approximations below.
 */
import { QuarryError } from '../../../contract';
import type { Route } from '../../providers/azure/azure-routing';
import { createLocalExtractor } from '../../providers/local/local-extractor';
import type { CallOptions, ExtractedDocument, SourceFile } from '../../types';
import { DOCX_MIME_TYPE, TEXT_MIME_TYPES } from '../mime';
import { countTokens } from '../token-count';

/** Tokens assumed for a page without a text layer (a scan) once a service has read it. */
export const TOKENS_PER_SCANNED_PAGE = 400;
/** Tokens assumed for an image read by Vision (caption, tags and a little read text). */
export const TOKENS_PER_VISION_IMAGE = 100;
/** DOCX files have no page count of their own: pages ≈ tokens / this. */
export const TOKENS_PER_DOCX_PAGE = 500;

export interface FileMeasure {
  /** Pages a page-billed service would count; 0 for plain-text formats. */
  pages: number;
  /** Tokens to embed. */
  tokens: number;
  /** Pages without a text layer, whose tokens are estimated. */
  scannedPages: number;
}

const TEXT_TYPES: ReadonlySet<string> = new Set(TEXT_MIME_TYPES);
// No OCR: an estimate must stay quick, and scanned pages are estimated instead.
const localReader = createLocalExtractor({ ocr: null });

function documentTokens(document: ExtractedDocument): number {
  let tokens = 0;
  for (const page of document.pages) for (const block of page.blocks) tokens += countTokens(block.text);
  return tokens;
}

function imageMeasure(route: Route): FileMeasure {
  const tokens = route === 'vision' ? TOKENS_PER_VISION_IMAGE : TOKENS_PER_SCANNED_PAGE;
  return { pages: 1, tokens, scannedPages: route === 'vision' ? 0 : 1 };
}

/** Throws QuarryError (invalid_input / unsupported) for a file an ingest could not read either. */
export async function measureFile(
  file: SourceFile,
  route: Route,
  options: CallOptions = {},
): Promise<FileMeasure> {
  if (file.mimeType.startsWith('image/')) return imageMeasure(route);
  if (file.mimeType === 'application/pdf') {
    const document = await localReader.extract(file, options);
    const scannedPages = document.pages.filter((page) => page.needsOcr).length;
    return {
      pages: document.pages.length,
      tokens: documentTokens(document) + scannedPages * TOKENS_PER_SCANNED_PAGE,
      scannedPages,
    };
  }
  if (file.mimeType === DOCX_MIME_TYPE) {
    const tokens = documentTokens(await localReader.extract(file, options));
    return { pages: Math.max(1, Math.ceil(tokens / TOKENS_PER_DOCX_PAGE)), tokens, scannedPages: 0 };
  }
  if (TEXT_TYPES.has(file.mimeType)) {
    return { pages: 0, tokens: documentTokens(await localReader.extract(file, options)), scannedPages: 0 };
  }
  throw new QuarryError('unsupported', `Unsupported file type: ${file.name} (${file.mimeType})`, {
    reason: 'unsupported_type',
  });
}
