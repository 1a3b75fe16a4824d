/**
 * The deployed MACs in the app: Meta-SpikeFormer tiny opened from the gallery, its Layers table has a
 * "MACs folded" column whose header says what the figure means; the stage holding RepConvs shows its
 * folded MACs beside those as built, and so does the node inspector when that row is picked.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { foldedMacsChange } from '../../engine/core/graph/linear-chains.js';
import { buildTemplate } from '../../templates/index.js';
import { formatCount } from '../../renderer/src/format.js';
import { skipping } from '../helpers/skip.js';
import { browserSkipReason, failOnConsoleErrors, launchBrowser, startStudio, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

let studio: Studio;
let browser: Browser;
let page: Page;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

describe.skipIf(skipping('end-to-end: folded MACs', browserSkipReason()))('MACs folded beside MACs as built', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: 1600, height: 1000 });
    page = browser.page;
    await page.goto(studio.url);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('Meta-SpikeFormer tiny: the document totals, the Layers table and the inspector show the folded figure where RepConvs fold', async () => {
    // what the table must show, from the analysis the canvas runs
    const a = analyseDocument(buildTemplate('meta-spikeformer', 'tiny'));
    const change = foldedMacsChange(a.foldedChains);
    const folded = a.body.nodes.filter((n) => (change.get(n.id) ?? 0) !== 0);
    expect(folded.length).toBeGreaterThan(0);

    await page.getByTestId('gallery').waitFor();
    await page.getByTestId('preset-meta-spikeformer').selectOption('tiny');
    await page.getByTestId('open-template-meta-spikeformer').click();
    await page.getByTestId('canvas').waitFor();
    // nothing selected: the document's totals, as built and deployed
    await poll(() => page.getByTestId('doc-macs').textContent()).toBe(formatCount(a.macs));
    expect(a.foldedMacs).not.toBe(a.macs);
    await poll(() => page.getByTestId('doc-folded-macs').textContent()).toBe(formatCount(a.foldedMacs));
    await page.getByTestId('tab-layers').click();
    const header = page.getByTestId('layers-folded-header');
    await header.waitFor();
    expect(await header.getAttribute('title')).toMatch(/linear chain on spikes .* folds into one conv, as the deployed model runs it/);

    for (const n of folded) await poll(() => page.getByTestId(`layers-folded-${n.id}`).textContent()).toBe(formatCount(n.macs + change.get(n.id)!));
    const untouched = a.body.nodes.find((n) => n.macs > 0 && change.get(n.id) === undefined);
    if (untouched) expect(await page.getByTestId(`layers-folded-${untouched.id}`).textContent()).toBe('');
    await shot(page, 'folded-01-layers');

    await page.getByTestId(`layers-row-${folded[0]!.id}`).click();
    await poll(() => page.getByTestId('node-folded-macs').textContent()).toBe(formatCount(folded[0]!.macs + change.get(folded[0]!.id)!));
    await shot(page, 'folded-02-inspector');
  });
});
