import { z } from 'zod';
import { CALL_NAMES } from './call-names';

/**
 * The browser host's WebSocket framing (`quarry serve`, path `/ws?token=...`). Same calls and
 * events as Electron IPC; only the envelope differs.
 */
export const WsRequest = z.object({
  id: z.number().int().nonnegative(),
  call: z.enum(CALL_NAMES),
  input: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequest>;

/** Server -> client: `{id, result}` answers a request; `{event}` pushes an EngineEvent. */
export type WsServerMessage =
  | { id: number; result: import('./api').CallResult<unknown> }
  | { event: import('./api').EngineEvent };

export const WS_PATH = '/ws';
