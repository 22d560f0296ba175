import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  type BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  safeStorage,
  session,
  shell,
} from 'electron';
import type { EngineEvent } from '../contract/api';
import { EVENT_CHANNEL } from '../contract/call-names';
import { type Engine, openEngine } from '../engine/engine';
import { registerCalls } from './ipc/register-calls';
import { isTrustedSender, type TrustedRenderer } from './ipc/sender-check';
import { registerOpenPath } from './open-path';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

// Built layout: dist/main/main.js, dist/preload/preload.cjs, dist/renderer/index.html.
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const rendererIndexPath = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const rendererIndexUrl = pathToFileURL(rendererIndexPath).href;

let engine: Engine | null = null;
let mainWindow: BrowserWindow | null = null;
let shutdown: 'running' | 'closing-engine' | 'done' = 'running';

// Every renderer runs sandboxed, whatever its webPreferences say.
app.enableSandbox();

if (app.requestSingleInstanceLock()) {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('before-quit', closeEngineBeforeQuit);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (engine !== null && mainWindow === null) showMainWindow().catch(failToStart);
  });
  app.whenReady().then(startApp).catch(failToStart);
} else {
  // Another Quarry owns the data directory; it gets focused through 'second-instance'.
  app.quit();
}

async function startApp(): Promise<void> {
  hardenSession(session.defaultSession);
  const secretStore = new SafeStorageSecretStore({
    filePath: join(app.getPath('userData'), 'secrets.json'),
    safeStorage,
    platform: process.platform,
  });
  const dataDir = process.env.QUARRY_DATA_DIR || app.getPath('userData');
  engine = await openEngine({
    dataDir,
    secretStore,
    resumeInterruptedJobs: true,
    downloadEmbeddingModel: true,
  });
  // Handlers exist before the page loads, so its first calls never race the registration.
  registerCalls({ ipcMain, handlers: engine.handlers, isTrustedSender: isFromMainWindow });
  registerOpenPath({
    ipcMain,
    handlers: engine.handlers,
    isTrustedSender: isFromMainWindow,
    openPath: (path) => shell.openPath(path),
  });
  engine.onEvent(forwardToWindow);
  await showMainWindow();
}

async function showMainWindow(): Promise<void> {
  const window = createMainWindow({ preloadPath, indexPath: rendererIndexPath });
  mainWindow = window;
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadFile(rendererIndexPath);
}

function isFromMainWindow(event: IpcMainInvokeEvent): boolean {
  const window = mainWindow;
  const trusted: TrustedRenderer | null =
    window === null || window.isDestroyed()
      ? null
      : { webContentsId: window.webContents.id, indexUrl: rendererIndexUrl };
  const frame = event.senderFrame;
  return isTrustedSender(
    { webContentsId: event.sender.id, frameUrl: frame?.url ?? null, isMainFrame: frame?.parent === null },
    trusted,
  );
}

function forwardToWindow(event: EngineEvent): void {
  const window = mainWindow;
  if (window === null || window.isDestroyed() || window.webContents.isDestroyed()) return;
  window.webContents.send(EVENT_CHANNEL, event);
}

function focusMainWindow(): void {
  const window = mainWindow;
  if (window === null || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

/** Quit waits for the engine to flush its journal and close the index. */
function closeEngineBeforeQuit(event: Electron.Event): void {
  if (engine === null || shutdown === 'done') return;
  event.preventDefault();
  if (shutdown === 'closing-engine') return;
  shutdown = 'closing-engine';
  engine
    .close()
    .catch((error: unknown) => console.error('quarry: engine did not close cleanly:', error))
    .finally(() => {
      shutdown = 'done';
      app.quit();
    });
}

function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('quarry: failed to start:', error);
  dialog.showErrorBox('Quarry could not start', message);
  app.exit(1);
}
