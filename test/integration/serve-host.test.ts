import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ServeHost, startServeHost } from '../../electron/cli/serve/serve-host';
import type { EngineEvent } from '../../electron/contract';
import { createFakeEngine, type FakeEngine } from '../helpers/fake-engine';

const INDEX_HTML = '<!doctype html><html><head><title>Quarry test</title></head><body>renderer</body></html>';
const SECRET = 'top secret outside the renderer folder';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpRequest(
  port: number,
  requestPath: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: requestPath,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type Connection = { kind: 'open'; socket: WebSocket } | { kind: 'refused'; status: number };

function openSocket(url: string, options: { origin?: string } = {}): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.origin === undefined ? {} : { origin: options.origin });
    socket.once('open', () => resolve({ kind: 'open', socket }));
    socket.once('unexpected-response', (req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      req.destroy();
    });
    socket.once('error', reject);
  });
}

async function openTrustedSocket(host: ServeHost): Promise<WebSocket> {
  const connection = await openSocket(wsUrl(host, host.token), { origin: `http://127.0.0.1:${host.port}` });
  if (connection.kind !== 'open') throw new Error(`refused with ${connection.status}`);
  return connection.socket;
}

function wsUrl(host: ServeHost, token: string | null): string {
  return `ws://127.0.0.1:${host.port}/ws${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
}

/** Collects server messages so a test can wait for the one it expects. */
function inbox(socket: WebSocket) {
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    received.push(JSON.parse(data.toString()));
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    received,
    async next<T>(predicate: (message: unknown) => message is T, timeoutInMs = 5000): Promise<T> {
      const deadline = Date.now() + timeoutInMs;
      for (;;) {
        const found = received.find(predicate);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error('timed out waiting for a message');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

const answerTo =
  (id: number) =>
  (
    message: unknown,
  ): message is {
    id: number;
    result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  } =>
    typeof message === 'object' && message !== null && 'id' in message && message.id === id;

const isEvent = (message: unknown): message is { event: EngineEvent } =>
  typeof message === 'object' && message !== null && 'event' in message;

function waitForClose(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve(1006);
    else socket.once('close', (code) => resolve(code));
  });
}

function serviceStateEvent(message: string): EngineEvent {
  return {
    type: 'service.state',
    state: { service: 'embeddings', state: 'throttled', resumeAt: null, message },
  };
}

describe('startServeHost', () => {
  let workDir: string;
  let rendererDir: string;
  let engine: FakeEngine;
  let host: ServeHost;

  beforeEach(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'quarry-serve-'));
    rendererDir = path.join(workDir, 'renderer');
    await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), INDEX_HTML);
    await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
    await writeFile(path.join(rendererDir, '.env'), SECRET);
    await writeFile(path.join(workDir, 'secret.txt'), SECRET);
    await symlink(path.join(workDir, 'secret.txt'), path.join(rendererDir, 'assets', 'link.txt'));
    engine = createFakeEngine();
    host = await startServeHost({ engine, port: 0, rendererDir });
  });

  afterEach(async () => {
    await host.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('prints a loopback URL carrying a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses the page without the token and serves it, with a strict CSP, with the token', async () => {
    const missing = await httpRequest(host.port, '/');
    expect(missing.status).toBe(403);
    expect(missing.body).toContain('access token');
    expect(missing.body).not.toContain('renderer');
    expect((await httpRequest(host.port, '/?token=wrong')).status).toBe(403);
    expect((await httpRequest(host.port, '/index.html')).status).toBe(403);

    const page = await httpRequest(host.port, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`ws://127.0.0.1:${host.port}`);
    expect(csp).not.toContain('unsafe');
  });

  it('serves assets with their content type and refuses other methods and foreign Host headers', async () => {
    const script = await httpRequest(host.port, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toBe('console.log("app");');
    expect((await httpRequest(host.port, '/assets/missing.js')).status).toBe(404);
    expect((await httpRequest(host.port, '/assets/app.js', { method: 'POST' })).status).toBe(405);
    const rebound = await httpRequest(host.port, `/?token=${host.token}`, {
      headers: { Host: 'evil.example' },
    });
    expect(rebound.status).toBe(403);
  });

  it('never serves anything outside the renderer folder', async () => {
    for (const attempt of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%5c%2e%2e%5csecret.txt',
      '/%00/secret.txt',
      '/.env',
      '/assets/link.txt',
      '/assets',
    ]) {
      const answer = await httpRequest(host.port, attempt);
      expect([400, 403, 404], attempt).toContain(answer.status);
      expect(answer.body, attempt).not.toContain(SECRET);
    }
  });

  it('rejects WebSocket upgrades without the token, with a wrong token, or from a foreign origin', async () => {
    expect(await openSocket(wsUrl(host, null))).toEqual({ kind: 'refused', status: 401 });
    expect(await openSocket(wsUrl(host, `${host.token}x`))).toEqual({ kind: 'refused', status: 401 });
    expect(await openSocket(wsUrl(host, host.token), { origin: 'http://evil.example' })).toEqual({
      kind: 'refused',
      status: 403,
    });
    expect(await openSocket(wsUrl(host, host.token), { origin: 'http://127.0.0.1:1' })).toEqual({
      kind: 'refused',
      status: 403,
    });
    const withoutOrigin = await openSocket(wsUrl(host, host.token));
    expect(withoutOrigin.kind).toBe('open');
    if (withoutOrigin.kind === 'open') withoutOrigin.socket.close();
  });

  it('round-trips calls through the contract and answers bad input with invalid_input', async () => {
    const socket = await openTrustedSocket(host);
    const messages = inbox(socket);
    socket.send(JSON.stringify({ id: 1, call: 'search', input: { query: 'granite', top: 3 } }));
    expect((await messages.next(answerTo(1))).result).toEqual({
      ok: true,
      value: { mode: 'keyword', results: [], notice: 'searched "granite" top 3' },
    });
    expect(engine.calls).toEqual([{ name: 'search', input: { query: 'granite', mode: 'hybrid', top: 3 } }]);

    socket.send(JSON.stringify({ id: 2, call: 'search', input: { query: '   ' } }));
    const invalid = (await messages.next(answerTo(2))).result;
    expect(invalid.ok).toBe(false);
    expect(invalid.error?.code).toBe('invalid_input');
    expect(invalid.error?.message).toContain('query');

    socket.send(JSON.stringify({ id: 3, call: 'dropTables', input: {} }));
    const unknownCall = (await messages.next(answerTo(3))).result;
    expect(unknownCall.error?.code).toBe('invalid_input');
    expect(unknownCall.error?.message).toContain('call');
    expect(engine.calls).toHaveLength(1);

    // Uploads travel as base64 inside startIngest: a few MB must pass.
    const dataBase64 = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    socket.send(
      JSON.stringify({
        id: 4,
        call: 'startIngest',
        input: { sources: [{ kind: 'upload', name: 'a.bin', dataBase64 }] },
      }),
    );
    expect((await messages.next(answerTo(4))).result).toEqual({ ok: true, value: { jobId: 'job-1' } });
    socket.close();
  });

  it('closes the connection on a frame it cannot answer', async () => {
    const socket = await openTrustedSocket(host);
    const closed = waitForClose(socket);
    socket.send('this is not json');
    expect(await closed).toBe(1008);
  });

  it('pushes engine events to every connected client', async () => {
    const first = await openTrustedSocket(host);
    const second = await openTrustedSocket(host);
    const firstInbox = inbox(first);
    const secondInbox = inbox(second);
    engine.emit(serviceStateEvent('paused for 2 s'));
    expect((await firstInbox.next(isEvent)).event).toEqual(serviceStateEvent('paused for 2 s'));
    expect((await secondInbox.next(isEvent)).event).toEqual(serviceStateEvent('paused for 2 s'));
    first.close();
    second.close();
  });

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    await host.close();
    host = await startServeHost({ engine, port: 0, rendererDir, maxBufferedBytes: 1024 * 1024 });
    const stalled = await openTrustedSocket(host);
    const healthy = await openTrustedSocket(host);
    const healthyInbox = inbox(healthy);
    stalled.pause();
    const bigMessage = 'x'.repeat(256 * 1024);
    const eventCount = 100;
    for (let index = 0; index < eventCount; index += 1) {
      engine.emit(serviceStateEvent(`${index}:${bigMessage}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const stalledClosed = waitForClose(stalled);
    stalled.resume();
    expect(await stalledClosed).toBe(1006);
    await healthyInbox.next(
      (message): message is { event: EngineEvent } =>
        isEvent(message) &&
        message.event.type === 'service.state' &&
        message.event.state.message?.startsWith(`${eventCount - 1}:`) === true,
      10_000,
    );
    expect(healthyInbox.received.filter(isEvent)).toHaveLength(eventCount);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    healthy.close();
  });

  it('listens on 127.0.0.1 only', async () => {
    // All of 127/8 is loopback on Linux: a socket bound to 0.0.0.0 would accept 127.0.0.2 too.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.2', port: host.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('close() disconnects clients, stops listening and is idempotent; aborting does the same', async () => {
    const socket = await openTrustedSocket(host);
    const closed = waitForClose(socket);
    await Promise.all([host.close(), host.close()]);
    expect(await closed).toBe(1001);
    await expect(httpRequest(host.port, '/')).rejects.toThrow(/ECONNREFUSED/);

    const controller = new AbortController();
    host = await startServeHost({ engine, rendererDir, abortSignal: controller.signal });
    const port = host.port;
    expect((await httpRequest(port, '/assets/app.js')).status).toBe(200);
    controller.abort();
    await host.close();
    await expect(httpRequest(port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
