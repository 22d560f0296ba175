/**
 * The preview pane's engine side: a search hit in context. Every format gets the hit's chunk with
 * its neighbours and the query's matches marked; PDFs add their page rendered to PNG, images the
 * image itself, both with highlight rectangles (the index's stored polygons when it has them, else
 * the page's text positions matched against the query).
 */
import path from 'node:path';
import {
  type HighlightRect,
  type ParsedCallInput,
  type Preview,
  type PreviewPassage,
  QuarryError,
} from '../../contract';
import type { Backend } from '../backend';
import type { CallOptions, StoredChunk } from '../types';
import { renderImagePreview } from './image-preview';
import { type LocatedFile, locateIndexedFile } from './indexed-file';
import { renderPdfPagePreview } from './pdf-page-preview';
import { regionRects } from './region-rects';
import { termRanges } from './snippet';

export interface PreviewServiceOptions {
  backend: () => Promise<Backend>;
  /** Where browser uploads are stored (`<dataDir>/uploads`). */
  uploadsDir: string;
}

export interface PreviewService {
  getPreview(input: ParsedCallInput<'getPreview'>, options?: CallOptions): Promise<Preview>;
  /** The disk path of an indexed file (for "Open file"); refuses paths the index does not hold. */
  locate(sourcePath: string, options?: CallOptions): Promise<{ path: string }>;
}

/** Chunks shown on each side of the hit. */
const CONTEXT_CHUNKS = 1;

export function createPreviewService(options: PreviewServiceOptions): PreviewService {
  return {
    async getPreview(input, callOptions = {}) {
      const { index } = await options.backend();
      if (!index.readChunks) {
        throw new QuarryError('unsupported', 'This backend cannot show previews yet.', {
          reason: 'preview_unsupported_backend',
        });
      }
      const wanted = [];
      for (let offset = -CONTEXT_CHUNKS; offset <= CONTEXT_CHUNKS; offset++)
        wanted.push(input.chunkIndex + offset);
      const chunks = await index.readChunks(input.sourcePath, wanted, callOptions);
      const hit = chunks.find((chunk) => chunk.chunkIndex === input.chunkIndex);
      if (!hit) {
        throw new QuarryError(
          'invalid_input',
          `Chunk ${input.chunkIndex} of ${input.sourcePath} is not in the index.`,
          {
            reason: 'not_indexed',
          },
        );
      }
      const passages = chunks.map((chunk) => toPassage(chunk, input.query, chunk === hit));
      const base: Preview = {
        sourcePath: hit.sourcePath,
        sourceName: hit.sourceName,
        mimeType: hit.mimeType,
        page: hit.page,
        pageCount: null,
        image: null,
        rects: [],
        passages,
        notice: null,
      };
      const isPdf = hit.mimeType === 'application/pdf';
      if (!isPdf && !hit.mimeType.startsWith('image/')) return base;

      let located: LocatedFile;
      try {
        located = await locateIndexedFile(hit.sourcePath, {
          ...callOptions,
          index,
          uploadsDir: options.uploadsDir,
          modifiedAt: hit.modifiedAt,
        });
      } catch (error) {
        if (!(error instanceof QuarryError) || error.code === 'cancelled') throw error;
        return { ...base, notice: `${error.message} Showing the indexed text only.` };
      }
      const notice = located.matchesIndex
        ? null
        : 'The file changed since it was indexed: the page may not match the hit. Ingest it again to refresh.';
      return isPdf
        ? { ...(await pdfPreview(located.diskPath, hit, input, callOptions)), passages, notice }
        : { ...(await imagePreview(located.diskPath, hit, input, callOptions)), passages, notice };
    },

    async locate(sourcePath, callOptions = {}) {
      const { index } = await options.backend();
      const located = await locateIndexedFile(sourcePath, {
        ...callOptions,
        index,
        uploadsDir: options.uploadsDir,
      });
      return { path: path.resolve(located.diskPath) };
    },
  };
}

function toPassage(chunk: StoredChunk, query: string, isHit: boolean): PreviewPassage {
  return {
    chunkIndex: chunk.chunkIndex,
    page: chunk.page,
    text: chunk.content,
    highlights: query.trim() ? termRanges(chunk.content, query) : [],
    isHit,
  };
}

type Rendered = Omit<Preview, 'passages' | 'notice'>;

async function pdfPreview(
  diskPath: string,
  hit: StoredChunk,
  input: ParsedCallInput<'getPreview'>,
  options: CallOptions,
): Promise<Rendered> {
  const page = hit.page ?? 1;
  const stored = regionRects(hit.regions, page, hit.pageSize);
  const rendered = await renderPdfPagePreview(diskPath, {
    ...options,
    page,
    maxWidth: input.maxWidth,
    ...(stored.length > 0 ? {} : { highlight: { query: input.query, chunkText: hit.content } }),
  });
  return {
    sourcePath: hit.sourcePath,
    sourceName: hit.sourceName,
    mimeType: hit.mimeType,
    page: rendered.page,
    pageCount: rendered.pageCount,
    image: {
      dataUrl: `data:image/png;base64,${rendered.png.toString('base64')}`,
      width: rendered.width,
      height: rendered.height,
    },
    rects: stored.length > 0 ? stored : rendered.rects,
  };
}

async function imagePreview(
  diskPath: string,
  hit: StoredChunk,
  input: ParsedCallInput<'getPreview'>,
  options: CallOptions,
): Promise<Rendered> {
  const image = await renderImagePreview(diskPath, hit.mimeType, { ...options, maxWidth: input.maxWidth });
  const size = hit.pageSize ?? { width: image.naturalWidth, height: image.naturalHeight };
  const rects: HighlightRect[] = regionRects(hit.regions, hit.page ?? 1, size);
  return {
    sourcePath: hit.sourcePath,
    sourceName: hit.sourceName,
    mimeType: hit.mimeType,
    page: hit.page,
    pageCount: null,
    image: { dataUrl: image.dataUrl, width: image.width, height: image.height },
    rects,
  };
}
