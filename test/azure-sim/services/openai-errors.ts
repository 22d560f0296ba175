import { azureError, gatewayUnauthorized } from '../core/envelopes';
import type { ServiceErrorEnvelopes, SimRequest, SimResponse } from '../core/types';
import { parseOpenAiPath } from './openai-routes';

/** OpenAI-style error body (`message`, `type`, `param`, `code`), used by the model layer. */
export function openAiStyleError(
  status: number,
  message: string,
  options: { param?: string | null; code?: string | null; type?: string } = {},
): SimResponse {
  return {
    status,
    body: {
      kind: 'json',
      value: {
        error: {
          message,
          type: options.type ?? 'invalid_request_error',
          param: options.param ?? null,
          code: options.code ?? null,
        },
      },
    },
  };
}

/** Azure-style 400 when an operation does not fit the deployment's model (recorded). */
export function operationNotSupported(
  operation: 'chatCompletion' | 'embeddings',
  model: string,
): SimResponse {
  return azureError(
    400,
    'OperationNotSupported',
    `The ${operation} operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
  );
}

export function deploymentNotFound(): SimResponse {
  return azureError(
    404,
    'DeploymentNotFound',
    'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
  );
}

/** Missing or unknown api-version on a deployment route. */
export function resourceNotFound(): SimResponse {
  return azureError(404, '404', 'Resource not found');
}

function operationName(req: SimRequest): string {
  return parseOpenAiPath(req.path)?.operation === 'chat' ? 'ChatCompletions_Create' : 'Embeddings_Create';
}

export function createOpenAiErrors(region: string): ServiceErrorEnvelopes {
  return {
    unauthorized: () => gatewayUnauthorized(),
    throttled: (req, retryAfterMs) => {
      const parsed = parseOpenAiPath(req.path);
      const deployment = parsed?.deployment ?? 'deployment';
      const apiVersion = req.query.get('api-version') ?? 'v1';
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      return azureError(
        429,
        'RateLimitReached',
        `Your requests to ${deployment} for ${deployment} in ${region} have exceeded the call rate limit for your current AIServices S0 pricing tier. This request was for ${operationName(req)} under Azure OpenAI API version ${apiVersion}. Please retry after ${seconds} seconds. To increase your default rate limit, visit: https://aka.ms/oai/quotaincrease.`,
      );
    },
    unavailable: () =>
      azureError(
        503,
        'ServiceUnavailable',
        'The service is temporarily unable to process your request. Please try again later.',
      ),
    internalError: () =>
      openAiStyleError(500, 'The server had an error while processing your request. Sorry about that!', {
        type: 'server_error',
      }),
    notFound: () => resourceNotFound(),
  };
}
