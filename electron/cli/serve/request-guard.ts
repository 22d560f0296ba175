import type { IncomingMessage } from 'node:http';

/**
 * Names under which the host may be addressed. Checking `Host` defeats DNS rebinding (a page on
 * evil.example re-pointed at 127.0.0.1 still sends `Host: evil.example`).
 */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): ReadonlySet<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function hasAllowedHost(request: IncomingMessage, hosts: ReadonlySet<string>): boolean {
  const host = request.headers.host;
  return host !== undefined && hosts.has(host.toLowerCase());
}

/** Browsers always send Origin on WebSocket upgrades; non-browser clients (scripts, tests) may omit it. */
export function hasAllowedOrigin(request: IncomingMessage, origins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origins.has(origin.toLowerCase());
}

/** The request's path and query, parsed against a fixed base (the Host header is not trusted for this). */
export function requestUrl(request: IncomingMessage): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    return null;
  }
}
