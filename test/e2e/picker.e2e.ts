/**
 * The browser-mode file picker keeps an Enter pressed before its folder listing has arrived, and
 * carries it out when the listing comes (it used to drop it: on a busy machine the PyTorch export
 * then never started). To make the race certain, the page's API socket runs through Playwright
 * (routeWebSocket) and the replies to `browseFiles` are held until the test lets them through.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_API_PATH } from '../../engine/api/wire.js';
import { skipping } from '../helpers/skip.js';
import { browserSkipReason, failOnConsoleErrors, freshStart, launchBrowser, openFromGallery, startStudio, type Browser, type Studio } from './harness.js';

let studio: Studio;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });

/** The API socket between page and host, with `browseFiles` replies held while `holding`. */
const gate = {
  holding: false,
  heldIds: new Set<number>(),
  held: [] as (string | Buffer)[],
  page: undefined as WebSocketRoute | undefined,
  release(): void {
    this.holding = false;
    for (const m of this.held.splice(0)) this.page!.send(m);
  },
};

describe.skipIf(skipping('end-to-end: file picker', browserSkipReason()))('the file picker in browser mode', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: 1440, height: 900 });
    page = browser.page;
    await page.routeWebSocket(new RegExp(`${WS_API_PATH}(\\?|$)`), (ws) => {
      gate.page = ws;
      const host = ws.connectToServer();
      ws.onMessage((m) => {
        const request = JSON.parse(String(m)) as { id?: number; method?: string };
        if (gate.holding && request.method === 'browseFiles' && typeof request.id === 'number') gate.heldIds.add(request.id);
        host.send(m);
      });
      host.onMessage((m) => {
        const reply = JSON.parse(String(m)) as { id?: number };
        if (typeof reply.id === 'number' && gate.heldIds.delete(reply.id)) gate.held.push(m);
        else ws.send(m);
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('an Enter pressed before the folder listing arrives exports once it does', { timeout: 240_000 }, async () => {
    await freshStart(page, studio);
    await openFromGallery(page, 'lif-cnn');
    await poll(() => page.getByTestId('node-lif1').count()).toBe(1);

    gate.holding = true;
    await page.getByTestId('menu-File').click();
    await page.getByTestId('submenu-Export').hover();
    await page.getByTestId('menuitem-file.exportPytorch').click();
    await poll(() => page.getByTestId('export-lint').getAttribute('data-state')).toBe('ok');
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('file-picker').waitFor();
    await poll(() => gate.held.length > 0).toBe(true);
    expect(await page.getByTestId('file-picker').getAttribute('data-loaded')).toBe('false');
    await page.getByTestId('picker-name').fill('early-enter');
    await page.keyboard.press('Enter');
    // nothing can happen while the listing is held: the export has not started
    await page.waitForTimeout(300);
    expect(await page.getByTestId('export-dialog').getAttribute('data-phase')).toBe('idle');

    gate.release();
    await poll(() => page.getByTestId('export-dialog').getAttribute('data-phase'), 180_000).toMatch(/^(done|failed)$/);
    expect(await page.getByTestId('export-dialog').getAttribute('data-phase')).toBe('done');
    expect((await stat(join(studio.workDir, 'early-enter', 'model.py'))).isFile()).toBe(true);
  });
});
