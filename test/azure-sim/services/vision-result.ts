import type { Box, ImageSize, ReadLine } from '../content';
import { captionOf, denseCaptionsOf, objectsOf, smartCropsOf, tagsOf } from './vision-describe';
import type { VisionParams } from './vision-request';

/** Image Analysis 4.0 reports one model version for 2023-10-01 and 2024-02-01. */
export const VISION_MODEL_VERSION = '2023-10-01';

const pointsOf = (box: Box): { x: number; y: number }[] => {
  const left = Math.round(box.x);
  const top = Math.round(box.y);
  const right = Math.round(box.x + box.width);
  const bottom = Math.round(box.y + box.height);
  return [
    { x: left, y: top },
    { x: right, y: top },
    { x: right, y: bottom },
    { x: left, y: bottom },
  ];
};

function readResultOf(lines: readonly ReadLine[]): { blocks: { lines: unknown[] }[] } {
  if (lines.length === 0) return { blocks: [] };
  const out = lines.map((line) => ({
    text: line.text,
    boundingPolygon: line.box ? pointsOf(line.box) : [],
    words: line.words.map((word) => ({
      text: word.text,
      boundingPolygon: word.box ? pointsOf(word.box) : [],
      confidence: word.confidence,
    })),
  }));
  return { blocks: [{ lines: out }] };
}

/** The 200 body: `modelVersion`, `metadata`, and one `…Result` per requested feature only. */
export function buildVisionResult(
  size: ImageSize,
  lines: readonly ReadLine[],
  params: VisionParams,
): Record<string, unknown> {
  const wants = (feature: Parameters<VisionParams['features']['has']>[0]): boolean =>
    params.features.has(feature);
  return {
    modelVersion: VISION_MODEL_VERSION,
    ...(wants('caption') ? { captionResult: captionOf(size, lines) } : {}),
    ...(wants('denseCaptions') ? { denseCaptionsResult: { values: denseCaptionsOf(size, lines) } } : {}),
    metadata: { width: size.width, height: size.height },
    ...(wants('tags') ? { tagsResult: { values: tagsOf(size, lines) } } : {}),
    ...(wants('objects') ? { objectsResult: { values: objectsOf(lines) } } : {}),
    ...(wants('read') ? { readResult: readResultOf(lines) } : {}),
    ...(wants('smartCrops')
      ? { smartCropsResult: { values: smartCropsOf(size, lines, params.aspectRatios) } }
      : {}),
    ...(wants('people') ? { peopleResult: { values: [] } } : {}),
  };
}
