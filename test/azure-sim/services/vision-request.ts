import type { SimRequest, SimResponse } from '../core/types';
import { badArgument, featuresMissing, unsupportedFeature, unsupportedLanguage } from './vision-errors';

export const VISION_FEATURES = [
  'caption',
  'denseCaptions',
  'tags',
  'objects',
  'read',
  'people',
  'smartCrops',
] as const;
export type VisionFeature = (typeof VISION_FEATURES)[number];

export interface VisionParams {
  features: Set<VisionFeature>;
  language: string;
  /** Requested crop ratios (0.75..1.8), empty for the service's own pick. */
  aspectRatios: number[];
}

/** Captions exist only in English; the other features accept these languages here. */
const captionLanguages = new Set(['en']);
const otherLanguages = new Set([
  'en',
  'de',
  'es',
  'fr',
  'it',
  'ja',
  'ko',
  'nl',
  'pt',
  'zh',
  'zh-hans',
  'zh-hant',
]);

/** Query values by case-insensitive name, csv-split (SDKs send `smartCrops-…` and `smartcrops-…`). */
function listParam(req: SimRequest, name: string): string[] {
  const wanted = name.toLowerCase();
  return [...req.query.entries()]
    .filter(([key]) => key.toLowerCase() === wanted)
    .flatMap(([, value]) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

export function parseVisionParams(req: SimRequest): VisionParams | SimResponse {
  const requested = listParam(req, 'features');
  if (requested.length === 0) return featuresMissing();
  const features = new Set<VisionFeature>();
  for (const name of requested) {
    const feature = VISION_FEATURES.find((known) => known.toLowerCase() === name.toLowerCase());
    if (!feature) return unsupportedFeature(name);
    features.add(feature);
  }
  const language = (listParam(req, 'language')[0] ?? 'en').toLowerCase();
  const captions = features.has('caption') || features.has('denseCaptions');
  if ((captions && !captionLanguages.has(language)) || !otherLanguages.has(language))
    return unsupportedLanguage(language);
  const aspectRatios: number[] = [];
  for (const text of listParam(req, 'smartcrops-aspect-ratios')) {
    const ratio = Number(text);
    if (!Number.isFinite(ratio) || ratio < 0.75 || ratio > 1.8) {
      return badArgument('The aspect ratio must be a number between 0.75 and 1.8.');
    }
    aspectRatios.push(Math.round(ratio * 100) / 100);
  }
  return { features, language, aspectRatios };
}
