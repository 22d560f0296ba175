import type { Box, PageUnit } from '../content';

/** DI polygons: 4 points clockwise from top-left, flat; inches to 4 decimals, pixels whole. */
export function polygonOf(box: Box, unit: PageUnit | undefined): number[] {
  const round =
    unit === 'pixel'
      ? (value: number) => Math.round(value)
      : (value: number) => Math.round(value * 10_000) / 10_000;
  const left = round(box.x);
  const top = round(box.y);
  const right = round(box.x + box.width);
  const bottom = round(box.y + box.height);
  return [left, top, right, top, right, bottom, left, bottom];
}

export function unionBox(boxes: readonly (Box | undefined)[]): Box | undefined {
  const present = boxes.filter((box): box is Box => box !== undefined);
  if (present.length === 0) return undefined;
  const left = Math.min(...present.map((box) => box.x));
  const top = Math.min(...present.map((box) => box.y));
  const right = Math.max(...present.map((box) => box.x + box.width));
  const bottom = Math.max(...present.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export interface BoundingRegion {
  pageNumber: number;
  polygon: number[];
}

/** `boundingRegions` for an element, or nothing for flowing formats without geometry. */
export function boundingRegions(
  box: Box | undefined,
  pageNumber: number,
  unit: PageUnit | undefined,
): { boundingRegions?: BoundingRegion[] } {
  return box ? { boundingRegions: [{ pageNumber, polygon: polygonOf(box, unit) }] } : {};
}
