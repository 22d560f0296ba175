/**
 * The Azure AI Vision extractor for photos and other images: one Image Analysis 4.0 call (caption,
 * tags, read) through the `vision` limiter. Images outside the service's limits (20 MB,
 * 50..16,000 px per side) are downscaled first where possible, otherwise refused before the call.
 */
import { readFile } from 'node:fs/promises';
import imageAnalysisDefault, {
  type ImageAnalysisClient,
  type ImageAnalysisResultOutput,
  isUnexpected,
} from '@azure-rest/ai-vision-image-analysis';
import { QuarryError } from '../../../contract';
import type { ServiceLimiter } from '../../pipeline/scheduler/types';
import type { CallOptions, ExtractedDocument, Extractor, SourceFile } from '../../types';
import { azureClientOptions, azureCredential } from './azure-clients';
import type { VisionConfig } from './azure-config';
import { httpErrorFromResponse, toQuarryError } from './errors';
import { fitImage, type ImageLimits } from './image-fit';
import { visionToDocument } from './vision-to-document';

type ClientFactory = typeof imageAnalysisDefault;
/**
 * The package is CommonJS only: Node's ESM loader hands over its `exports` object as the default
 * import (the factory is `.default` on it), while bundlers unwrap it. Accept both.
 */
const createImageAnalysisClient: ClientFactory =
  typeof imageAnalysisDefault === 'function'
    ? imageAnalysisDefault
    : (imageAnalysisDefault as unknown as { default: ClientFactory }).default;

/** Formats Image Analysis 4.0 reads. */
export const VISION_MIME_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/bmp',
  'image/webp',
  'image/tiff',
  'image/x-icon',
  'image/vnd.microsoft.icon',
];

export const VISION_LIMITS: ImageLimits = { maxBytes: 20 * 1024 * 1024, minSide: 50, maxSide: 16_000 };

/** Larger files are not even read into memory to be downscaled. */
const MAX_DOWNSCALE_INPUT_BYTES = 256 * 1024 * 1024;
const SERVICE = 'Azure AI Vision';

export interface VisionExtractorOptions {
  config: VisionConfig;
  limiter: ServiceLimiter;
  limits?: ImageLimits;
  /** Caption language (captions exist in English only). */
  language?: string;
  /** A client to use instead of one built from `config` (tests). */
  client?: ImageAnalysisClient;
}

export function createVisionClient(config: VisionConfig): ImageAnalysisClient {
  return createImageAnalysisClient(config.endpoint, azureCredential(config.auth), {
    apiVersion: config.apiVersion,
    ...azureClientOptions(config.endpoint),
  });
}

export function createVisionExtractor(options: VisionExtractorOptions): Extractor {
  const { config, limiter } = options;
  const client = options.client ?? createVisionClient(config);
  const limits = options.limits ?? VISION_LIMITS;
  const language = options.language ?? 'en';
  const context = { service: 'vision', endpoint: config.endpoint };

  async function analyze(
    bytes: Uint8Array,
    abortSignal: AbortSignal | undefined,
  ): Promise<ImageAnalysisResultOutput> {
    return limiter.run(
      async (signal) => {
        let response: Awaited<ReturnType<ReturnType<ImageAnalysisClient['path']>['post']>>;
        try {
          response = await client.path('/imageanalysis:analyze').post({
            contentType: 'application/octet-stream',
            body: bytes,
            queryParameters: { features: config.features, language, 'gender-neutral-caption': true },
            abortSignal: signal,
          });
        } catch (error) {
          throw toQuarryError(error, context);
        }
        if (isUnexpected(response)) throw httpErrorFromResponse(response, context);
        return response.body;
      },
      { ...(abortSignal ? { abortSignal } : {}) },
    );
  }

  return {
    mimeTypes: VISION_MIME_TYPES,
    async extract(file: SourceFile, callOptions: CallOptions = {}): Promise<ExtractedDocument> {
      callOptions.abortSignal?.throwIfAborted();
      if (!VISION_MIME_TYPES.includes(file.mimeType)) {
        throw new QuarryError('unsupported', `${SERVICE} cannot read ${file.name} (${file.mimeType})`, {
          reason: 'unsupported_type',
        });
      }
      if (file.size > MAX_DOWNSCALE_INPUT_BYTES) {
        throw new QuarryError(
          'invalid_input',
          `${file.name} is ${Math.round(file.size / (1024 * 1024))} MB; ${SERVICE} accepts at most ${limits.maxBytes / (1024 * 1024)} MB and the image is too large to downscale.`,
          { reason: 'too_large' },
        );
      }
      const bytes = new Uint8Array(await readFile(file.diskPath));
      const fitted = await fitImage(bytes, limits, { what: file.name, service: SERVICE });
      callOptions.abortSignal?.throwIfAborted();
      const result = await analyze(fitted.bytes, callOptions.abortSignal);
      return visionToDocument(result, {
        mimeType: file.mimeType,
        scaleBack: fitted.scaleBack,
        ...(fitted.width !== undefined && fitted.height !== undefined
          ? { width: fitted.width, height: fitted.height }
          : {}),
      });
    },
  };
}
