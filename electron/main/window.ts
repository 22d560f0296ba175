import { BrowserWindow, type Session, shell, type WebContents } from 'electron';
import { contentSecurityPolicy } from '../engine/transport/csp';
import { externalUrlToOpen } from './external-url';
import { mainWindowOptions } from './window-options';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (dist/preload/preload.cjs). */
  preloadPath: string;
  /** Absolute path of the built renderer page (dist/renderer/index.html). */
  indexPath: string;
}

/** The app window: isolated, sandboxed, no Node in the page, only the preload's `window.quarry`. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preloadPath));
  window.once('ready-to-show', () => window.show());
  return window;
}

/**
 * Applied to every webContents the app creates: the page can never navigate away or open a
 * window; http(s) links go to the system browser after validation, everything else is dropped.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

/** A strict CSP header on every response (the renderer's meta tag says the same) and no permissions. */
export function hardenSession(session: Session): void {
  const policy = contentSecurityPolicy({ connectSrc: [] });
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function openExternally(url: string): void {
  const safeUrl = externalUrlToOpen(url);
  if (safeUrl === null) return;
  shell.openExternal(safeUrl).catch((error: unknown) => {
    console.warn('quarry: could not open link externally:', error instanceof Error ? error.message : error);
  });
}
