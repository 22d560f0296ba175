import { createElectronClient } from './electron-client';
import type { QuarryClient } from './quarry-client';
import { createWsClient, wsUrlFromLocation } from './ws-client';

let client: QuarryClient | null = null;

/** The engine API for this page: Electron IPC when the preload exposed `window.quarry`, else the WebSocket. */
export function getQuarryApi(): QuarryClient {
  if (!client) {
    client = window.quarry
      ? createElectronClient(window.quarry)
      : createWsClient({ url: wsUrlFromLocation(window.location) });
  }
  return client;
}
