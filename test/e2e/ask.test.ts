/**
 * Ask in the browser: `quarry serve` on the Azure backend (the simulator, its chat stream slowed
 * per piece) in Debian Chromium. The answer grows in the page while it streams, its citation
 * chips open the preview at the cited page, and Stop ends the HTTP request with the text kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantProfile } from '../azure-sim/core/profiles';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { makePdf } from '../fixtures/generate';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { type ServeProcess, startServe } from '../helpers/serve-process';
import { dropFile, dropFiles, openApp } from '../helpers/ui-page';

/** Each streamed piece of the sim's answer waits this long: slow enough to watch, fast enough to test. */
const PIECE_DELAY_IN_MS = 60;

/** Records every (state, text length) the answer shows, from inside the page. */
async function watchAnswer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { state: string; length: number }[] = [];
    (window as unknown as { answerStates: typeof seen }).answerStates = seen;
    const record = () => {
      const answer = document.querySelector('[data-testid="ask-answer"]');
      if (!answer) return;
      const state = answer.getAttribute('data-state') ?? '';
      const length = answer.querySelector('.answer-text')?.textContent?.length ?? 0;
      const last = seen.at(-1);
      if (last?.state !== state || last.length !== length) seen.push({ state, length });
    };
    new MutationObserver(record).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

async function answerStates(page: Page): Promise<{ state: string; length: number }[]> {
  return page.evaluate(
    () => (window as unknown as { answerStates: { state: string; length: number }[] }).answerStates,
  );
}

async function ask(page: Page, question: string): Promise<void> {
  await page.locator('[data-testid="ask-input"]').fill(question);
  await page.locator('[data-testid="ask-input"]').press('Enter');
}

describe.runIf(chromiumAvailable())('Ask view: streamed answers with citations (browser, Azure sim)', () => {
  let sim: AzureSim;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startAzureSim({
      profile: {
        ...instantProfile,
        latency: { 'openai.chat': { baseMs: 0, perUnitMs: PIECE_DELAY_IN_MS, jitterRatio: 0 } },
      },
      inFlightGraceMs: 250,
    });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'quarry-e2e-ask-'));
    serve = await startServe(dataDir, { env: sim.env() });
    browser = await launchChromium();
    page = await openApp(browser, serve.url);
    await dropFiles(page, [
      dropFile(
        'handbook.pdf',
        await makePdf([
          'Welcome to the team. This handbook explains how we work.',
          'Expense claims are filed within thirty days of the trip, with every receipt attached to the claim.',
        ]),
        'application/pdf',
      ),
      dropFile(
        'garden.txt',
        'The community garden opens at seven in the morning. Tomatoes are planted in May.',
        'text/plain',
      ),
    ]);
    for (const name of ['handbook.pdf', 'garden.txt']) {
      await page
        .locator(`[data-testid="file-row"][data-name="${name}"][data-status="done"]`)
        .waitFor({ timeout: 60_000 });
    }
    await page.locator('[data-testid="search-tab"]').click();
    await page.locator('[data-testid="ask-panel-tab"]').click();
    await page.locator('[data-testid="ask-input"]').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await sim?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('streams the answer into the page as it arrives, then shows chips that open the cited page', async () => {
    await watchAnswer(page);
    await ask(page, 'When are expense claims filed?');
    const answer = page.locator('[data-testid="ask-answer"]');
    await page.locator('[data-testid="ask-answer"][data-state="done"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => answer.locator('.answer-text').textContent()).toContain('within thirty days');

    // The text grew in steps while streaming: at least two different non-empty lengths before "done".
    const states = await answerStates(page);
    const streamingLengths = new Set(
      states.filter((seen) => seen.state === 'streaming' && seen.length > 0).map((seen) => seen.length),
    );
    expect(streamingLengths.size).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)?.state).toBe('done');

    const chip = page.locator('[data-testid="ask-citation"]').first();
    expect(await chip.getAttribute('data-path')).toBe('handbook.pdf');
    expect(await chip.getAttribute('data-page')).toBe('2');
    await chip.click();
    const preview = page.locator('[data-testid="preview-pane"]');
    await expect
      .poll(() => preview.locator('[data-testid="preview-hit-passage"]').textContent(), { timeout: 30_000 })
      .toContain('Expense claims are filed within thirty days');
    await expect
      .poll(() => preview.locator('[data-testid="preview-page"] figcaption').textContent())
      .toContain('2');
    expect(await page.locator('[data-testid="ask-stop"]').count()).toBe(0);
  }, 90_000);

  it('stops generation: the request ends at the service and the text so far stays, marked partial', async () => {
    sim.ledger.clear();
    await ask(page, 'What opens at seven and what is planted in May in the community garden?');
    const answer = page.locator('[data-testid="ask-answer"]');
    await expect
      .poll(async () => (await answer.locator('.answer-text').textContent())?.length ?? 0)
      .toBeGreaterThan(5);
    await page.locator('[data-testid="ask-stop"]').click();
    await page.locator('[data-testid="ask-answer"][data-state="partial"]').waitFor({ timeout: 10_000 });
    const kept = (await answer.locator('.answer-text').textContent()) ?? '';
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).not.toContain('Tomatoes are planted in May');
    await expect
      .poll(() => sim.ledger.entries().find((entry) => entry.route === 'openai.chat')?.outcome)
      .toBe('clientAborted');
    // The earlier question is in the session's history and shows its answer again.
    const history = page.locator('[data-testid="ask-history-item"]');
    expect(await history.count()).toBe(2);
    await history.nth(1).click();
    await page.locator('[data-testid="ask-answer"][data-state="done"]').waitFor();
  }, 60_000);
});
