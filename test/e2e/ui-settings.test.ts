import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AzureServiceKey } from '../../electron/contract';
import { type AzureSim, startAzureSim } from '../azure-sim/index';
import { chromiumAvailable, launchChromium } from '../helpers/chromium';
import { type ServeProcess, startServe } from '../helpers/serve-process';
import { openApp, recordWebSocketFrames, saveScreenshot } from '../helpers/ui-page';

const SERVICES: readonly AzureServiceKey[] = ['openai', 'documentIntelligence', 'vision', 'search'];

/** Distinctive keys, so finding one anywhere in the page or its messages is unambiguous. */
const KEYS: Record<AzureServiceKey, string> = {
  openai: 'k-openai-5c1f9e7d2a',
  documentIntelligence: 'k-docintel-8b3e6a0f4c',
  vision: 'k-vision-2d7c9b1e6f',
  search: 'k-search-9a4f2c8e1b',
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Everything the page holds as text: its markup plus every input's current value. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document.documentElement.outerHTML +
      [...document.querySelectorAll('input')].map((input) => input.value).join('\n'),
  );
}

async function testService(page: Page, service: AzureServiceKey): Promise<{ outcome: string; text: string }> {
  await page.locator(`[data-testid="test-${service}"]`).click();
  const result = page.locator(
    `[data-testid="test-result-${service}"]:not([data-outcome="running"])[data-outcome]`,
  );
  await result.waitFor({ timeout: 30_000 });
  return {
    outcome: (await result.getAttribute('data-outcome')) ?? '',
    text: (await result.textContent()) ?? '',
  };
}

async function save(page: Page): Promise<void> {
  await page.locator('[data-testid="settings-save"]').click();
  await page.locator('[data-testid="settings-status"]', { hasText: /^Saved at/ }).waitFor();
}

describe.runIf(chromiumAvailable())('settings view: write-only keys and Test connection', () => {
  let serve: ServeProcess;
  let sim: AzureSim;
  let browser: Browser;
  let page: Page;
  let received: { frames: string[] };

  beforeAll(async () => {
    sim = await startAzureSim({ profile: 'instant', seed: 5, keys: KEYS });
    serve = await startServe(await mkdtemp(path.join(os.tmpdir(), 'quarry-ui-settings-')));
    browser = await launchChromium();
    page = await openApp(browser, serve.url, {
      beforeLoad: (p) => {
        received = recordWebSocketFrames(p);
      },
    });
    await page.locator('[data-testid="settings-button"]').click();
    await page.locator('[data-testid="settings-form"] [data-testid="settings-general"]').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await sim?.close();
  });

  it('stores keys write-only: "Key is set", and the key text is never in the DOM or a message to the page', async () => {
    for (const service of SERVICES) {
      await page.locator(`[data-testid="endpoint-${service}"]`).fill(sim.endpoints[service]);
      await page.locator(`[data-testid="key-${service}"]`).fill(KEYS[service]);
    }
    await page.locator('[data-testid="embedding-deployment"]').fill('text-embedding-3-small');
    await page.locator('[data-testid="search-index"]').fill('quarry');
    await save(page);

    for (const service of SERVICES) {
      await expect(page.locator(`[data-testid="key-status-${service}"]`).textContent()).resolves.toBe(
        'Key is set',
      );
    }
    const text = await pageText(page);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
    expect(received.frames.length).toBeGreaterThan(0);
    for (const frame of received.frames) {
      for (const key of Object.values(KEYS)) expect(frame).not.toContain(key);
    }
    // Where keys are kept is stated (memory only where this machine has no keychain).
    await expect(page.locator('[data-testid="secret-storage"]').textContent()).resolves.toMatch(
      /keychain|memory/i,
    );
  });

  it('Test connection reports ok for every service against the simulator', async () => {
    for (const service of SERVICES) {
      const { outcome, text } = await testService(page, service);
      expect(outcome, `${service}: ${text}`).toBe('ok');
      expect(text).toMatch(/Connected in \d+ ms/);
    }
    await page.evaluate(() => document.getElementById('view-settings')?.scrollTo(0, 0));
    await saveScreenshot(page, 'settings');
  });

  it('reports a wrong key as auth, a wrong port as network and a missing deployment as invalid_input', async () => {
    await page.locator('[data-testid="key-openai"]').fill('not-the-right-key');
    let result = await testService(page, 'openai');
    expect(result.outcome).toBe('auth');
    expect(result.text).toMatch(/401/);
    await page.locator('[data-testid="key-search"]').fill('not-the-right-key');
    result = await testService(page, 'search');
    expect(result.outcome).toBe('auth');
    expect(result.text).toMatch(/403/);
    for (const service of ['openai', 'search'] as const) {
      await page.locator(`[data-testid="key-${service}"]`).fill(KEYS[service]);
    }
    await save(page);

    await page.locator('[data-testid="endpoint-vision"]').fill(`http://127.0.0.1:${await closedPort()}`);
    result = await testService(page, 'vision');
    expect(result.outcome).toBe('network');
    await page.locator('[data-testid="endpoint-vision"]').fill(sim.endpoints.vision);

    await page.locator('[data-testid="embedding-deployment"]').fill('missing-deployment');
    result = await testService(page, 'openai');
    expect(result.outcome).toBe('invalid_input');
    expect(result.text).toContain('missing-deployment');
    await page.locator('[data-testid="embedding-deployment"]').fill('text-embedding-3-small');
    expect((await testService(page, 'openai')).outcome).toBe('ok');
  });

  it('clears a key, and the settings survive a reload', async () => {
    await page.locator('[data-testid="clear-key-vision"]').click();
    await expect.poll(() => page.locator('[data-testid="key-status-vision"]').textContent()).toBe('Not set');
    await page.reload();
    await page.locator('body[data-app-state="ready"]').waitFor();
    await page.locator('[data-testid="settings-button"]').click();
    await expect(page.locator('[data-testid="endpoint-openai"]').inputValue()).resolves.toBe(
      sim.endpoints.openai,
    );
    await expect(page.locator('[data-testid="key-status-openai"]').textContent()).resolves.toBe('Key is set');
    await expect(page.locator('[data-testid="key-status-vision"]').textContent()).resolves.toBe('Not set');
    const text = await pageText(page);
    for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
  });

  it('switches the UI to Simplified Chinese and back, and remembers the choice', async () => {
    await page.locator('[data-testid="language-select"]').selectOption('zh-CN');
    await expect(page.locator('[data-testid="settings-button"]').textContent()).resolves.toBe('设置');
    await expect(page.locator('[data-testid="key-status-openai"]').textContent()).resolves.toBe('已设置密钥');
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');
    await page.reload();
    await page.locator('body[data-app-state="ready"]').waitFor();
    await expect(page.locator('[data-testid="ingest-tab"]').textContent()).resolves.toBe('导入');
    await page.locator('[data-testid="settings-button"]').click();
    await page.locator('[data-testid="language-select"]').selectOption('auto');
    await expect(page.locator('[data-testid="settings-button"]').textContent()).resolves.toBe('Settings');
  });
});
