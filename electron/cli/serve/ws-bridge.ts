import WebSocket from 'ws';
import type { CallHandlers, CallResult } from '../../contract/api';
import { WsRequest, type WsServerMessage } from '../../contract/ws-protocol';
import { dispatchCall, invalidInputError } from '../../engine/transport/dispatch';

export interface WsClientOptions {
  handlers: CallHandlers;
  /** A client whose unsent backlog exceeds this is dropped instead of buffered without bound. */
  maxBufferedBytes: number;
}

/**
 * Serves one browser connection: each text frame is a `WsRequest`, answered with `{id, result}`
 * through the same dispatch core as Electron IPC. Calls still running when the client leaves
 * finish in the engine, but their answers are dropped.
 */
export function serveWsClient(socket: WebSocket, options: WsClientOptions): void {
  const gone = new AbortController();
  socket.once('close', () => gone.abort());
  socket.on('error', () => socket.terminate());
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'Text frames only');
      return;
    }
    const frame = parseFrame(rawDataToText(data));
    if (frame.kind === 'unanswerable') {
      socket.close(1008, 'Malformed request');
      return;
    }
    if (frame.kind === 'rejected') {
      sendOrDrop(socket, serialise({ id: frame.id, result: frame.result }), options.maxBufferedBytes);
      return;
    }
    const { id, call, input } = frame.request;
    void dispatchCall(options.handlers, call, input, { abortSignal: gone.signal }).then((result) => {
      if (!gone.signal.aborted) sendOrDrop(socket, serialise({ id, result }), options.maxBufferedBytes);
    });
  });
}

/** Sends one already-serialised message to every open client, dropping the ones that cannot keep up. */
export function broadcast(clients: Iterable<WebSocket>, text: string, maxBufferedBytes: number): void {
  for (const client of clients) sendOrDrop(client, text, maxBufferedBytes);
}

export function serialise(message: WsServerMessage): string {
  return JSON.stringify(message);
}

function sendOrDrop(socket: WebSocket, text: string, maxBufferedBytes: number): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > maxBufferedBytes) {
    // A stalled or very slow reader: better a reconnect (and a fresh snapshot) than unbounded memory.
    socket.terminate();
    return;
  }
  socket.send(text);
}

type Frame =
  | { kind: 'request'; request: WsRequest }
  | { kind: 'rejected'; id: number; result: CallResult<never> }
  | { kind: 'unanswerable' };

function parseFrame(text: string): Frame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'unanswerable' };
  }
  const parsed = WsRequest.safeParse(raw);
  if (parsed.success) return { kind: 'request', request: parsed.data };
  const id = requestIdOf(raw);
  if (id === null) return { kind: 'unanswerable' };
  return { kind: 'rejected', id, result: { ok: false, error: invalidInputError('request', parsed.error) } };
}

/** The id of a malformed request, when it has a usable one, so the client's pending call can settle. */
function requestIdOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const { id } = raw;
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null;
}

function rawDataToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
