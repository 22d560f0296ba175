import type { QuarryApi } from '../../../electron/contract/api';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The contract API plus what the renderer needs to know about the transport underneath it. */
export type QuarryClient = QuarryApi & {
  readonly transport: 'electron' | 'websocket';
  connectionState(): ConnectionState;
  /** Called on every change; returns an unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Electron only: the absolute path of a dropped File ('' when it has none); null in the browser. */
  pathForFile: ((file: File) => string) | null;
  /** Electron only: opens an indexed file in the system's default app; null in the browser. */
  openPath: ((sourcePath: string) => Promise<void>) | null;
};
