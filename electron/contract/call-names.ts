/**
 * Names of every UI -> engine call. Kept free of imports so the sandboxed preload can bundle it
 * without pulling zod; `api.ts` checks at compile time that it matches the schemas exactly.
 */
export const CALL_NAMES = [
  'startIngest',
  'estimateIngest',
  'cancelJob',
  'pauseJob',
  'resumeJob',
  'retryFailed',
  'getSnapshot',
  'search',
  'getSettings',
  'updateSettings',
  'getPreview',
  'locateIndexedFile',
  'testConnection',
  'ask',
  'stopAnswer',
] as const;
export type CallName = (typeof CALL_NAMES)[number];

/** IPC channel for a call (Electron) — one per call, never a generic invoke. */
export const callChannel = (name: CallName): `quarry:${CallName}` => `quarry:${name}`;
export const EVENT_CHANNEL = 'quarry:event';
/** Electron only: the main process opens an indexed file with `shell.openPath` (see main/open-path.ts). */
export const OPEN_PATH_CHANNEL = 'quarry:openPath';
