/**
 * Sandboxed preload: exposes exactly the typed `window.quarry` bridge and nothing else — one
 * function per contract call, the event subscription, dropped-file paths and opening an indexed file. Never ipcRenderer
 * itself, never a generic invoke. Imports only 'electron' and the dependency-free call names,
 * because a sandboxed preload must be a single self-contained CommonJS file.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import type { CallInput, CallOutput, CallResult, EngineEvent, QuarryBridge } from '../contract/api';
import { type CallName, callChannel, EVENT_CHANNEL, OPEN_PATH_CHANNEL } from '../contract/call-names';

/** The main process always answers with the contract's envelope (see main/ipc/register-calls.ts). */
function invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<CallOutput<K>>> {
  return ipcRenderer.invoke(callChannel(name), input);
}

const bridge: QuarryBridge = {
  startIngest: (input) => invoke('startIngest', input),
  cancelJob: (input) => invoke('cancelJob', input),
  pauseJob: (input) => invoke('pauseJob', input),
  resumeJob: (input) => invoke('resumeJob', input),
  retryFailed: (input) => invoke('retryFailed', input),
  getSnapshot: (input) => invoke('getSnapshot', input),
  search: (input) => invoke('search', input),
  getSettings: (input) => invoke('getSettings', input),
  updateSettings: (input) => invoke('updateSettings', input),
  getPreview: (input) => invoke('getPreview', input),
  locateIndexedFile: (input) => invoke('locateIndexedFile', input),
  estimateIngest: (input) => invoke('estimateIngest', input),
  testConnection: (input) => invoke('testConnection', input),
  ask: (input) => invoke('ask', input),
  stopAnswer: (input) => invoke('stopAnswer', input),
  onEvent(listener) {
    // Only the event payload crosses over; the IpcRendererEvent (with its sender) stays here.
    const forward = (_event: IpcRendererEvent, engineEvent: EngineEvent) => listener(engineEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  openPath: (input) => ipcRenderer.invoke(OPEN_PATH_CHANNEL, input),
};

contextBridge.exposeInMainWorld('quarry', bridge);
