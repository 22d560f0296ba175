/**
 * Who may call the engine over IPC: only the main frame of our own window, showing our own
 * renderer page. Pure (no 'electron' import) so it can be tested in Node.
 */

/** What an IPC event tells us about its sender. */
export interface IpcSender {
  /** `event.sender.id`: the webContents that sent the message. */
  webContentsId: number;
  /** `event.senderFrame?.url`; null when the frame has navigated away or been destroyed. */
  frameUrl: string | null;
  /** Whether `event.senderFrame` is the top-level frame of that webContents. */
  isMainFrame: boolean;
}

/** The one renderer we trust. */
export interface TrustedRenderer {
  webContentsId: number;
  /** file:// URL of the built renderer's index.html. */
  indexUrl: string;
}

export function isTrustedSender(sender: IpcSender, trusted: TrustedRenderer | null): boolean {
  if (trusted === null) return false;
  if (sender.webContentsId !== trusted.webContentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return isSameFilePage(sender.frameUrl, trusted.indexUrl);
}

/** Same file:// document, ignoring the query and the fragment (the renderer may route by hash). */
function isSameFilePage(actualUrl: string, expectedUrl: string): boolean {
  const actual = parseUrl(actualUrl);
  const expected = parseUrl(expectedUrl);
  if (actual === null || expected === null) return false;
  return (
    actual.protocol === 'file:' &&
    expected.protocol === 'file:' &&
    actual.host === expected.host &&
    actual.pathname === expected.pathname
  );
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
