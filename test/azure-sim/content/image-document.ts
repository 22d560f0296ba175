import { readImageText } from './image-text';
import { structureLines } from './structure';
import type { DocumentFormat, OpenedDocument } from './types';

/** An image is a one-page document measured in pixels. */
export function openImageDocument(bytes: Uint8Array, format: DocumentFormat): OpenedDocument {
  return {
    format,
    pageCount: 1,
    async readPage(pageNumber, options = {}) {
      const { size, lines, source } = await readImageText(bytes, format, options);
      return {
        pageNumber,
        width: size.width,
        height: size.height,
        unit: 'pixel',
        angle: 0,
        blocks: structureLines(lines, pageNumber, size.width),
        textSource: source,
      };
    },
    close: async () => {},
  };
}
