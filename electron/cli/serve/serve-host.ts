import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { QuarryError } from '../../contract/errors';
import { WS_PATH } from '../../contract/ws-protocol';
import type { Engine } from '../../engine/engine';
import { contentSecurityPolicy } from '../../engine/transport/csp';
import { accessTokenMatches, createAccessToken } from './access-token';
import { allowedHosts, allowedOrigins, hasAllowedHost, hasAllowedOrigin, requestUrl } from './request-guard';
import { findStaticFile, resolveStaticPath, sendStaticFile } from './static-files';
import { broadcast, serialise, serveWsClient } from './ws-bridge';

export interface ServeHostOptions {
  /** The engine to expose (only its calls and events are used); the host never closes it, its owner does. */
  engine: Pick<Engine, 'handlers' | 'onEvent'>;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** The built renderer (dist/renderer), holding index.html. */
  rendererDir: string;
  /** Aborting closes the host, like `close()`. */
  abortSignal?: AbortSignal;
  /** Unsent backlog at which a client that is not reading is dropped (default 32 MB). */
  maxBufferedBytes?: number;
}

export interface ServeHost {
  /** `http://127.0.0.1:P/?token=...`: the only way in. */
  url: string;
  port: number;
  token: string;
  /** Disconnects every client and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Uploads arrive base64-encoded inside `startIngest`, so one frame may be large. */
const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const HEARTBEAT_INTERVAL_IN_MS = 30_000;
const CLOSE_GRACE_IN_MS = 250;

/**
 * The browser host behind `quarry serve`: the built renderer over HTTP and the contract over a
 * WebSocket, on 127.0.0.1 only, both guarded by a random token (and Host/Origin checks).
 */
export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  if (options.abortSignal?.aborted)
    throw new QuarryError('cancelled', 'Serving was cancelled before it started');
  const token = createAccessToken();
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0);
  // stdout belongs to the CLI's JSON line; a failing accept() must not crash the host either.
  server.on('error', (error) => console.error('quarry serve: server error:', error.message));
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;

  const hosts = allowedHosts(port);
  const origins = allowedOrigins(port);
  const securityHeaders = responseSecurityHeaders(port);
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
  });
  const alive = new WeakSet<WebSocket>();

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    handleHttpRequest(request, response, { rendererDir: options.rendererDir, token, hosts }).catch(() => {
      if (response.headersSent) response.destroy();
      else sendText(response, 500, 'Internal error.');
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = upgradeRefusal(request, { token, hosts, origins });
    if (refusal !== null) {
      refuseUpgrade(socket, refusal);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      alive.add(client);
      client.on('pong', () => alive.add(client));
      serveWsClient(client, { handlers: options.engine.handlers, maxBufferedBytes });
    });
  });

  const unsubscribe = options.engine.onEvent((event) => {
    if (sockets.clients.size > 0) broadcast(sockets.clients, serialise({ event }), maxBufferedBytes);
  });

  const heartbeat = startHeartbeat(sockets.clients, alive);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      options.abortSignal?.removeEventListener('abort', onAbort);
      unsubscribe();
      clearInterval(heartbeat);
      await disconnectAll(sockets.clients);
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })();
    return closing;
  };
  const onAbort = () => void close();
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  // Aborted while we were binding the port: the listener above came too late to hear it.
  if (options.abortSignal?.aborted) void close();

  return { url: `http://127.0.0.1:${port}/?token=${token}`, port, token, close };
}

function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new QuarryError(
              'invalid_input',
              `Port ${port} on 127.0.0.1 is already in use; pick another with --port.`,
              {
                reason: 'port_in_use',
                cause: error,
              },
            )
          : new QuarryError('service', `Cannot listen on 127.0.0.1:${port}: ${error.message}`, {
              cause: error,
            }),
      );
    };
    server.once('error', onError);
    // Loopback only: the host is for the person at this machine, never the network.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function responseSecurityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({
      connectSrc: ["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
    }),
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page URL: never let it leak through a Referer header.
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

async function handleHttpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: { rendererDir: string; token: string; hosts: ReadonlySet<string> },
): Promise<void> {
  const url = requestUrl(request);
  if (!hasAllowedHost(request, context.hosts))
    return sendText(response, 403, 'Forbidden: unexpected Host header.');
  if (url === null) return sendText(response, 400, 'Bad request.');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return sendText(response, 405, 'Method not allowed.');
  }
  const isIndex = url.pathname === '/' || url.pathname === '/index.html';
  if (isIndex && !accessTokenMatches(context.token, url.searchParams.get('token'))) {
    return sendText(
      response,
      403,
      'Quarry: this page needs its access token. Open the exact URL that `quarry serve` printed (it ends in ?token=...).',
    );
  }
  const filePath = resolveStaticPath(context.rendererDir, isIndex ? '/index.html' : url.pathname);
  const file = filePath === null ? null : await findStaticFile(context.rendererDir, filePath);
  if (filePath === null || file === null) return sendText(response, 404, 'Not found.');
  response.setHeader('Cache-Control', isIndex ? 'no-store' : 'no-cache');
  await sendStaticFile(response, filePath, { size: file.size, headOnly: request.method === 'HEAD' });
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Cache-Control', 'no-store');
  response.end(`${text}\n`);
}

interface UpgradeRefusal {
  status: 401 | 403 | 404;
  reason: string;
}

function upgradeRefusal(
  request: IncomingMessage,
  context: { token: string; hosts: ReadonlySet<string>; origins: ReadonlySet<string> },
): UpgradeRefusal | null {
  const url = requestUrl(request);
  if (url === null || url.pathname !== WS_PATH) return { status: 404, reason: 'Not Found' };
  if (!hasAllowedHost(request, context.hosts)) return { status: 403, reason: 'Forbidden' };
  if (!hasAllowedOrigin(request, context.origins)) return { status: 403, reason: 'Forbidden' };
  if (!accessTokenMatches(context.token, url.searchParams.get('token')))
    return { status: 401, reason: 'Unauthorized' };
  return null;
}

function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${
      refusal.reason.length
    }\r\n\r\n${refusal.reason}`,
  );
}

/** Drops clients whose connection died silently (no pong since the previous ping). */
function startHeartbeat(clients: Set<WebSocket>, alive: WeakSet<WebSocket>): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const client of clients) {
      if (!alive.has(client)) {
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, HEARTBEAT_INTERVAL_IN_MS);
  timer.unref();
  return timer;
}

async function disconnectAll(clients: Set<WebSocket>): Promise<void> {
  await Promise.all(
    [...clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            client.terminate();
            resolve();
          }, CLOSE_GRACE_IN_MS);
          client.once('close', () => {
            clearTimeout(force);
            resolve();
          });
          client.close(1001, 'Quarry is shutting down');
        }),
    ),
  );
}
