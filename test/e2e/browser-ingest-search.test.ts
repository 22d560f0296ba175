import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCorruptPdf, makeDocx, makePdf } from '../fixtures/generate';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { type ServeProcess, startServe } from '../helpers/serve-process';

interface DropFile {
  name: string;
  type: string;
  base64: string;
}

/** Drops files on the drop zone the way a person would: dragenter, dragover, drop with a DataTransfer. */
async function dropFiles(page: Page, files: DropFile[]): Promise<void> {
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

describe.runIf(chromiumAvailable())('browser host: drop files, watch them finish, search', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-e2e-'));
    serve = await startServe(dataDir);
    browser = await launchChromium();
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('refuses the page without the token', async () => {
    const bare = new URL(serve.url);
    bare.search = '';
    const response = await page.goto(bare.toString());
    expect(response?.status()).toBe(403);
  });

  it('ingests dropped files with live status and finds a phrase on page 2 of a PDF', async () => {
    await page.goto(serve.url);
    await page.locator('body[data-app-state="ready"]').waitFor();

    const pdf = await makePdf([
      'First page about budgets and plans.',
      'Second page holds the quindravex glossary entry.',
    ]);
    const docx = await makeDocx(['A memo mentioning the tolvarine procedure.']);
    const files: DropFile[] = [
      { name: 'report.pdf', type: 'application/pdf', base64: pdf.toString('base64') },
      { name: 'memo.docx', type: '', base64: docx.toString('base64') },
      {
        name: 'notes.txt',
        type: 'text/plain',
        base64: Buffer.from('Plain notes on the zephyrine method.').toString('base64'),
      },
      { name: 'broken.pdf', type: 'application/pdf', base64: makeCorruptPdf().toString('base64') },
    ];
    await dropFiles(page, files);

    const rows = page.locator('[data-testid="file-row"]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(4);
    for (const name of ['report.pdf', 'memo.docx', 'notes.txt']) {
      await page
        .locator(`[data-testid="file-row"][data-name="${name}"][data-status="done"]`)
        .waitFor({ timeout: 60_000 });
    }
    await page
      .locator('[data-testid="file-row"][data-name="broken.pdf"][data-status="failed"]')
      .waitFor({ timeout: 60_000 });
    await expect(
      page.locator('[data-testid="file-row"][data-name="broken.pdf"]').textContent(),
    ).resolves.toMatch(/invalid_input|not a valid pdf/i);
    await expect(page.locator('[data-testid="job-progress"]').textContent()).resolves.toMatch(/3/);

    await page.keyboard.press('Control+k');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
      'search-input',
    );
    await page.locator('[data-testid="search-input"]').fill('quindravex glossary');
    const first = page.locator('[data-testid="search-result"]').first();
    await first.waitFor({ timeout: 30_000 });
    expect(await first.getAttribute('data-path')).toBe('report.pdf');
    expect(await first.getAttribute('data-page')).toBe('2');
    await expect(first.locator('mark').first().textContent()).resolves.toMatch(/quindravex/i);
  });
});
