/**
 * The profiler in the app, in browser mode: open the LIF CNN from the gallery, train it one epoch in
 * the Run tab, profile it in the Profile tab with that run's weights (the table lists every node,
 * its spike outputs with firing rates in [0, 1]), paint the canvas by firing rate (each LIF block
 * coloured and badged with the rate the table gives it, the wires by their spike density, a legend
 * of the scale), then by energy share, and open the spike raster of a LIF layer. Screenshots of each
 * state go to test-results/e2e/profile-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failOnConsoleErrors, freshStart, launchBrowser, startStudio, viewportSettled, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

/** One epoch of the LIF CNN on the digits, on 2 busy cores: under a minute alone; a timeout with room. */
const EPOCH_MS = 6 * 60_000;
const PROFILE_MS = 4 * 60_000;
/** Test samples to profile: enough for stable rates, few enough to keep the test short. */
const SAMPLES = '64';
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

let studio: Studio;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });

async function typeInto(testIdOrLabel: { testId: string } | { label: string }, value: string): Promise<void> {
  const input = 'testId' in testIdOrLabel ? page.getByTestId(testIdOrLabel.testId) : page.getByLabel(testIdOrLabel.label, { exact: true });
  await input.click();
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type(value);
  await page.keyboard.press('Tab');
}

/** The table's "fr out" cell of the row at `path`, as a fraction (undefined when empty). */
async function rateOut(path: string): Promise<number | undefined> {
  const text = (await page.getByTestId('profile-table').locator(`tr[data-path="${path}"] td`).nth(4).textContent())?.trim() ?? '';
  return text === '' ? undefined : Number(text.replace('%', '')) / 100;
}

describe('the profiler in the app (browser mode)', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: 1440, height: 900 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('opens the LIF CNN and trains it one epoch in the Run tab', { timeout: EPOCH_MS + 180_000 }, async () => {
    await freshStart(page, studio);
    await poll(() => page.getByTestId('template-lif-cnn').count(), 120_000).toBe(1);
    await page.getByTestId('open-template-lif-cnn').click();
    await poll(() => page.getByTestId('gallery').count(), 120_000).toBe(0);
    await poll(() => page.getByTestId('node-lif1').count()).toBe(1);

    await page.getByTestId('tab-run').click();
    await page.getByTestId('run-sidebar').getByText('Settings', { exact: false }).click();
    await typeInto({ testId: 'setting-epochs' }, '1');
    await poll(() => page.getByTestId('setting-epochs').inputValue()).toBe('1');
    await page.getByTestId('run-start').click();
    const status = () => page.getByTestId('run-status').getAttribute('data-status');
    await poll(status).toBe('running');
    await poll(status, EPOCH_MS).toBe('finished');
    await shot(page, 'profile-01-trained');
  });

  it('profiles the trained model: a row per node, firing rates between 0 and 1', { timeout: PROFILE_MS + 60_000 }, async () => {
    await page.getByTestId('tab-profile').click();
    const panel = page.getByTestId('profile-panel');
    await poll(() => panel.textContent()).toMatch(/weights of run /);
    await typeInto({ label: 'Test samples' }, SAMPLES);
    await page.getByTestId('profile-start').click();
    await poll(() => page.getByTestId('profile-table').count(), PROFILE_MS).toBe(1);
    expect(await panel.textContent()).toMatch(new RegExp(`${SAMPLES} samples of .*trained weights`));

    const paths = await page.getByTestId('profile-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path')));
    expect(paths).toEqual(expect.arrayContaining(['conv1', 'lif1', 'lif2']));
    for (const lif of ['lif1', 'lif2']) {
      const r = await rateOut(lif);
      expect(r, `${lif}'s firing rate`).toBeGreaterThan(0);
      expect(r).toBeLessThanOrEqual(1);
    }
    const rates = (await Promise.all(paths.map((p) => rateOut(p!)))).filter((r) => r !== undefined);
    expect(rates.length).toBeGreaterThanOrEqual(2);
    for (const r of rates) {
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThanOrEqual(1);
    }
    await shot(page, 'profile-02-table');
  });

  it('paints the canvas by firing rate: LIF blocks coloured and badged with their rate, wires by spike density, a legend', async () => {
    // nothing is painted until asked
    expect(await page.locator('.snn-node[data-paint]').count()).toBe(0);
    await page.getByTestId('profile-paint').getByText('firing rate', { exact: true }).click();
    await poll(() => page.getByTestId('profile-legend').count()).toBe(1);
    await viewportSettled(page);

    for (const lif of ['lif1', 'lif2']) {
      const badge = page.getByTestId(`node-paint-${lif}`);
      await poll(() => badge.count()).toBe(1);
      // the badge prints the table's figure; the block's background is the scale's colour
      const table = await rateOut(lif);
      const shown = Number((await badge.textContent())!.replace('%', '')) / 100;
      expect(shown).toBeCloseTo(table!, 3);
      const bg = await page.getByTestId(`node-${lif}`).evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(bg).toMatch(/^rgb/);
      expect(bg).not.toBe(await page.getByTestId('node-conv1').evaluate((el) => getComputedStyle(el).backgroundColor));
    }
    // a block that writes no spikes has no firing rate to show
    expect(await page.getByTestId('node-paint-conv1').count()).toBe(0);
    // wires carrying spikes are drawn by their density
    const densities = await page.locator('.react-flow__edge-path[data-density]').evaluateAll((ps) => ps.map((p) => Number(p.getAttribute('data-density'))));
    expect(densities.length).toBeGreaterThan(0);
    for (const d of densities) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(1);
    }
    const max = Number(await page.getByTestId('profile-legend').getAttribute('data-max'));
    expect(max).toBeGreaterThan(0);
    expect(max).toBeGreaterThanOrEqual(Math.max(...densities));
    await shot(page, 'profile-03-canvas-firing-rate');

    await page.getByTestId('profile-paint').getByText('energy', { exact: true }).click();
    await poll(() => page.getByTestId('node-paint-conv1').count()).toBe(1);
    expect(await page.locator('.react-flow__edge-path[data-density]').count()).toBe(0);
    await shot(page, 'profile-04-canvas-energy');
    await page.getByTestId('profile-paint').getByText('firing rate', { exact: true }).click();
    await poll(() => page.getByTestId('node-paint-conv1').count()).toBe(0);
  });

  it('opens the spike raster of a LIF layer from the table', async () => {
    await page.getByTestId('profile-table').locator('tr[data-path="lif2"]').click();
    const raster = page.getByTestId('profile-raster');
    await poll(() => raster.count()).toBe(1);
    expect(await raster.textContent()).toMatch(/Spikes on the first sample: \d+ of \d+ neurons × 4 steps/);
    // real spikes: some cells are drawn
    await poll(() => raster.locator('svg rect').count()).toBeGreaterThan(0);
    await poll(() => page.getByTestId('profile-steps').textContent()).toMatch(/lif2: firing rate per time step \(T=4\)/);
    // the side column scrolls to the raster under the totals and the per-step charts
    await raster.scrollIntoViewIfNeeded();
    const box = (await raster.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    await shot(page, 'profile-05-raster');
  });
});
