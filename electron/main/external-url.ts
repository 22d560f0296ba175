/**
 * Links the app may hand to the system browser: plain http(s) URLs without embedded credentials.
 * Anything else (file:, javascript:, custom schemes that launch local programs) is refused.
 * Pure (no 'electron' import) so it can be tested in Node.
 */
export function externalUrlToOpen(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.hostname === '') return null;
  return parsed.href;
}
