/**
 * The redaction layer every log record passes through: secrets are replaced, document content
 * is reduced to its size, and long strings are cut, so a careless caller cannot leak either.
 */
import type { LogFields, LogValue } from './types';

export const REDACTED = '[redacted]';

/** Field names (compared without case, `-` and `_`) that hold credentials. */
const SECRET_NAMES = new Set([
  'apikey',
  'ocpapimsubscriptionkey',
  'authorization',
  'key',
  'token',
  'accesstoken',
  'secret',
  'clientsecret',
  'password',
  'cookie',
  'setcookie',
]);

/** Field names that carry document or query content: logged as a character count only. */
const CONTENT_NAMES = new Set([
  'text',
  'content',
  'input',
  'inputs',
  'body',
  'markdown',
  'snippet',
  'caption',
  'query',
  'searchtext',
  'prompt',
  'question',
  'answer',
  'chunk',
  'document',
]);

/** Strings longer than this are cut: a diagnostic field is never a page of text. */
export const MAX_LOGGED_STRING_CHARS = 400;

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/gu, '');
}

export function isSecretField(name: string): boolean {
  const normalized = normalizedName(name);
  return SECRET_NAMES.has(normalized) || normalized.endsWith('apikey') || normalized.endsWith('secret');
}

export function isContentField(name: string): boolean {
  return CONTENT_NAMES.has(normalizedName(name));
}

/** `api-key=…`, `Bearer …` and subscription-key pairs inside free text (error messages, URLs). */
const INLINE_SECRET_PATTERNS: readonly RegExp[] = [
  /(api[-_]?key|subscription[-_]?key|access[-_]?token|sig|code)=([^&\s"']+)/giu,
  /(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gu,
];

/** `value` with known secrets and inline credentials removed, cut to a diagnostic length. */
export function scrubText(value: string, secrets: readonly string[] = []): string {
  let scrubbed = value;
  for (const secret of secrets) if (secret.length >= 4) scrubbed = scrubbed.split(secret).join(REDACTED);
  scrubbed = scrubbed
    .replace(INLINE_SECRET_PATTERNS[0] as RegExp, (_match, name: string) => `${name}=${REDACTED}`)
    .replace(INLINE_SECRET_PATTERNS[1] as RegExp, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  return scrubbed.length > MAX_LOGGED_STRING_CHARS
    ? `${scrubbed.slice(0, MAX_LOGGED_STRING_CHARS - 1)}…`
    : scrubbed;
}

function contentSize(value: LogValue | readonly LogValue[]): string {
  if (Array.isArray(value)) return `[omitted: ${value.length} items]`;
  if (typeof value === 'string') return `[omitted: ${value.length} chars]`;
  return '[omitted]';
}

function redactValue(value: LogValue, secrets: readonly string[]): LogValue {
  return typeof value === 'string' ? scrubText(value, secrets) : value;
}

/**
 * A copy of `fields` safe to write: secret-named fields become `[redacted]`, content-named fields
 * become their size, known secret values and inline credentials are scrubbed from every string.
 */
export function redactFields(fields: LogFields, secrets: readonly string[] = []): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (isSecretField(name)) safe[name] = REDACTED;
    else if (isContentField(name)) safe[name] = contentSize(value);
    else if (Array.isArray(value)) safe[name] = value.map((item: LogValue) => redactValue(item, secrets));
    else safe[name] = redactValue(value as LogValue, secrets);
  }
  return safe;
}
