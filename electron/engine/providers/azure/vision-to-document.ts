/**
 * Maps an Image Analysis 4.0 result onto Quarry's ExtractedDocument: one page (an image is a
 * single page, as Document Intelligence also reports it) in pixels of the original image; the
 * caption as a heading and the tags as a paragraph, so both are searchable; the text read from the
 * image as paragraphs (lines grouped by vertical gaps), each with its line polygons.
 */
import type {
  DetectedTextLineOutput,
  ImageAnalysisResultOutput,
  ImagePointOutput,
} from '@azure-rest/ai-vision-image-analysis';
import type { BlockRegion, ExtractedDocument, TextBlock } from '../../types';

/** Tags below this confidence are more noise than description. */
export const MIN_TAG_CONFIDENCE = 0.5;
/** A gap between lines larger than this many line heights starts a new paragraph. */
const PARAGRAPH_GAP_RATIO = 1.0;

export interface VisionMapping {
  mimeType: string;
  /** Original pixels per analysed pixel (the image may have been downscaled to fit). */
  scaleBack: number;
  /** Size of the original image, when known (else the analysed size, scaled back). */
  width?: number;
  height?: number;
}

const round = (value: number): number => Math.round(value * 100) / 100;

function flatPolygon(points: readonly ImagePointOutput[], scaleBack: number): number[] {
  return points.flatMap((point) => [round(point.x * scaleBack), round(point.y * scaleBack)]);
}

function top(line: DetectedTextLineOutput): number {
  return Math.min(...line.boundingPolygon.map((point) => point.y));
}

function bottom(line: DetectedTextLineOutput): number {
  return Math.max(...line.boundingPolygon.map((point) => point.y));
}

/** Consecutive lines stay in one paragraph unless the blank space between them is tall. */
function paragraphsOf(lines: readonly DetectedTextLineOutput[]): DetectedTextLineOutput[][] {
  const paragraphs: DetectedTextLineOutput[][] = [];
  let current: DetectedTextLineOutput[] = [];
  for (const line of lines) {
    const previous = current[current.length - 1];
    if (previous && line.boundingPolygon.length > 0 && previous.boundingPolygon.length > 0) {
      const height = Math.max(1, bottom(previous) - top(previous));
      if (top(line) - bottom(previous) > height * PARAGRAPH_GAP_RATIO) {
        paragraphs.push(current);
        current = [];
      }
    }
    current.push(line);
  }
  if (current.length > 0) paragraphs.push(current);
  return paragraphs;
}

function textBlocks(result: ImageAnalysisResultOutput, scaleBack: number): TextBlock[] {
  const lines = (result.readResult?.blocks ?? []).flatMap((block) => block.lines);
  const blocks: TextBlock[] = [];
  for (const paragraph of paragraphsOf(lines)) {
    const text = paragraph
      .map((line) => line.text.trim())
      .filter(Boolean)
      .join('\n');
    if (!text) continue;
    const regions: BlockRegion[] = paragraph
      .filter((line) => line.boundingPolygon.length >= 4)
      .map((line) => ({ page: 1, polygon: flatPolygon(line.boundingPolygon, scaleBack) }));
    blocks.push({ kind: 'paragraph', text, ...(regions.length > 0 ? { regions } : {}) });
  }
  return blocks;
}

export function visionToDocument(
  result: ImageAnalysisResultOutput,
  mapping: VisionMapping,
): ExtractedDocument {
  const caption = result.captionResult?.text.trim() || undefined;
  const tags = (result.tagsResult?.values ?? [])
    .filter((tag) => tag.confidence >= MIN_TAG_CONFIDENCE)
    .map((tag) => tag.name);
  const blocks: TextBlock[] = [];
  if (caption) blocks.push({ kind: 'heading', text: caption });
  if (tags.length > 0) blocks.push({ kind: 'paragraph', text: `Tags: ${tags.join(', ')}` });
  blocks.push(...textBlocks(result, mapping.scaleBack));
  const width = mapping.width ?? round(result.metadata.width * mapping.scaleBack);
  const height = mapping.height ?? round(result.metadata.height * mapping.scaleBack);
  return {
    mimeType: mapping.mimeType,
    pages: [{ page: 1, blocks, width, height, unit: 'pixel' }],
    ...(caption ? { caption } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}
