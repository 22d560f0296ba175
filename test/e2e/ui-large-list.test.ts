/**
 * A 10,000-file job in the real renderer, served by the real browser host over a fake engine (the
 * real pipeline would take minutes to list that many files on this machine): the list keeps only a
 * window of rows in the DOM, scrolls to the last file, and stays responsive while files update.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServeHost, startServeHost } from '../../electron/cli/serve/serve-host';
import type { EngineEvent, FileSnapshot, JobSnapshot } from '../../electron/contract';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { createFakeEngine, type FakeEngine } from '../helpers/fake-engine';
import { REPO_ROOT } from '../helpers/run-cli';
import { openApp } from '../helpers/ui-page';

const FILES = 10_000;
const JOB_ID = 'job-big';
/** What the engine's coalescer sends at most per flush for one job. */
const BATCH = 1_000;

const fileName = (index: number): string => `file-${String(index).padStart(5, '0')}.txt`;

function file(index: number): FileSnapshot {
  return {
    fileId: `${JOB_ID}:${index}`,
    jobId: JOB_ID,
    path: `big/${fileName(index)}`,
    name: fileName(index),
    folder: 'big',
    size: 100 + index,
    mimeType: 'text/plain',
    stage: 'discovered',
    status: 'queued',
    progress: null,
    chunks: 0,
    error: null,
  };
}

const job: JobSnapshot = {
  jobId: JOB_ID,
  status: 'running',
  startedAt: Date.now(),
  finishedAt: null,
  counts: { files: FILES, queued: FILES, running: 0, indexed: 0, skipped: 0, failed: 0, chunks: 0 },
};

/** Longest main-thread task (ms) the page has seen since `installLongTaskProbe`. */
function longestTask(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { quarryLongestTask: number }).quarryLongestTask);
}

describe.runIf(chromiumAvailable())('ingest view with 10,000 files', () => {
  let engine: FakeEngine;
  let host: ServeHost;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    engine = createFakeEngine();
    host = await startServeHost({ engine, rendererDir: path.join(REPO_ROOT, 'dist', 'renderer') });
    browser = await launchChromium();
    page = await openApp(browser, host.url, {
      beforeLoad: (p) =>
        void p.addInitScript(() => {
          const state = window as unknown as { quarryLongestTask: number };
          state.quarryLongestTask = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) {
              state.quarryLongestTask = Math.max(state.quarryLongestTask, entry.duration);
            }
          }).observe({ type: 'longtask', buffered: true });
        }),
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  const emit = (event: EngineEvent) => engine.emit(event);

  it('lists 10,000 files with only a window of rows in the DOM and scrolls to the last one', async () => {
    emit({ type: 'job.started', job });
    for (let start = 0; start < FILES; start += BATCH) {
      const files = Array.from({ length: BATCH }, (_, offset) => file(start + offset));
      emit({ type: 'files.added', jobId: JOB_ID, files });
    }
    await page.locator(`[data-testid="job-progress"][data-total="${FILES}"]`).waitFor({ timeout: 30_000 });
    const rows = page.locator('[data-testid="file-row"]');
    await rows.first().waitFor();
    const inDom = await rows.count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    await expect(rows.first().getAttribute('data-name')).resolves.toBe(fileName(0));

    await page.locator('.file-scroll').evaluate((scroller) => {
      scroller.scrollTop = scroller.scrollHeight;
    });
    const last = page.locator(`[data-testid="file-row"][data-name="${fileName(FILES - 1)}"]`);
    await last.waitFor({ timeout: 10_000 });
    await expect(last.isVisible()).resolves.toBe(true);
    await expect(last.getAttribute('aria-posinset')).resolves.toBe(String(FILES));
    expect(await rows.count()).toBeLessThan(100);
  });

  it('applies a stream of coalesced updates to all 10,000 files without long main-thread tasks', async () => {
    // The probe sees long tasks (a deliberate 150 ms busy task), so a quiet reading below means something.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const start = performance.now();
            while (performance.now() - start < 150) {
              // busy on purpose
            }
            setTimeout(resolve, 50);
          }),
        ),
    );
    await expect.poll(() => longestTask(page)).toBeGreaterThanOrEqual(140);
    await page.evaluate(() => {
      (window as unknown as { quarryLongestTask: number }).quarryLongestTask = 0;
    });
    const stages = ['hashed', 'extracted', 'chunked', 'indexed'] as const;
    for (const [step, stage] of stages.entries()) {
      const done = stage === 'indexed';
      for (let start = 0; start < FILES; start += BATCH) {
        emit({
          type: 'files.updated',
          jobId: JOB_ID,
          files: Array.from({ length: BATCH }, (_, offset) => ({
            fileId: `${JOB_ID}:${start + offset}`,
            stage,
            status: done ? ('done' as const) : ('running' as const),
            progress: done ? 1 : (step + 1) / stages.length,
            chunks: done ? 1 : 0,
            error: null,
          })),
        });
        // The real coalescer flushes a few times per second; pace the stream the same way.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await page.locator(`[data-testid="job-progress"][data-done="${FILES}"]`).waitFor({ timeout: 30_000 });
    const last = page.locator(`[data-testid="file-row"][data-name="${fileName(FILES - 1)}"]`);
    await expect(last.getAttribute('data-status')).resolves.toBe('done');
    expect(await longestTask(page)).toBeLessThan(100);
  });
});
