import { contentError } from './content-error';
import { openImageDocument } from './image-document';
import { readImageSize } from './image-size';
import { openDocxDocument, openHtmlDocument } from './markup-document';
import { openPdfDocument } from './pdf-document';
import { imageFormats, sniffFormat } from './sniff';
import type { OpenedDocument } from './types';

/**
 * Opens whatever a service was sent, far enough to know its format and page count; unreadable
 * input fails here (a QuarryError whose reason is a ContentFailure), before any page is read.
 */
export async function openDocument(bytes: Uint8Array): Promise<OpenedDocument> {
  if (bytes.length === 0) throw contentError('empty', 'The document is empty.');
  const format = sniffFormat(bytes);
  if (format === 'pdf') return openPdfDocument(bytes);
  if (format === 'docx') return openDocxDocument(bytes);
  if (format === 'html') return openHtmlDocument(bytes);
  if (imageFormats.has(format)) {
    if (!readImageSize(bytes, format))
      throw contentError('corrupt', `The ${format} image header is missing or damaged.`);
    return openImageDocument(bytes, format);
  }
  if (format === 'xlsx' || format === 'pptx') {
    throw contentError('unsupported_format', `The simulator does not read ${format} documents.`);
  }
  throw contentError('corrupt', 'The content is not a document format the service reads.');
}
