import type { HeaderReader } from '../../pipeline/scheduler/types';

/**
 * Header access over the shapes the SDKs hand us: fetch `Headers` (openai), Azure core
 * `HttpHeaders` (RestError responses) and the plain records `@azure-rest/*` responses carry.
 */
export function headerReader(headers: unknown): HeaderReader {
  if (isReader(headers)) return headers;
  if (headers && typeof headers === 'object') {
    const lower = new Map<string, string>();
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === 'string') lower.set(name.toLowerCase(), value);
      else if (typeof value === 'number') lower.set(name.toLowerCase(), String(value));
      else if (Array.isArray(value)) lower.set(name.toLowerCase(), value.join(', '));
    }
    return { get: (name) => lower.get(name.toLowerCase()) };
  }
  return { get: () => undefined };
}

function isReader(value: unknown): value is HeaderReader {
  return (
    typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function'
  );
}

const REQUEST_ID_HEADERS = ['apim-request-id', 'x-request-id', 'x-ms-request-id', 'request-id'] as const;

/** The service's id for the request (what Azure support asks for), from the usual headers. */
export function requestIdFrom(headers: HeaderReader): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
