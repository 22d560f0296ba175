import type { HeaderReader } from '../../pipeline/scheduler/types';

/**
 * How long a 429/503 asked the client to wait, in ms, or undefined when it gave no usable hint.
 * Order as the Azure SDK's throttling strategy reads them: `retry-after-ms`, `x-ms-retry-after-ms`,
 * then `Retry-After` (delta seconds, or an HTTP date; a date in the past means 0).
 */
export function parseRetryAfterMs(headers: HeaderReader, nowMs: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = parseNumber(headers.get(name));
    if (ms !== undefined) return Math.ceil(ms);
  }
  const retryAfter = headers.get('retry-after')?.trim();
  if (!retryAfter) return undefined;
  const seconds = parseNumber(retryAfter);
  if (seconds !== undefined) return Math.ceil(seconds * 1000);
  // Only a real HTTP date: Date.parse would also accept loose strings like "5".
  if (!/[a-z]/i.test(retryAfter)) return undefined;
  const dateMs = Date.parse(retryAfter);
  if (!Number.isFinite(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}

function parseNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : undefined;
}
