/**
 * The inspector's build check and limits, clicked in the real UI: Compile builds the open model
 * on the host and reports it; a large model's build is cancelled with Cancel and the host builds
 * the next one; a limit lowered in the inspector refuses the model on the canvas and in the build,
 * survives a reload (an app preference), and clearing it accepts the model again.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, failOnConsoleErrors, freshStart, launchBrowser, startStudio, type Browser, type Studio } from './harness.js';
import { skipping } from '../helpers/skip.js';
import { shot } from './shot.js';

let studio: Studio;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const outcome = () => page.getByTestId('compile-outcome').textContent();

async function openTemplate(id: string, presetText?: string): Promise<void> {
  await page.getByTestId('gallery').waitFor();
  await poll(() => page.getByTestId(`template-${id}`).count()).toBe(1);
  if (presetText) {
    const presets = page.getByTestId(`preset-${id}`);
    const label = (await presets.locator('option').allTextContents()).find((l) => l.includes(presetText));
    expect(label).toBeDefined();
    await presets.selectOption({ label: label! });
  }
  await page.getByTestId(`open-template-${id}`).click();
  await page.getByTestId('document-inspector').waitFor();
}

describe.skipIf(skipping('end-to-end: build check', browserSkipReason()))('build check and limits in the inspector', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: 1600, height: 1000 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('Compile reports the built model; a large build is cancelled and the next one builds', async () => {
    await freshStart(page, studio);
    // Spikformer-8-768 on ImageNet: seconds of building on the host
    await openTemplate('spikformer', '8-768');
    await page.getByTestId('compile-check').click();
    await page.getByTestId('compile-cancel').click();
    await poll(outcome).toBe('Compile cancelled.');
    await shot(page, 'build-01-cancelled');

    await freshStart(page, studio);
    await openTemplate('lif-cnn');
    await page.getByTestId('compile-check').click();
    await poll(outcome).toMatch(/^ONNX model of [\d.]+ [kM]B, built in \d+ ms; input \[1, 1, 28, 28\] → output \[1, 10\]$/);
    await shot(page, 'build-02-built');
  });

  it('a lowered parameter limit refuses the model until it is cleared, and survives a reload', async () => {
    await page.getByTestId('limit-parameters').fill('100');
    await poll(() => page.getByTestId('compile-check').isDisabled()).toBe(true);
    await page.getByTestId('tab-problems').click();
    await poll(() => page.locator('[data-testid="problem"][data-severity="error"]').count()).toBe(1);
    expect(await page.locator('[data-testid="problem"][data-severity="error"]').textContent()).toContain('the limit is 100 (limit "parameters")');
    await shot(page, 'build-03-limit-lowered');

    // an app preference: the next window has it, and the host builds under it
    await page.reload();
    await openTemplate('lif-cnn');
    await poll(() => page.getByTestId('limit-parameters').inputValue()).toBe('100');
    expect(await page.getByTestId('compile-check').isDisabled()).toBe(true);

    await page.getByTestId('limit-parameters').fill('');
    await poll(() => page.getByTestId('compile-check').isDisabled()).toBe(false);
    await page.getByTestId('compile-check').click();
    await poll(outcome).toMatch(/^ONNX model of /);
  });
});
