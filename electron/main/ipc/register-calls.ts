import type { CallHandlers, CallOutput, CallResult } from '../../contract/api';
import { CALL_NAMES, type CallName, callChannel } from '../../contract/call-names';
import { dispatchCall } from '../../engine/transport/dispatch';

/**
 * The part of Electron's `ipcMain` used here. Structural, so this module needs no 'electron'
 * import and runs in Node tests; `ipcMain` itself satisfies it with E = IpcMainInvokeEvent.
 */
export interface IpcHandlerRegistry<E> {
  handle(channel: string, listener: (event: E, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterCallsOptions<E> {
  ipcMain: IpcHandlerRegistry<E>;
  /** The engine's handlers: an exhaustive map, so a missing handler fails to compile. */
  handlers: CallHandlers;
  /** Decides whether an IPC event comes from our own renderer (see sender-check.ts). */
  isTrustedSender(event: E): boolean;
}

/**
 * The one place IPC handlers are registered: one `ipcMain.handle` per contract call (never a
 * generic invoke). Each checks the sender, then validates, invokes and serialises through the
 * transport-neutral `dispatchCall`, so nothing raw is ever thrown across IPC.
 * Returns a function that removes every handler it registered.
 */
export function registerCalls<E>(options: RegisterCallsOptions<E>): () => void {
  for (const name of CALL_NAMES) registerCall(options, name);
  return () => {
    for (const name of CALL_NAMES) options.ipcMain.removeHandler(callChannel(name));
  };
}

function registerCall<E, K extends CallName>(options: RegisterCallsOptions<E>, name: K): void {
  options.ipcMain.handle(callChannel(name), async (event, rawInput): Promise<CallResult<CallOutput<K>>> => {
    if (!options.isTrustedSender(event)) {
      console.warn(`quarry: refused IPC call ${name} from an untrusted sender`);
      return {
        ok: false,
        error: { code: 'auth', message: 'Call refused: not sent by the Quarry window', retryable: false },
      };
    }
    return dispatchCall(options.handlers, name, rawInput);
  });
}
