import type { ExtractedDocument } from '../../types';

const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * Maps the coordinates of a downscaled image back onto the original: polygons and page sizes are
 * multiplied by `scaleBack` (original pixels per sent pixel), so a highlight lands on the file the
 * user has. A scale of 1 returns the document unchanged.
 */
export function scaleDocumentGeometry(document: ExtractedDocument, scaleBack: number): ExtractedDocument {
  if (scaleBack === 1) return document;
  return {
    ...document,
    pages: document.pages.map((page) => ({
      ...page,
      ...(page.width !== undefined ? { width: round(page.width * scaleBack) } : {}),
      ...(page.height !== undefined ? { height: round(page.height * scaleBack) } : {}),
      blocks: page.blocks.map((block) =>
        block.regions
          ? {
              ...block,
              regions: block.regions.map((region) => ({
                page: region.page,
                polygon: region.polygon.map((value) => round(value * scaleBack)),
              })),
            }
          : block,
      ),
    })),
  };
}
