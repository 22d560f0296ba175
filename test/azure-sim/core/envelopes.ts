import type { SimResponse } from './types';

/** The Cognitive Services gateway's bad-key message (OpenAI, DI and Vision share it). */
export const GATEWAY_401_MESSAGE =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** `{"error":{"code":"401","message":…}}`: gateway 401, numeric string code, no region header. */
export function gatewayUnauthorized(): SimResponse {
  return {
    status: 401,
    body: { kind: 'json', value: { error: { code: '401', message: GATEWAY_401_MESSAGE } } },
  };
}

/** Generic Cognitive Services 429 (`{"error":{"code":"429",…}}`), as DI and Vision send it. */
export function gatewayTooManyRequests(retryAfterMs: number): SimResponse {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return {
    status: 429,
    body: {
      kind: 'json',
      value: {
        error: {
          code: '429',
          message: `Rate limit is exceeded. Try again in ${seconds} seconds.`,
        },
      },
    },
  };
}

/** `{"error":{"code","message"}}` with an optional `innererror`, the Azure AI services shape. */
export function azureError(
  status: number,
  code: string,
  message: string,
  innererror?: { code: string; message: string },
): SimResponse {
  return {
    status,
    body: { kind: 'json', value: { error: { code, message, ...(innererror ? { innererror } : {}) } } },
  };
}
