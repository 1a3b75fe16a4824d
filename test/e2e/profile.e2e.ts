/**
 * The profiler in the app, in browser mode: open the LIF CNN from the gallery, train it one epoch in
 * the Run tab, profile it in the Profile tab with that run's weights (the table lists every node,
 * its spike outputs with firing rates in [0, 1]), paint the canvas by firing rate (each LIF block
 * coloured and badged with the rate the table gives it, the wires by their spike density, a legend
 * of the scale), then by energy share, and open the spike raster of a LIF layer with its membrane
 * trace; pick another sample (another raster) and the neurons traced, and save the raster, the
 * trace and the per-step bars as PNG files that decode to the charts' sizes. Screenshots of each
 * state go to test-results/e2e/profile-*.png.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
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
    expect(await raster.textContent()).toMatch(/Spikes on sample 0: \d+ of \d+ neurons × 4 steps/);
    // real spikes: some cells are drawn
    await poll(() => raster.locator('svg rect').count()).toBeGreaterThan(0);
    await poll(() => page.getByTestId('profile-steps').textContent()).toMatch(/lif2: firing rate per time step \(T=4\)/);
    // the side column scrolls to the raster under the totals and the per-step charts
    await raster.scrollIntoViewIfNeeded();
    const box = (await raster.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    await shot(page, 'profile-05-raster');
  });

  it('draws the membrane trace of the layer picked: its neurons, the threshold and the spikes on the sample shown', async () => {
    const membrane = page.getByTestId('profile-membrane');
    await poll(() => membrane.count(), 60_000).toBe(1);
    expect(await membrane.getAttribute('data-node')).toBe('lif2');
    expect(await membrane.getAttribute('data-sample')).toBe('0');
    expect(await membrane.textContent()).toMatch(/Membrane of lif2 on sample 0: 4 of \d+ neurons/);
    // uPlot draws it: a plot canvas of the chart's size
    await poll(() => membrane.locator('canvas').count()).toBe(1);
    await membrane.scrollIntoViewIfNeeded();
    await shot(page, 'profile-06-membrane');
  });

  it('shows another test sample: the raster and the trace change with it', { timeout: 120_000 }, async () => {
    const raster = page.getByTestId('profile-raster');
    const cells = () => raster.locator('svg rect').evaluateAll((rs) => rs.map((r) => `${r.getAttribute('x')},${r.getAttribute('y')}`).join(' '));
    const first = await cells();
    await typeInto({ testId: 'profile-sample' }, '3');
    await page.getByTestId('profile-sample-show').click();
    await poll(() => raster.getAttribute('data-sample'), 60_000).toBe('3');
    expect(await raster.textContent()).toMatch(/Spikes on sample 3: /);
    await poll(() => page.getByTestId('profile-membrane').getAttribute('data-sample')).toBe('3');
    // test samples 0 and 3 are different digits: lif2 fires differently on them
    expect(await cells()).not.toBe(first);
    await shot(page, 'profile-07-sample-3');
  });

  it('traces the neurons typed, and refuses an index past the layer before running anything', { timeout: 120_000 }, async () => {
    const membrane = page.getByTestId('profile-membrane');
    await typeInto({ testId: 'profile-neurons' }, '0, 4000');
    await page.getByTestId('profile-sample-show').click();
    await poll(() => membrane.textContent(), 60_000).toMatch(/Membrane of lif2 on sample 3: 2 of 12544 neurons/);
    await typeInto({ testId: 'profile-neurons' }, '7 12544');
    await page.getByTestId('profile-sample-show').click();
    await poll(() => page.getByTestId('profile-neurons-error').textContent()).toBe("neuron 12544 is past the layer's 12544 neurons (0 to 12543)");
    // the trace shown is still the last one drawn
    expect(await membrane.textContent()).toMatch(/2 of 12544 neurons/);
  });

  it('saves the raster, the membrane trace and the per-step bars as PNG files of the charts\' sizes', { timeout: 240_000 }, async () => {
    const save = async (button: string, name: string): Promise<PNG> => {
      await page.getByTestId(button).click();
      await page.getByTestId('picker-name').fill(name);
      await page.keyboard.press('Enter');
      const path = join(studio.workDir, name);
      await poll(() => readFile(path).then((b) => b.length, () => 0), 60_000).toBeGreaterThan(0);
      return PNG.sync.read(await readFile(path));
    };
    // SVG charts: twice their size, under a 22-pixel title band
    const svgSize = async (testId: string) => page.getByTestId(testId).locator('svg[role="img"]').first().evaluate((el) => [Number(el.getAttribute('width')), Number(el.getAttribute('height'))]);
    const [rw, rh] = await svgSize('profile-raster');
    const raster = await save('profile-png-raster', 'raster.png');
    expect([raster.width, raster.height]).toEqual([2 * rw!, 2 * (rh! + 22)]);
    // the spikes are drawn, in a colour far from the background's
    expect(drawnPixels(raster, 2 * 22)).toBeGreaterThan(0);

    const [sw, sh] = await svgSize('profile-steps');
    const steps = await save('profile-png-steps', 'steps.png');
    expect([steps.width, steps.height]).toEqual([2 * sw!, 2 * (sh! + 22)]);
    expect(drawnPixels(steps, 2 * 22)).toBeGreaterThan(0);

    // the uPlot chart: its canvas, with the title above and the legend below
    const canvas = await page.getByTestId('profile-membrane').locator('canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    const trace = await save('profile-png-membrane', 'membrane.png');
    expect(trace.width).toBe(canvas[0]);
    expect(trace.height).toBeGreaterThan(canvas[1]! + 22);
    expect(drawnPixels(trace, 22)).toBeGreaterThan(0);
    await shot(page, 'profile-08-saved-png');
  });
});

/** Pixels below the title band whose colour is far from the background's (the top-left pixel's). */
function drawnPixels(png: PNG, below: number): number {
  const bg = [png.data[0]!, png.data[1]!, png.data[2]!];
  let n = 0;
  for (let y = below; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = 4 * (y * png.width + x);
      if (Math.abs(png.data[i]! - bg[0]!) + Math.abs(png.data[i + 1]! - bg[1]!) + Math.abs(png.data[i + 2]! - bg[2]!) > 120) n++;
    }
  }
  return n;
}
