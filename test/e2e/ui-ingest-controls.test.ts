import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWordMaker, makeCorruptPdf, makePdf } from '../fixtures/generate';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { type ServeProcess, startServe } from '../helpers/serve-process';
import {
  type DropFile,
  dropFile,
  dropFiles,
  openApp,
  recordWebSocketFrames,
  saveScreenshot,
} from '../helpers/ui-page';

const TEXT_FILES = 196;
const TOTAL = TEXT_FILES + 4;

async function generatedFiles(): Promise<DropFile[]> {
  const word = createWordMaker(606);
  const files: DropFile[] = [];
  for (let i = 0; i < TEXT_FILES; i++) {
    const name = `note-${String(i).padStart(3, '0')}.txt`;
    files.push(dropFile(name, `Note ${i}: the ${word()} ${word()} plan for ${word()}.\n`, 'text/plain'));
  }
  files.push(
    dropFile('report-a.pdf', await makePdf(['A report about the first quarter.']), 'application/pdf'),
  );
  files.push(
    dropFile('report-b.pdf', await makePdf(['A report about the second quarter.']), 'application/pdf'),
  );
  files.push(dropFile('fixme.pdf', makeCorruptPdf(), 'application/pdf'));
  files.push(dropFile('empty.txt', '', 'text/plain'));
  return files;
}

interface Counters {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  queued: number;
  running: number;
}

/** The overall bar's counters (data-* attributes of `job-progress`). */
async function counters(page: Page): Promise<Counters> {
  return page.locator('[data-testid="job-progress"]').evaluate((bar) => {
    const read = (name: string) => Number((bar as HTMLElement).dataset[name]);
    return {
      total: read('total'),
      done: read('done'),
      failed: read('failed'),
      skipped: read('skipped'),
      queued: read('queued'),
      running: read('running'),
    };
  });
}

/**
 * Resolves 'stable' when the bar's counters did not change for `windowInMs`, else 'changed'. A
 * paused job must start nothing: observing a quiet window several event-flush intervals long
 * is the only way to see that nothing happens.
 */
function counterStability(page: Page, windowInMs: number): Promise<'stable' | 'changed'> {
  return page.locator('[data-testid="job-progress"]').evaluate(
    (bar, ms) =>
      new Promise<'stable' | 'changed'>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          resolve('changed');
        });
        observer.observe(bar, {
          attributes: true,
          attributeFilter: ['data-done', 'data-failed', 'data-running'],
        });
        setTimeout(() => {
          observer.disconnect();
          resolve('stable');
        }, ms);
      }),
    windowInMs,
  );
}

describe.runIf(chromiumAvailable())('ingest view: pause, resume, failures and retry', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ui-ingest-'));
    serve = await startServe(dataDir);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('pauses (nothing new starts), resumes, lists failures with reasons and retries a fixed file', async () => {
    const socket = recordWebSocketFrames;
    let received: { frames: string[] } = { frames: [] };
    const page = await openApp(browser, serve.url, {
      beforeLoad: (p) => {
        received = socket(p);
      },
    });

    // One file at a time, so the job is still busy when Pause is pressed.
    await page.locator('[data-testid="settings-button"]').click();
    await page.locator('[data-testid="settings-concurrency"]').fill('1');
    await page.locator('[data-testid="settings-save"]').click();
    await page.locator('[data-testid="settings-status"]', { hasText: /^Saved at/ }).waitFor();
    await page.locator('[data-testid="ingest-tab"]').click();

    await dropFiles(page, await generatedFiles());
    await page.locator('[data-testid="pause-job"]').click({ timeout: 30_000 });
    await page.locator('[data-testid="job-controls"][data-job-status="paused"]').waitFor();
    // In-flight files finish their current step; then nothing runs.
    await page.locator('[data-testid="job-progress"][data-running="0"]').waitFor({ timeout: 30_000 });
    const paused = await counters(page);
    expect(paused.queued).toBeGreaterThan(0);
    expect(paused.done + paused.failed).toBeLessThan(TOTAL);
    expect(await counterStability(page, 1500)).toBe('stable');
    // Discovery may still list files (up to its look-ahead), but none of them starts.
    const after = await counters(page);
    expect(after).toMatchObject({
      done: paused.done,
      failed: paused.failed,
      skipped: paused.skipped,
      running: 0,
    });

    await page.locator('[data-testid="resume-job"]').click();
    await page
      .locator(`[data-testid="job-progress"][data-total="${TOTAL}"][data-active="0"]`)
      .waitFor({ timeout: 120_000 });
    expect(await counters(page)).toMatchObject({ total: TOTAL, done: TOTAL - 2, failed: 2 });
    await expect(page.locator('[data-testid="file-row"]').count()).resolves.toBe(TOTAL);

    const panel = page.locator('[data-testid="failures-panel"]');
    const broken = panel.locator('[data-testid="failure-item"][data-name="fixme.pdf"]');
    await expect(broken.getAttribute('data-error-code')).resolves.toBe('invalid_input');
    await expect(broken.textContent()).resolves.toMatch(/Not a valid PDF: fixme\.pdf/);
    const empty = panel.locator('[data-testid="failure-item"][data-name="empty.txt"]');
    await expect(empty.getAttribute('data-error-code')).resolves.toBe('invalid_input');
    await saveScreenshot(page, 'ingest');

    // Fix the file Quarry reads (the stored copy of the upload), then retry the job's failures.
    const jobId = await panel.locator('.failure-group').first().getAttribute('data-job-id');
    const uploads = path.join(dataDir, 'uploads', jobId!);
    expect(await readdir(uploads)).toContain('fixme.pdf');
    await writeFile(
      path.join(uploads, 'fixme.pdf'),
      await makePdf(['Repaired: the fixme report is readable now.']),
    );
    await page.locator('[data-testid="retry-failed"]').click();
    await page
      .locator('[data-testid="file-row"][data-name="fixme.pdf"][data-status="done"]')
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="job-progress"][data-active="0"]').waitFor({ timeout: 60_000 });
    expect(await counters(page)).toMatchObject({ total: TOTAL, done: TOTAL - 1, failed: 1 });
    await expect(panel.locator('[data-testid="failure-item"]').count()).resolves.toBe(1);
    await expect(panel.locator('[data-testid="failure-item"]').getAttribute('data-name')).resolves.toBe(
      'empty.txt',
    );

    // Progress arrives coalesced: every good file changes state at least five times (running,
    // hashed, read, chunked, done), yet the page gets far fewer update frames than that.
    const updates = received.frames
      .map((text) => JSON.parse(text) as { event?: { type: string; files?: unknown[] } })
      .filter((message) => message.event?.type === 'files.updated');
    const carried = updates.reduce((sum, message) => sum + (message.event?.files?.length ?? 0), 0);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.length).toBeLessThan(TOTAL * 2);
    expect(carried).toBeGreaterThan(updates.length);
    await page.close();
  }, 180_000); // 200 real files through the engine: slow on a loaded 2-core machine
});
