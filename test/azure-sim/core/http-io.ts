import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimBody, SimRequest } from './types';

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Reads the whole request into a SimRequest (rejects with BodyTooLargeError over the limit). */
export async function readSimRequest(
  req: IncomingMessage,
  receivedAtMs: number,
  maxBodyBytes: number,
): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError(maxBodyBytes);
    chunks.push(buffer);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  return {
    id: randomUUID(),
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodePath(url.pathname),
    rawPath: url.pathname,
    query: url.searchParams,
    headers: flattenHeaders(req),
    body: Buffer.concat(chunks),
    receivedAtMs,
  };
}

/** Case-insensitive header merge: later sources win, the later source's spelling is kept. */
export function mergeHeaders(
  ...sources: ReadonlyArray<Readonly<Record<string, string>> | undefined>
): Record<string, string> {
  const merged = new Map<string, [string, string]>();
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of Object.entries(source)) merged.set(name.toLowerCase(), [name, value]);
  }
  return Object.fromEntries(merged.values());
}

export function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === lower);
}

/** Serialises a non-stream body and the Content-Type it implies. */
export function encodeBody(body: Exclude<SimBody, { kind: 'stream' }>): {
  bytes: Buffer;
  contentType?: string;
} {
  switch (body.kind) {
    case 'empty':
      return { bytes: Buffer.alloc(0) };
    case 'json':
      return { bytes: Buffer.from(JSON.stringify(body.value), 'utf8'), contentType: 'application/json' };
    case 'text':
      return { bytes: Buffer.from(body.text, 'utf8'), contentType: 'text/plain; charset=utf-8' };
    case 'bytes':
      return { bytes: body.bytes, contentType: 'application/octet-stream' };
  }
}

/** Writes one chunk, waiting for drain; false when the socket is gone. */
export function writeChunk(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const ok = res.write(chunk, (error) => {
      if (error) resolve(false);
    });
    if (ok) resolve(true);
    else res.once('drain', () => resolve(true));
  });
}

/** Destroys the socket with a TCP RST where the platform allows (a true "connection reset"). */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else res.destroy();
}
