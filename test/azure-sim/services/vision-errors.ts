import { gatewayTooManyRequests, gatewayUnauthorized } from '../core/envelopes';
import type { ServiceErrorEnvelopes, SimResponse } from '../core/types';

/**
 * Image Analysis error replies: `{"error":{code,message,innererror?}}` with the top-level code
 * repeated in `x-ms-error-code` (as in the recorded 400).
 */
/** The service (not the gateway) labels its JSON with a charset, as the recordings show. */
export const VISION_JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' } as const;

export function visionError(
  status: number,
  code: string,
  message: string,
  inner?: { code: string; message: string },
): SimResponse {
  return {
    status,
    headers: { ...VISION_JSON_HEADERS, 'x-ms-error-code': code },
    body: { kind: 'json', value: { error: { code, message, ...(inner ? { innererror: inner } : {}) } } },
  };
}

const invalidRequest = (message: string, innerCode?: string): SimResponse =>
  visionError(400, 'InvalidRequest', message, innerCode ? { code: innerCode, message } : undefined);

/** Recorded verbatim (error-400-url-not-accessible.json): no innererror. */
export const urlNotAccessible = (): SimResponse =>
  invalidRequest('The provided image url is not accessible.');

export const invalidImageFormat = (): SimResponse =>
  invalidRequest('Input data is not a valid image.', 'InvalidImageFormat');

export const invalidImageBytes = (maxBytes: number): SimResponse =>
  invalidRequest(
    `The image size is not allowed to be zero or larger than ${maxBytes} bytes.`,
    'InvalidImageSize',
  );

export const invalidImageDimensions = (minSide: number, maxSide: number): SimResponse =>
  invalidRequest(
    `The image dimension is not allowed to be smaller than ${minSide} and larger than ${maxSide}.`,
    'InvalidImageSize',
  );

export const featuresMissing = (): SimResponse =>
  invalidRequest("Either 'features' or 'model-name' needs to be specified");

export const unsupportedFeature = (feature: string): SimResponse =>
  invalidRequest(`The feature '${feature}' is not supported.`, 'NotSupportedVisualFeature');

export const unsupportedLanguage = (language: string): SimResponse =>
  invalidRequest(
    `The language '${language}' is not supported for the requested features.`,
    'NotSupportedLanguage',
  );

export const badArgument = (message: string): SimResponse => invalidRequest(message, 'BadArgument');

export const unsupportedMediaType = (): SimResponse =>
  visionError(
    415,
    'InvalidRequest',
    'The content type is not supported. Use application/octet-stream or application/json.',
  );

export const visionErrors: ServiceErrorEnvelopes = {
  unauthorized: () => gatewayUnauthorized(),
  throttled: (_req, retryAfterMs) => gatewayTooManyRequests(retryAfterMs),
  unavailable: () =>
    visionError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Try again later.'),
  internalError: () => visionError(500, 'InternalServerError', 'An unexpected error occurred.'),
  notFound: () => visionError(404, 'NotFound', 'Resource not found.'),
};
