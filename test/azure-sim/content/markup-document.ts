import mammoth from 'mammoth';
import { contentError } from './content-error';
import { htmlBlocks } from './html-blocks';
import type { DocumentFormat, OpenedDocument, ReadBlock } from './types';

/**
 * Flowing documents (DOCX, HTML) have no physical pages; like the service, which bills them per
 * 3,000 characters, the simulator cuts them into pages of about that many characters at block
 * boundaries. Their pages carry no width, height, unit or polygons.
 */
export const charactersPerFlowPage = 3_000;

const blockLength = (block: ReadBlock): number =>
  (block.kind === 'paragraph' ? block.lines : block.cells.flatMap((cell) => cell.lines)).reduce(
    (sum, line) => sum + line.text.length + 1,
    0,
  );

function paginate(blocks: ReadBlock[]): ReadBlock[][] {
  const pages: ReadBlock[][] = [[]];
  let length = 0;
  for (const block of blocks) {
    const size = blockLength(block);
    const page = pages.at(-1) ?? [];
    if (page.length > 0 && length + size > charactersPerFlowPage) {
      pages.push([block]);
      length = size;
    } else {
      page.push(block);
      length += size;
    }
  }
  return pages;
}

function flowDocument(format: DocumentFormat, blocks: ReadBlock[]): OpenedDocument {
  const pages = paginate(blocks);
  return {
    format,
    pageCount: pages.length,
    async readPage(pageNumber, options = {}) {
      options.abortSignal?.throwIfAborted();
      return { pageNumber, angle: 0, blocks: pages[pageNumber - 1] ?? [], textSource: 'markup' };
    },
    close: async () => {},
  };
}

export async function openDocxDocument(bytes: Uint8Array): Promise<OpenedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    throw contentError('corrupt', 'The DOCX package is damaged and cannot be read.', error);
  }
  return flowDocument('docx', htmlBlocks(html));
}

export function openHtmlDocument(bytes: Uint8Array): OpenedDocument {
  return flowDocument('html', htmlBlocks(Buffer.from(bytes).toString('utf8')));
}
