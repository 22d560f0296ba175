/** Page-level helpers for the browser tests of the UI (against `quarry serve` in Chromium). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from './run-cli';

export interface DropFile {
  /** May hold a relative folder, e.g. `batch/a.txt`. */
  name: string;
  type: string;
  base64: string;
}

export function dropFile(name: string, bytes: Buffer | string, type = ''): DropFile {
  return { name, type, base64: Buffer.from(bytes).toString('base64') };
}

/** Opens the app and waits until it can take input. */
export async function openApp(
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number }; beforeLoad?: (page: Page) => void } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  options.beforeLoad?.(page);
  await page.goto(url);
  await page.locator('body[data-app-state="ready"]').waitFor();
  return page;
}

/** Drops files on the drop zone the way a person would: dragenter, dragover, drop with a DataTransfer. */
export async function dropFiles(page: Page, files: readonly DropFile[]): Promise<void> {
  await page.locator('[data-testid="drop-zone"]').evaluate((zone, dropped) => {
    const transfer = new DataTransfer();
    for (const file of dropped) {
      const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], file.name, { type: file.type }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }
  }, files);
}

/** Where the tests keep the screenshots the README shows. */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');

/**
 * Refreshes a README screenshot when QUARRY_SCREENSHOTS=1 (so a normal test run leaves the working
 * tree clean); otherwise still renders one, so a page that cannot be captured fails the test.
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.QUARRY_SCREENSHOTS !== '1') {
    await page.screenshot();
    return;
  }
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Counts frames the page receives on its WebSocket, and keeps their text for inspection. */
export function recordWebSocketFrames(page: Page): { frames: string[] } {
  const record = { frames: [] as string[] };
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => {
      record.frames.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8'));
    });
  });
  return record;
}
