import type { CallInput, CallOutput, CallResult, EngineEvent } from '../../../electron/contract/api';
import type { CallName } from '../../../electron/contract/call-names';
import type { QuarryErrorInfo } from '../../../electron/contract/errors';
import { QuarryCallError } from './call-error';
import type { ConnectionState, QuarryClient } from './quarry-client';

/** The part of the WebSocket API the client uses (browsers' WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: object) => void): void;
}

export interface WsClientOptions {
  /** e.g. `ws://127.0.0.1:P/ws?token=T` (see `wsUrlFromLocation`). */
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** First reconnect delay; doubles after each failed attempt up to `maxReconnectDelayInMs`. */
  initialReconnectDelayInMs?: number;
  maxReconnectDelayInMs?: number;
}

export type WsClient = QuarryClient & {
  /** Stops reconnecting, closes the socket and rejects every unanswered call with `cancelled`. */
  close(): void;
};

interface PendingCall {
  frame: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: QuarryCallError): void;
}

const OPEN = 1;

/** The browser host's WebSocket URL for the page's own origin and token (`?token=` in the page URL). */
export function wsUrlFromLocation(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}

function defaultCreateSocket(url: string): WebSocketLike {
  return new WebSocket(url);
}

function lostConnection(): QuarryErrorInfo {
  return {
    code: 'network',
    message: 'The connection to Quarry closed before it answered; the call may or may not have run.',
    retryable: true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The API over the browser host's WebSocket (framing in electron/contract/ws-protocol.ts).
 * Calls made while disconnected wait and go out on the next connection; calls already sent when
 * the connection drops fail with `network` (resending could run them twice). Reconnects with
 * exponential backoff for as long as the client lives.
 */
export function createWsClient(options: WsClientOptions): WsClient {
  const createSocket = options.createSocket ?? defaultCreateSocket;
  const initialDelayInMs = options.initialReconnectDelayInMs ?? 250;
  const maxDelayInMs = options.maxReconnectDelayInMs ?? 5_000;

  const pending = new Map<number, PendingCall>();
  const eventListeners = new Set<(event: EngineEvent) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let failedAttempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUser = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of [...stateListeners]) listener(next);
  }

  function sendUnsent(): void {
    if (!socket || socket.readyState !== OPEN) return;
    for (const call of pending.values()) {
      if (call.sent) continue;
      socket.send(call.frame);
      call.sent = true;
    }
  }

  function settle(id: number, result: CallResult<unknown>): void {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (result.ok) call.resolve(result.value);
    else call.reject(new QuarryCallError(result.error));
  }

  function dispatchEvent(event: EngineEvent): void {
    for (const listener of [...eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not starve the others of events.
        console.error('Quarry event listener failed', error);
      }
    }
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('Quarry: ignoring a malformed message from the server');
      return;
    }
    if (!isRecord(message)) return;
    if (isRecord(message.event)) {
      dispatchEvent(message.event as EngineEvent);
    } else if (typeof message.id === 'number' && isRecord(message.result)) {
      settle(message.id, message.result as CallResult<unknown>);
    }
  }

  function failSentCalls(info: QuarryErrorInfo): void {
    for (const [id, call] of pending) {
      if (!call.sent) continue;
      pending.delete(id);
      call.reject(new QuarryCallError(info));
    }
  }

  function scheduleReconnect(): void {
    const delayInMs = Math.min(maxDelayInMs, initialDelayInMs * 2 ** failedAttempts);
    failedAttempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delayInMs);
  }

  function connect(): void {
    setState('connecting');
    const current = createSocket(options.url);
    socket = current;
    current.addEventListener('open', () => {
      failedAttempts = 0;
      setState('open');
      sendUnsent();
    });
    current.addEventListener('message', (event) => handleMessage('data' in event ? event.data : undefined));
    // An 'error' is always followed by 'close', where reconnecting is handled. (Listening also
    // keeps Node's `ws`, an EventEmitter, from throwing it.)
    current.addEventListener('error', () => {});
    current.addEventListener('close', () => {
      if (socket !== current) return;
      socket = null;
      failSentCalls(lostConnection());
      setState('closed');
      if (!closedByUser) scheduleReconnect();
    });
  }

  function call<K extends CallName>(name: K) {
    return (input: CallInput<K>): Promise<CallOutput<K>> => {
      if (closedByUser) {
        return Promise.reject(
          new QuarryCallError({
            code: 'cancelled',
            message: 'The Quarry client is closed',
            retryable: false,
          }),
        );
      }
      const id = nextId++;
      return new Promise<CallOutput<K>>((resolve, reject) => {
        pending.set(id, {
          frame: JSON.stringify({ id, call: name, input }),
          sent: false,
          // The server validated the input and typed the output with the same contract.
          resolve: (value) => resolve(value as CallOutput<K>),
          reject,
        });
        sendUnsent();
      });
    };
  }

  connect();

  return {
    transport: 'websocket',
    startIngest: call('startIngest'),
    cancelJob: call('cancelJob'),
    pauseJob: call('pauseJob'),
    resumeJob: call('resumeJob'),
    retryFailed: call('retryFailed'),
    getSnapshot: call('getSnapshot'),
    search: call('search'),
    getSettings: call('getSettings'),
    updateSettings: call('updateSettings'),
    getPreview: call('getPreview'),
    locateIndexedFile: call('locateIndexedFile'),
    estimateIngest: call('estimateIngest'),
    testConnection: call('testConnection'),
    ask: call('ask'),
    stopAnswer: call('stopAnswer'),
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    connectionState: () => state,
    onConnectionChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    pathForFile: null,
    // The browser cannot open files in the system's apps; the UI hides the button.
    openPath: null,
    close() {
      closedByUser = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const cancelled: QuarryErrorInfo = {
        code: 'cancelled',
        message: 'The Quarry client is closed',
        retryable: false,
      };
      for (const pendingCall of pending.values()) pendingCall.reject(new QuarryCallError(cancelled));
      pending.clear();
      socket?.close(1000, 'client closed');
      socket = null;
      setState('closed');
    },
  };
}
