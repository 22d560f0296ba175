import type { SimRequest, SimResponse } from '../core/types';
import { invalidParameter, modelNotFound } from './document-intelligence-errors';

/**
 * Query parameters of an analyze request, validated the way the service does before it reads
 * the document (page-range bounds are checked later, once the page count is known).
 */

export const SUPPORTED_API_VERSIONS = [
  '2024-11-30',
  '2024-07-31-preview',
  '2024-02-29-preview',
  '2023-10-31-preview',
] as const;
export const SUPPORTED_MODELS = ['prebuilt-read', 'prebuilt-layout'] as const;
export type DiModelId = (typeof SUPPORTED_MODELS)[number];
export type StringIndexType = 'textElements' | 'unicodeCodePoint' | 'utf16CodeUnit';
export type ContentFormat = 'text' | 'markdown';

const stringIndexTypes: readonly StringIndexType[] = ['textElements', 'unicodeCodePoint', 'utf16CodeUnit'];
const knownFeatures = [
  'ocrHighResolution',
  'languages',
  'barcodes',
  'formulas',
  'keyValuePairs',
  'styleFont',
  'queryFields',
];

export interface AnalyzeParams {
  modelId: DiModelId;
  apiVersion: string;
  /** Requested pages in ascending order, or undefined for all. */
  pages?: number[];
  locale?: string;
  stringIndexType: StringIndexType;
  contentFormat: ContentFormat;
  features: string[];
}

export const isSupportedApiVersion = (value: string | null): value is string =>
  value !== null && (SUPPORTED_API_VERSIONS as readonly string[]).includes(value);

/** `1-3,5,7-9` -> [1,2,3,5,7,8,9]; undefined when the syntax is wrong. */
export function parsePageRanges(value: string): number[] | undefined {
  const pages = new Set<number>();
  for (const part of value.split(',').map((piece) => piece.trim())) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return undefined;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first < 1 || last < first || last > 100_000) return undefined;
    for (let page = first; page <= last; page += 1) pages.add(page);
  }
  return [...pages].sort((a, b) => a - b);
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** A BCP-47 tag whose language ICU knows (e.g. `en-US`, `de`, `zh-Hans`). */
export function isValidLocale(value: string): boolean {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    const language = canonical?.split('-')[0];
    return language !== undefined && language.length <= 3 && languageNames.of(language) !== undefined;
  } catch {
    return false;
  }
}

function csv(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** The validated parameters, or the 400/404 the service would answer. */
export function parseAnalyzeParams(
  req: SimRequest,
  modelId: string,
  apiVersion: string,
): AnalyzeParams | SimResponse {
  if (!(SUPPORTED_MODELS as readonly string[]).includes(modelId)) return modelNotFound();
  const query = req.query;
  const locale = query.get('locale') ?? undefined;
  if (locale !== undefined && !isValidLocale(locale)) {
    return invalidParameter('Locale', 'The language code is invalid or not supported.');
  }
  const pagesText = query.get('pages');
  const pages = pagesText === null ? undefined : parsePageRanges(pagesText);
  if (pagesText !== null && !pages) return invalidParameter('pages', 'The page range is invalid.');
  const stringIndexType = query.get('stringIndexType') ?? 'textElements';
  if (!stringIndexTypes.some((known) => known === stringIndexType)) {
    return invalidParameter('stringIndexType', `The value '${stringIndexType}' is not supported.`);
  }
  const contentFormat = query.get('outputContentFormat') ?? 'text';
  if (contentFormat !== 'text' && contentFormat !== 'markdown') {
    return invalidParameter('outputContentFormat', `The value '${contentFormat}' is not supported.`);
  }
  if (contentFormat === 'markdown' && modelId !== 'prebuilt-layout') {
    return invalidParameter('outputContentFormat', 'Markdown output is only supported by prebuilt-layout.');
  }
  const features = csv(query.get('features'));
  const unknown = features.find((feature) => !knownFeatures.includes(feature));
  if (unknown) return invalidParameter('features', `The feature '${unknown}' is not supported.`);
  return {
    modelId: modelId as DiModelId,
    apiVersion,
    ...(pages ? { pages } : {}),
    ...(locale ? { locale } : {}),
    stringIndexType: stringIndexType as StringIndexType,
    contentFormat,
    features,
  };
}
