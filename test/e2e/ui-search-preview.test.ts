import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../fixtures/generate';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { type ServeProcess, startServe } from '../helpers/serve-process';
import { dropFile, dropFiles, openApp, saveScreenshot } from '../helpers/ui-page';

/** makePdf's layout (test/fixtures/generate.ts): US Letter, 72 pt margin, 15 pt lines, 12 pt between paragraphs. */
const PAGE_HEIGHT_PT = 792;
const FIRST_BASELINE_PT = 792 - 72;
const SECOND_PARAGRAPH_BASELINE_PT = FIRST_BASELINE_PT - 15 - 12;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The highlight boxes and the page image's box, in CSS pixels. */
async function previewGeometry(page: Page): Promise<{ image: Box; highlights: Box[] }> {
  return page.locator('[data-testid="preview-page"]').evaluate((figure) => {
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    };
    const image = figure.querySelector('[data-testid="preview-image"]');
    if (!image) throw new Error('no preview image');
    return {
      image: box(image),
      highlights: [...figure.querySelectorAll('[data-testid="preview-highlight"]')].map(box),
    };
  });
}

describe.runIf(chromiumAvailable())('search view: filters, modes and the preview pane', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-ui-search-'));
    serve = await startServe(dataDir);
    browser = await launchChromium();
    page = await openApp(browser, serve.url);
    const passages = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i} of the handbook covers rotas, the budget and meeting rooms in general terms.`,
    );
    passages[20] = 'The quillotine procedure is how the team closes the books each month.';
    await dropFiles(page, [
      dropFile(
        'report.pdf',
        await makePdf([
          'The first page talks about the budget for the coming year.',
          'Intro line on the second page.\n\nThe vorpaline glossary entry sits here on page two.',
        ]),
        'application/pdf',
      ),
      dropFile('handbook.txt', passages.join('\n\n'), 'text/plain'),
      dropFile('memo.docx', await makeDocx(['A memo about the budget review.'])),
    ]);
    for (const name of ['report.pdf', 'handbook.txt', 'memo.docx']) {
      await page
        .locator(`[data-testid="file-row"][data-name="${name}"][data-status="done"]`)
        .waitFor({ timeout: 60_000 });
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('opens a PDF hit on page 2 with Enter: the page image renders and a highlight covers the hit', async () => {
    await page.keyboard.press('Control+k');
    await page.locator('[data-testid="search-input"]').fill('vorpaline glossary');
    const hit = page.locator('[data-testid="search-result"][data-path="report.pdf"][data-page="2"]');
    await hit.waitFor({ timeout: 30_000 });
    await hit.locator('button').focus();
    await page.keyboard.press('Enter');

    const image = page.locator('[data-testid="preview-image"]');
    await image.waitFor({ timeout: 30_000 });
    await expect
      .poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(200);
    await expect(page.locator('[data-testid="preview-page"] figcaption').textContent()).resolves.toMatch(
      /Page 2 of 2/,
    );

    const { image: pageBox, highlights } = await previewGeometry(page);
    expect(highlights.length).toBeGreaterThanOrEqual(2);
    // Where makePdf put the second paragraph's line, as a fraction of the page height.
    const hitLine = (PAGE_HEIGHT_PT - SECOND_PARAGRAPH_BASELINE_PT) / PAGE_HEIGHT_PT;
    const firstLine = (PAGE_HEIGHT_PT - FIRST_BASELINE_PT) / PAGE_HEIGHT_PT;
    for (const box of highlights) {
      const top = (box.y - pageBox.y) / pageBox.height;
      const bottom = (box.y + box.height - pageBox.y) / pageBox.height;
      expect(top).toBeLessThan(hitLine);
      expect(bottom).toBeGreaterThan(hitLine);
      expect(top).toBeGreaterThan(firstLine); // not the intro line above it
      expect(box.x).toBeGreaterThanOrEqual(pageBox.x);
      expect(box.x + box.width).toBeLessThanOrEqual(pageBox.x + pageBox.width);
    }
    await expect(
      page.locator('[data-testid="preview-hit-passage"] mark').first().textContent(),
    ).resolves.toMatch(/vorpaline/i);
    await saveScreenshot(page, 'search');

    await page.keyboard.press('Escape');
    await page.locator('[data-testid="preview-pane"]').waitFor({ state: 'detached' });
  });

  it('shows a text hit as its passage in context with <mark>', async () => {
    await page.locator('[data-testid="search-input"]').fill('quillotine procedure');
    const hit = page.locator('[data-testid="search-result"][data-path="handbook.txt"]');
    await hit.first().waitFor({ timeout: 30_000 });
    await hit.first().locator('button').click();
    const passage = page.locator('[data-testid="preview-hit-passage"]');
    await passage.waitFor({ timeout: 30_000 });
    await expect(passage.locator('mark').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['quillotine', 'procedure']),
    );
    await expect(page.locator('[data-testid="preview-passage"]').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('[data-testid="preview-image"]').count()).resolves.toBe(0);
    // The browser cannot open files in the system's apps: no such button here.
    await expect(page.locator('[data-testid="open-file"]').count()).resolves.toBe(0);
  });

  it('narrows results by file type', async () => {
    await page.locator('[data-testid="search-input"]').fill('budget');
    const results = page.locator('[data-testid="search-result"]');
    await expect.poll(() => results.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const before = await results.evaluateAll((items) => items.map((item) => item.getAttribute('data-path')));
    expect(before).toEqual(expect.arrayContaining(['report.pdf', 'handbook.txt', 'memo.docx']));

    await page.locator('[data-testid="search-filters"] summary').click();
    await page.locator('[data-testid="filter-type-pdf"]').check();
    await expect
      .poll(() => results.evaluateAll((items) => items.map((item) => item.getAttribute('data-path'))), {
        timeout: 30_000,
      })
      .toEqual(['report.pdf']);
    await page.locator('[data-testid="filter-type-pdf"]').uncheck();
    await page.locator('[data-testid="filter-type-text"]').check();
    await expect
      .poll(
        () =>
          results.evaluateAll((items) => [...new Set(items.map((item) => item.getAttribute('data-path')))]),
        {
          timeout: 30_000,
        },
      )
      .toEqual(['handbook.txt']);
    await page.locator('[data-testid="filter-type-text"]').uncheck();
  });

  it('offers semantic mode only when the backend has it (disabled, with the reason, on local)', async () => {
    const semantic = page.locator('[data-testid="search-mode"] option[value="semantic"]');
    await expect(semantic.isDisabled()).resolves.toBe(true);
    await expect(semantic.getAttribute('title')).resolves.toMatch(/Azure AI Search/);
    await expect(
      page.locator('[data-testid="search-mode"] option[value="keyword"]').isDisabled(),
    ).resolves.toBe(false);
  });
});
