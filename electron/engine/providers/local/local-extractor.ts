import { QuarryError } from '../../../contract';
import { DOCX_MIME_TYPE, IMAGE_MIME_TYPES, LOCAL_SUPPORTED_MIME_TYPES } from '../../pipeline/mime';
import type { CallOptions, ExtractedDocument, Extractor, SourceFile } from '../../types';
import { extractDocxFile } from './docx-extractor';
import { extractHtmlFile } from './html-extractor';
import { ocrImageFile } from './ocr/image-ocr';
import type { OcrEngine } from './ocr/ocr-types';
import { sharedOcrPool } from './ocr/shared-ocr-pool';
import { extractPdfFile } from './pdf-extractor';
import { extractTextFile } from './text-extractor';

const IMAGE_TYPES: ReadonlySet<string> = new Set(IMAGE_MIME_TYPES);

function unsupported(file: SourceFile): QuarryError {
  if (IMAGE_TYPES.has(file.mimeType)) {
    return new QuarryError(
      'unsupported',
      `Image OCR is not available in this extractor (OCR is off): ${file.name} (${file.mimeType})`,
      { reason: 'unsupported_type' },
    );
  }
  return new QuarryError('unsupported', `Unsupported file type: ${file.name} (${file.mimeType})`, {
    reason: 'unsupported_type',
  });
}

export interface LocalExtractorOptions {
  /**
   * Reads images and scanned PDF pages. Default: the process-wide pool (default languages);
   * null: no OCR (images fail as unsupported, scanned pages come back marked `needsOcr`).
   */
  ocr?: OcrEngine | null;
}

async function extractByType(
  file: SourceFile,
  options: CallOptions,
  ocr: () => OcrEngine | null,
): Promise<ExtractedDocument> {
  if (IMAGE_TYPES.has(file.mimeType)) {
    const engine = ocr();
    if (!engine) throw unsupported(file);
    return ocrImageFile(file.diskPath, file.mimeType, engine, options);
  }
  switch (file.mimeType) {
    case 'application/pdf':
      return extractPdfFile(file.diskPath, file.name, { ...options, ocr: ocr() });
    case DOCX_MIME_TYPE:
      return extractDocxFile(file.diskPath, file.name);
    case 'text/html':
      return extractHtmlFile(file.diskPath);
    case 'text/plain':
    case 'text/markdown':
    case 'text/csv':
    case 'application/json':
      return extractTextFile(file.diskPath, file.mimeType);
    default:
      throw unsupported(file);
  }
}

/** The local backend's extractor: pdf.js, mammoth, text decoders and OCR, chosen by MIME type. */
export function createLocalExtractor(extractorOptions: LocalExtractorOptions = {}): Extractor {
  const ocr = () => (extractorOptions.ocr === undefined ? sharedOcrPool() : extractorOptions.ocr);
  return {
    mimeTypes:
      extractorOptions.ocr === null
        ? LOCAL_SUPPORTED_MIME_TYPES
        : [...LOCAL_SUPPORTED_MIME_TYPES, ...IMAGE_MIME_TYPES],
    async extract(file: SourceFile, options: CallOptions = {}): Promise<ExtractedDocument> {
      options.abortSignal?.throwIfAborted();
      if (file.size === 0) {
        throw new QuarryError('invalid_input', 'File is empty (0 bytes)', { reason: 'empty_file' });
      }
      return extractByType(file, options, ocr);
    },
  };
}
