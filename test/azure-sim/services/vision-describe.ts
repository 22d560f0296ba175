import type { Box, ImageSize, ReadLine } from '../content';

/**
 * What the simulated model "sees", derived only from the image's text and dimensions so tests
 * can predict it (README.md, "Vision"):
 * - caption: `an image with the text "<first line>"` (first 8 words), or `a <shape> image`
 *   where shape is landscape (w > 1.2 h), portrait (h > 1.2 w) or square;
 * - tags: `text` when there is text, the shape, then up to 5 distinct words of 3+ letters;
 * - objects: one `text` object around all text; people: none;
 * - dense captions: the caption over the whole image, then one per text line;
 * - smart crops: the largest crop of each ratio, centred on the text (or the image centre).
 */

export interface BoundingBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Caption {
  text: string;
  confidence: number;
}

const toBoundingBox = (box: Box): BoundingBox => ({
  x: Math.round(box.x),
  y: Math.round(box.y),
  w: Math.round(box.width),
  h: Math.round(box.height),
});

export function shapeOf(size: ImageSize): 'landscape' | 'portrait' | 'square' {
  if (size.width > 1.2 * size.height) return 'landscape';
  if (size.height > 1.2 * size.width) return 'portrait';
  return 'square';
}

export function captionOf(size: ImageSize, lines: readonly ReadLine[]): Caption {
  const first = lines[0]?.text.split(/\s+/).slice(0, 8).join(' ');
  return first
    ? { text: `an image with the text "${first}"`, confidence: 0.85 }
    : { text: `a ${shapeOf(size)} image`, confidence: 0.5 };
}

export function tagsOf(size: ImageSize, lines: readonly ReadLine[]): { name: string; confidence: number }[] {
  const tags = lines.length > 0 ? [{ name: 'text', confidence: 0.99 }] : [];
  tags.push({ name: shapeOf(size), confidence: 0.9 });
  const words = lines.flatMap((line) => line.text.toLowerCase().match(/\p{L}{3,}/gu) ?? []);
  [...new Set(words)].slice(0, 5).forEach((word, index) => {
    tags.push({ name: word, confidence: Math.round((0.85 - index * 0.05) * 1000) / 1000 });
  });
  return tags;
}

function textBox(lines: readonly ReadLine[]): Box | undefined {
  const boxes = lines.flatMap((line) => (line.box ? [line.box] : []));
  if (boxes.length === 0) return undefined;
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

export function objectsOf(
  lines: readonly ReadLine[],
): { boundingBox: BoundingBox; tags: { name: string; confidence: number }[] }[] {
  const box = textBox(lines);
  return box ? [{ boundingBox: toBoundingBox(box), tags: [{ name: 'text', confidence: 0.9 }] }] : [];
}

export function denseCaptionsOf(
  size: ImageSize,
  lines: readonly ReadLine[],
): { text: string; confidence: number; boundingBox: BoundingBox }[] {
  const whole = { ...captionOf(size, lines), boundingBox: { x: 0, y: 0, w: size.width, h: size.height } };
  const perLine = lines
    .filter((line) => line.box)
    .slice(0, 9)
    .map((line) => ({
      text: `the text "${line.text}"`,
      confidence: 0.8,
      boundingBox: toBoundingBox(line.box ?? { x: 0, y: 0, width: 0, height: 0 }),
    }));
  return [whole, ...perLine];
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

export function smartCropsOf(
  size: ImageSize,
  lines: readonly ReadLine[],
  ratios: readonly number[],
): { aspectRatio: number; boundingBox: BoundingBox }[] {
  // Without requested ratios the service picks one between 0.5 and 2.0: the image's own, clamped.
  const chosen =
    ratios.length > 0 ? ratios : [Math.round(clamp(size.width / size.height, 0.5, 2) * 100) / 100];
  const focus = textBox(lines);
  const centerX = focus ? focus.x + focus.width / 2 : size.width / 2;
  const centerY = focus ? focus.y + focus.height / 2 : size.height / 2;
  return chosen.map((aspectRatio) => {
    const w = Math.min(size.width, Math.floor(size.height * aspectRatio));
    const h = Math.min(size.height, Math.floor(w / aspectRatio));
    const x = Math.round(clamp(centerX - w / 2, 0, size.width - w));
    const y = Math.round(clamp(centerY - h / 2, 0, size.height - h));
    return { aspectRatio, boundingBox: { x, y, w, h } };
  });
}
