import type { CallInput, CallOutput, CallResult, QuarryBridge } from '../../../electron/contract/api';
import type { CallName } from '../../../electron/contract/call-names';
import { QuarryCallError } from './call-error';
import type { QuarryClient } from './quarry-client';

function unwrap<T>(result: CallResult<T>): T {
  if (result.ok) return result.value;
  throw new QuarryCallError(result.error);
}

function unwrappedCall<K extends CallName>(bridge: QuarryBridge, name: K) {
  const call = bridge[name] as (input: CallInput<K>) => Promise<CallResult<CallOutput<K>>>;
  return async (input: CallInput<K>): Promise<CallOutput<K>> => unwrap(await call(input));
}

/** The API over Electron IPC: the preload's `window.quarry` with its envelopes unwrapped. */
export function createElectronClient(bridge: QuarryBridge): QuarryClient {
  return {
    transport: 'electron',
    startIngest: unwrappedCall(bridge, 'startIngest'),
    cancelJob: unwrappedCall(bridge, 'cancelJob'),
    pauseJob: unwrappedCall(bridge, 'pauseJob'),
    resumeJob: unwrappedCall(bridge, 'resumeJob'),
    retryFailed: unwrappedCall(bridge, 'retryFailed'),
    getSnapshot: unwrappedCall(bridge, 'getSnapshot'),
    search: unwrappedCall(bridge, 'search'),
    getSettings: unwrappedCall(bridge, 'getSettings'),
    updateSettings: unwrappedCall(bridge, 'updateSettings'),
    getPreview: unwrappedCall(bridge, 'getPreview'),
    locateIndexedFile: unwrappedCall(bridge, 'locateIndexedFile'),
    estimateIngest: unwrappedCall(bridge, 'estimateIngest'),
    testConnection: unwrappedCall(bridge, 'testConnection'),
    ask: unwrappedCall(bridge, 'ask'),
    stopAnswer: unwrappedCall(bridge, 'stopAnswer'),
    onEvent: (listener) => bridge.onEvent(listener),
    // IPC to the main process never disconnects while the window lives.
    connectionState: () => 'open',
    onConnectionChange: () => () => {},
    pathForFile: (file) => bridge.pathForFile(file),
    openPath: async (sourcePath) => {
      unwrap(await bridge.openPath({ sourcePath }));
    },
  };
}
