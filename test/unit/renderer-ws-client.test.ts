import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { EngineEvent } from '../../electron/contract/api';
import { QuarryCallError } from '../../renderer/src/api/call-error';
import type { ConnectionState } from '../../renderer/src/api/quarry-client';
import { createWsClient, type WsClient, wsUrlFromLocation } from '../../renderer/src/api/ws-client';
import { jobSnapshot, publicSettings } from './renderer-fakes';

interface Frame {
  id: number;
  call: string;
  input: unknown;
}

/** A tiny stand-in for the browser host: hands each request and socket to the test. */
async function startServer() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  const frames: Frame[] = [];
  const frameWaiters: Array<() => void> = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => {
      frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of frameWaiters.splice(0)) wake();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `ws://127.0.0.1:${port}/ws?token=t`,
    sockets,
    frames,
    async nextFrames(count: number): Promise<Frame[]> {
      while (frames.length < count) await new Promise<void>((resolve) => frameWaiters.push(resolve));
      return frames.splice(0, count);
    },
    latestSocket: () => sockets[sockets.length - 1]!,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const clients: WsClient[] = [];
const servers: Array<{ close(): Promise<void>; sockets: WebSocket[] }> = [];

function connect(url: string): WsClient {
  const client = createWsClient({
    url,
    createSocket: (socketUrl) => new WebSocket(socketUrl),
    initialReconnectDelayInMs: 20,
    maxReconnectDelayInMs: 100,
  });
  clients.push(client);
  return client;
}

async function setup() {
  const server = await startServer();
  servers.push(server);
  return { server, client: connect(server.url) };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) {
    for (const socket of server.sockets) socket.terminate();
    await server.close();
  }
});

describe('WebSocket client', () => {
  it('matches answers to requests by id, whatever order they come in', async () => {
    const { server, client } = await setup();
    const settings = client.getSettings({});
    const cancel = client.cancelJob({ jobId: 'job-9' });
    const [first, second] = await server.nextFrames(2);
    expect(first).toEqual({ id: expect.any(Number), call: 'getSettings', input: {} });
    expect(second).toEqual({ id: expect.any(Number), call: 'cancelJob', input: { jobId: 'job-9' } });

    const socket = server.latestSocket();
    socket.send(JSON.stringify({ id: second!.id, result: { ok: true, value: { cancelled: true } } }));
    socket.send(JSON.stringify({ id: first!.id, result: { ok: true, value: publicSettings } }));
    await expect(cancel).resolves.toEqual({ cancelled: true });
    await expect(settings).resolves.toEqual(publicSettings);
  });

  it('turns an error envelope into a QuarryCallError carrying the code', async () => {
    const { server, client } = await setup();
    const search = client.search({ query: 'x' });
    const [frame] = await server.nextFrames(1);
    const error = { code: 'invalid_input', message: 'query: Too small', retryable: false, reason: 'schema' };
    server.latestSocket().send(JSON.stringify({ id: frame!.id, result: { ok: false, error } }));

    const thrown = await search.catch((caught: unknown) => caught);
    expect(thrown).toBeInstanceOf(QuarryCallError);
    expect((thrown as QuarryCallError).code).toBe('invalid_input');
    expect((thrown as QuarryCallError).info).toEqual(error);
  });

  it('fans events out to every listener until they unsubscribe, ignoring malformed messages', async () => {
    const { server, client } = await setup();
    const first: EngineEvent[] = [];
    const second: EngineEvent[] = [];
    const stopFirst = client.onEvent((event) => first.push(event));
    client.onEvent((event) => second.push(event));
    await vi.waitFor(() => expect(client.connectionState()).toBe('open'));

    const event: EngineEvent = { type: 'job.started', job: jobSnapshot('job-1') };
    const socket = server.latestSocket();
    socket.send('not json');
    socket.send(JSON.stringify({ event }));
    await vi.waitFor(() => expect(second).toHaveLength(1));
    stopFirst();
    socket.send(JSON.stringify({ event }));
    await vi.waitFor(() => expect(second).toHaveLength(2));
    expect(first).toEqual([event]);
    expect(second).toEqual([event, event]);
  });

  it('fails calls in flight when the connection drops, then reconnects and carries on', async () => {
    const { server, client } = await setup();
    await vi.waitFor(() => expect(client.connectionState()).toBe('open'));
    const states: ConnectionState[] = [];
    client.onConnectionChange((state) => states.push(state));
    const inFlight = client.getSnapshot({});
    await server.nextFrames(1);

    server.latestSocket().terminate();
    const thrown = await inFlight.catch((caught: unknown) => caught);
    expect((thrown as QuarryCallError).code).toBe('network');

    await vi.waitFor(() => expect(server.sockets).toHaveLength(2));
    await vi.waitFor(() => expect(client.connectionState()).toBe('open'));
    expect(states).toEqual(['closed', 'connecting', 'open']);
    const again = client.cancelJob({ jobId: 'j' });
    const [frame] = await server.nextFrames(1);
    server
      .latestSocket()
      .send(JSON.stringify({ id: frame!.id, result: { ok: true, value: { cancelled: false } } }));
    await expect(again).resolves.toEqual({ cancelled: false });
  });

  it('holds calls made while disconnected and sends them once connected', async () => {
    const server = await startServer();
    servers.push(server);
    const { port } = server.server.address() as AddressInfo;
    await server.close(); // nothing listens yet: the client keeps retrying
    const client = connect(`ws://127.0.0.1:${port}/ws?token=t`);
    const states: ConnectionState[] = [];
    client.onConnectionChange((state) => states.push(state));
    const call = client.cancelJob({ jobId: 'late' });
    await vi.waitFor(() => expect(states.filter((state) => state === 'closed').length).toBeGreaterThan(1));

    const revived = new WebSocketServer({ host: '127.0.0.1', port });
    servers.push({
      sockets: [],
      close: () => new Promise<void>((resolve) => revived.close(() => resolve())),
    });
    revived.on('connection', (socket) => {
      servers[servers.length - 1]!.sockets.push(socket);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame;
        socket.send(JSON.stringify({ id: frame.id, result: { ok: true, value: { cancelled: true } } }));
      });
    });
    await expect(call).resolves.toEqual({ cancelled: true });
  });

  it('rejects unanswered calls with `cancelled` when closed', async () => {
    const { server, client } = await setup();
    const pending = client.getSettings({});
    await server.nextFrames(1);
    client.close();
    const thrown = await pending.catch((caught: unknown) => caught);
    expect((thrown as QuarryCallError).code).toBe('cancelled');
    await expect(client.getSettings({})).rejects.toBeInstanceOf(QuarryCallError);
    expect(client.connectionState()).toBe('closed');
  });

  it('derives the socket URL from the page URL and its token', () => {
    expect(wsUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:4321', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:4321/ws?token=a%2Bb',
    );
    expect(wsUrlFromLocation({ protocol: 'https:', host: 'example.test', search: '' })).toBe(
      'wss://example.test/ws?token=',
    );
  });
});
