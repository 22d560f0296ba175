import type { CallHandlers, CallResult, OpenPathOutput } from '../contract/api';
import { OPEN_PATH_CHANNEL } from '../contract/call-names';
import { dispatchCall } from '../engine/transport/dispatch';
import type { IpcHandlerRegistry } from './ipc/register-calls';

export interface RegisterOpenPathOptions<E> {
  ipcMain: IpcHandlerRegistry<E>;
  handlers: CallHandlers;
  isTrustedSender(event: E): boolean;
  /** Electron's `shell.openPath`: resolves '' on success, else an error message. */
  openPath(path: string): Promise<string>;
}

/**
 * The Electron-only "Open file" capability: the renderer names an indexed file (its `sourcePath`),
 * the engine resolves it to a path on disk — refusing anything the index does not hold — and only
 * then does the shell open it. Structural (no 'electron' import) so it runs in Node tests.
 */
export function registerOpenPath<E>(options: RegisterOpenPathOptions<E>): () => void {
  options.ipcMain.handle(OPEN_PATH_CHANNEL, async (event, rawInput): Promise<CallResult<OpenPathOutput>> => {
    if (!options.isTrustedSender(event)) {
      return {
        ok: false,
        error: { code: 'auth', message: 'Call refused: not sent by the Quarry window', retryable: false },
      };
    }
    const located = await dispatchCall(options.handlers, 'locateIndexedFile', rawInput);
    if (!located.ok) return located;
    const failure = await options.openPath(located.value.path);
    if (failure) {
      return {
        ok: false,
        error: {
          code: 'unsupported',
          message: `The system could not open ${located.value.path}: ${failure}`,
          retryable: false,
          reason: 'open_failed',
        },
      };
    }
    return { ok: true, value: { opened: true } };
  });
  return () => options.ipcMain.removeHandler(OPEN_PATH_CHANNEL);
}
