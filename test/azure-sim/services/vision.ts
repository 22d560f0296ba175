import type { DocumentFormat } from '../content';
import {
  contentFailureOf,
  type ImageSize,
  type ReadLine,
  readImageSize,
  readImageText,
  releaseOcr,
  sniffFormat,
} from '../content';
import { cognitiveServicesHeaders, subscriptionKey } from '../core/azure-headers';
import { azureError } from '../core/envelopes';
import type { SimContext, SimReply, SimRequest, SimResponse, SimServiceFactory } from '../core/types';
import {
  invalidImageBytes,
  invalidImageDimensions,
  invalidImageFormat,
  VISION_JSON_HEADERS,
  visionErrors,
} from './vision-errors';
import { parseVisionParams, type VisionParams } from './vision-request';
import { buildVisionResult } from './vision-result';
import { readVisionImage } from './vision-source';

export const VISION_ANALYZE_PATH = '/computervision/imageanalysis:analyze';
const SUPPORTED_API_VERSIONS = new Set(['2023-10-01', '2024-02-01']);
/** Recorded value of `api-supported-versions`. */
const API_SUPPORTED_VERSIONS =
  '4.0-pre1,2022-07-31-preview,2022-10-12-preview,2023-02-01-preview,2023-04-01-preview,2023-06-01-preview,2023-07-01-preview,2023-10-01,2024-02-01';

export interface VisionLimits {
  maxImageBytes: number;
  minImageSide: number;
  maxImageSide: number;
}

export const VISION_LIMITS: VisionLimits = {
  maxImageBytes: 20 * 1024 * 1024,
  minImageSide: 50,
  maxImageSide: 16_000,
};

/** Formats Image Analysis accepts (ICO and MPO are not sniffed; MPO reads as JPEG). */
const acceptedFormats: ReadonlySet<DocumentFormat> = new Set(['jpeg', 'png', 'gif', 'bmp', 'webp', 'tiff']);

type CheckedImage = { bytes: Uint8Array; format: DocumentFormat; size: ImageSize };

function checkImage(bytes: Uint8Array, limits: VisionLimits): CheckedImage | SimResponse {
  if (bytes.length === 0 || bytes.length > limits.maxImageBytes)
    return invalidImageBytes(limits.maxImageBytes);
  const format = sniffFormat(bytes);
  const size = acceptedFormats.has(format) ? readImageSize(bytes, format) : undefined;
  if (!size) return invalidImageFormat();
  const sides = [size.width, size.height];
  if (sides.some((side) => side < limits.minImageSide || side > limits.maxImageSide)) {
    return invalidImageDimensions(limits.minImageSide, limits.maxImageSide);
  }
  return { bytes, format, size };
}

async function textOf(
  image: CheckedImage,
  params: VisionParams,
  signal: AbortSignal,
): Promise<ReadLine[] | SimResponse> {
  // People detection alone does not look at text: no OCR for it.
  if ([...params.features].every((feature) => feature === 'people')) return [];
  try {
    return (await readImageText(image.bytes, image.format, { abortSignal: signal })).lines;
  } catch (error) {
    if (contentFailureOf(error)) return invalidImageFormat();
    throw error;
  }
}

async function handleAnalyze(req: SimRequest, ctx: SimContext, limits: VisionLimits): Promise<SimResponse> {
  const quota = ctx.quotas.take([{ name: 'vision.analyze', cost: 1 }]);
  if (!quota.allowed) return ctx.throttled(quota.retryAfterMs);
  const params = parseVisionParams(req);
  if ('status' in params) return params;
  const startedMs = ctx.now();
  const bytes = await readVisionImage(req, ctx.signal);
  if ('status' in bytes) return bytes;
  const receivedMs = ctx.now();
  const image = checkImage(bytes, limits);
  if ('status' in image) return image;
  const lines = await textOf(image, params, ctx.signal);
  if ('status' in lines) return lines;
  await ctx.work('vision.analyze', 1);
  const processedMs = ctx.now();
  return {
    status: 200,
    headers: {
      ...VISION_JSON_HEADERS,
      // Milliseconds spent receiving the image and analysing it.
      'ms-vision-response-time-input-received': String(receivedMs - startedMs),
      'ms-vision-response-time-input-processed': String(processedMs - receivedMs),
    },
    body: { kind: 'json', value: buildVisionResult(image.size, lines, params) },
    notes: { features: [...params.features].join(','), textLines: lines.length },
  };
}

/** Azure AI Vision Image Analysis 4.0: `imageanalysis:analyze` over the content readers. */
export function createVisionService(limits: VisionLimits = VISION_LIMITS): SimServiceFactory {
  return ({ options }) => ({
    name: 'vision',
    throttleHeaders: 'seconds',
    owns: (req) => req.path.startsWith('/computervision/'),
    routeOf: (req) =>
      req.method === 'POST' && req.path === VISION_ANALYZE_PATH ? 'vision.analyze' : undefined,
    isAuthorized: (req, keys) => subscriptionKey(req) === keys.vision,
    responseHeaders: (req, status) => {
      const headers = cognitiveServicesHeaders(req, status, options.region);
      // Gateway replies (bad key, throttling) come from in front of the service: no service headers.
      if (status === 401 || status === 429) return headers;
      return {
        ...headers,
        'request-id': req.id,
        'api-supported-versions': API_SUPPORTED_VERSIONS,
        ...(status === 200 || status === 400
          ? { 'CSP-Billing-Usage': 'CognitiveServices.ComputerVision.Transaction=1' }
          : {}),
      };
    },
    errors: visionErrors,
    async handle(req: SimRequest, ctx: SimContext): Promise<SimReply> {
      if (!SUPPORTED_API_VERSIONS.has(req.query.get('api-version') ?? '')) {
        return azureError(404, '404', 'Resource not found');
      }
      return handleAnalyze(req, ctx, limits);
    },
    dispose: () => void releaseOcr(),
  });
}

export const createVisionS1Service: SimServiceFactory = createVisionService();
