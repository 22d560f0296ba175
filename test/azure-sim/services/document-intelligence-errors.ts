import type { ContentFailure } from '../content';
import { gatewayTooManyRequests, gatewayUnauthorized } from '../core/envelopes';
import type { ServiceErrorEnvelopes, SimResponse } from '../core/types';

/**
 * Document Intelligence error replies: `{"error":{code,message,innererror?}}` with the
 * `ms-azure-ai-errorcode` header naming the top-level code (as in the error-400 recordings).
 * Codes and default messages follow the service's v4 error guide.
 */

export interface DiInnerError {
  code: string;
  message: string;
}

/** The service (not the gateway) labels its JSON with a charset, as every DI recording shows. */
export const DI_JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' } as const;

export function diError(
  status: number,
  code: string,
  message: string,
  innererror?: DiInnerError,
): SimResponse {
  return {
    status,
    headers: { ...DI_JSON_HEADERS, 'ms-azure-ai-errorcode': code },
    body: { kind: 'json', value: { error: { code, message, ...(innererror ? { innererror } : {}) } } },
  };
}

export const invalidArgument = (inner: DiInnerError): SimResponse =>
  diError(400, 'InvalidArgument', 'Invalid argument.', inner);

export const invalidRequest = (inner: DiInnerError): SimResponse =>
  diError(400, 'InvalidRequest', 'Invalid request.', inner);

/** `The parameter {name} is invalid: {details}` — the recorded wording for locale and pages. */
export const invalidParameter = (name: string, details: string): SimResponse =>
  invalidArgument({ code: 'InvalidParameter', message: `The parameter ${name} is invalid: ${details}` });

export const parameterMissing = (name: string): SimResponse =>
  invalidArgument({ code: 'ParameterMissing', message: `The parameter ${name} is required.` });

export const invalidContent = (): SimResponse =>
  invalidRequest({
    code: 'InvalidContent',
    message:
      'The file is corrupted or format is unsupported. Refer to documentation for the list of supported formats.',
  });

export const contentTooLarge = (): SimResponse =>
  invalidRequest({
    code: 'InvalidContentLength',
    message: 'The input image is too large. Refer to documentation for the maximum file size.',
  });

export const contentDimensionsOutOfRange = (): SimResponse =>
  invalidRequest({
    code: 'InvalidContentDimensions',
    message:
      'The input image dimensions are out of range. Refer to documentation for supported image dimensions.',
  });

export const contentNotAccessible = (details: string): SimResponse =>
  invalidRequest({ code: 'ContentSourceNotAccessible', message: `Content isn't accessible: ${details}` });

export const unsupportedMediaType = (): SimResponse =>
  diError(415, 'UnsupportedMediaType', "Request content type isn't supported.");

export const modelNotFound = (): SimResponse =>
  diError(404, 'NotFound', 'Resource not found.', {
    code: 'ModelNotFound',
    message: "The requested model wasn't found. It may have been deleted or is still building.",
  });

export const operationNotFound = (): SimResponse =>
  diError(404, 'NotFound', 'Resource not found.', {
    code: 'OperationNotFound',
    message: "The requested operation wasn't found. The identifier is invalid or the operation is expired.",
  });

/** How each unreadable-content case surfaces on the analyze POST. */
export function contentFailureReply(failure: ContentFailure): SimResponse {
  switch (failure) {
    case 'encrypted':
      return invalidRequest({
        code: 'UnsupportedContent',
        message: "Content isn't supported: the document is password protected.",
      });
    case 'unsupported_format':
      return invalidRequest({
        code: 'UnsupportedContent',
        message: "Content isn't supported: the document format is not supported.",
      });
    case 'empty':
    case 'corrupt':
      return invalidContent();
  }
}

/** The envelopes the core asks for: gateway 401/429, and DI's own 500/503/404. */
export const documentIntelligenceErrors: ServiceErrorEnvelopes = {
  unauthorized: () => gatewayUnauthorized(),
  throttled: (_req, retryAfterMs) => gatewayTooManyRequests(retryAfterMs),
  unavailable: () => diError(503, 'ServiceUnavailable', 'A transient error occurred. Try again.'),
  internalError: () => diError(500, 'InternalServerError', 'An unexpected error occurred.'),
  notFound: () => diError(404, 'NotFound', 'Resource not found.'),
};
