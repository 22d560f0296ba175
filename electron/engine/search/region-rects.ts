/**
 * Highlight rectangles from the polygons an index stores for a chunk (Azure Document Intelligence
 * and OCR: inches on PDF pages, pixels on images), as fractions of the page.
 */
import type { HighlightRect } from '../../contract';
import type { BlockRegion, PageSize } from '../types';

export function regionRects(
  regions: readonly BlockRegion[] | null | undefined,
  page: number,
  pageSize: Pick<PageSize, 'width' | 'height'> | null | undefined,
): HighlightRect[] {
  if (!regions || !pageSize || pageSize.width <= 0 || pageSize.height <= 0) return [];
  const rects: HighlightRect[] = [];
  for (const region of regions) {
    if (region.page !== page || region.polygon.length < 4) continue;
    const xs = region.polygon.filter((_, index) => index % 2 === 0);
    const ys = region.polygon.filter((_, index) => index % 2 === 1);
    const left = Math.min(...xs);
    const top = Math.min(...ys);
    rects.push({
      x: left / pageSize.width,
      y: top / pageSize.height,
      width: (Math.max(...xs) - left) / pageSize.width,
      height: (Math.max(...ys) - top) / pageSize.height,
    });
  }
  return rects;
}
