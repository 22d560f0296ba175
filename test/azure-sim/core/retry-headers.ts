import type { RetryAfterVariant } from './types';

/** Retry hint headers for a wait of `retryAfterMs`, in each requested variant. */
export function retryAfterHeaders(
  variants: RetryAfterVariant | readonly RetryAfterVariant[],
  retryAfterMs: number,
  nowMs: number,
): Record<string, string> {
  const list: readonly RetryAfterVariant[] = typeof variants === 'string' ? [variants] : variants;
  const headers: Record<string, string> = {};
  for (const variant of list) {
    switch (variant) {
      case 'seconds':
        headers['Retry-After'] = String(Math.ceil(retryAfterMs / 1000));
        break;
      case 'httpDate':
        // HTTP dates have one-second resolution: round up so the client never comes back early.
        headers['Retry-After'] = new Date(Math.ceil((nowMs + retryAfterMs) / 1000) * 1000).toUTCString();
        break;
      case 'ms':
        headers['retry-after-ms'] = String(Math.round(retryAfterMs));
        break;
      case 'xMsMs':
        headers['x-ms-retry-after-ms'] = String(Math.round(retryAfterMs));
        break;
      case 'none':
        break;
    }
  }
  return headers;
}

/**
 * The earliest moment a reply's headers allow a retry (epoch ms), or undefined without a hint.
 * When several hints disagree the client may honour any of them, so the earliest one counts.
 */
export function advertisedRetryAt(
  headers: Readonly<Record<string, string>>,
  nowMs: number,
): number | undefined {
  const candidates: number[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'retry-after-ms' || lower === 'x-ms-retry-after-ms') {
      const ms = Number(value);
      if (Number.isFinite(ms)) candidates.push(nowMs + ms);
    } else if (lower === 'retry-after') {
      const seconds = Number(value);
      if (Number.isFinite(seconds)) candidates.push(nowMs + seconds * 1000);
      else {
        const date = Date.parse(value);
        if (Number.isFinite(date)) candidates.push(date);
      }
    }
  }
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}
