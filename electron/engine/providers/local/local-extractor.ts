import { QuarryError } from '../../../contract';
import { DOCX_MIME_TYPE, IMAGE_MIME_TYPES, LOCAL_SUPPORTED_MIME_TYPES } from '../../pipeline/mime';
import type { CallOptions, ExtractedDocument, Extractor, SourceFile } from '../../types';
import { extractDocxFile } from './docx-extractor';
import { extractHtmlFile } from './html-extractor';
import { extractPdfFile } from './pdf-extractor';
import { extractTextFile } from './text-extractor';

const IMAGE_TYPES: ReadonlySet<string> = new Set(IMAGE_MIME_TYPES);

function unsupported(file: SourceFile): QuarryError {
  if (IMAGE_TYPES.has(file.mimeType)) {
    return new QuarryError(
      'unsupported',
      `Image OCR is not available in the local backend yet: ${file.name} (${file.mimeType})`,
      { reason: 'unsupported_type' },
    );
  }
  return new QuarryError('unsupported', `Unsupported file type: ${file.name} (${file.mimeType})`, {
    reason: 'unsupported_type',
  });
}

async function extractByType(file: SourceFile, options: CallOptions): Promise<ExtractedDocument> {
  switch (file.mimeType) {
    case 'application/pdf':
      return extractPdfFile(file.diskPath, file.name, options);
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

/** The local backend's extractor: pdf.js, mammoth and text decoders, chosen by MIME type. */
export function createLocalExtractor(): Extractor {
  return {
    mimeTypes: LOCAL_SUPPORTED_MIME_TYPES,
    async extract(file: SourceFile, options: CallOptions = {}): Promise<ExtractedDocument> {
      options.abortSignal?.throwIfAborted();
      if (file.size === 0) {
        throw new QuarryError('invalid_input', 'File is empty (0 bytes)', { reason: 'empty_file' });
      }
      return extractByType(file, options);
    },
  };
}
