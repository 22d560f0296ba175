/**
 * The simulator never reaches the network. A URL source on a loopback address (a test's own
 * file server) is fetched; anything else, or a failed fetch, comes back as undefined, which the
 * services answer as a source they could not download.
 */

const fetchTimeoutMs = 10_000;
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackUrl(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && loopbackHosts.has(url.hostname);
}

/** Bytes behind a loopback URL; undefined when not loopback or not fetchable. Rethrows on abort. */
export async function fetchLoopback(url: URL, signal: AbortSignal): Promise<Uint8Array | undefined> {
  if (!isLoopbackUrl(url)) return undefined;
  try {
    const response = await fetch(url, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(fetchTimeoutMs)]),
    });
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
  } catch (error) {
    if (signal.aborted) throw error;
    return undefined;
  }
}
