/**
 * The run panel's speed target: the UI stays smooth while a run trains (p95 frame < 50 ms).
 */
import { ensureRendererBuilt } from '../../scripts/start/renderer-build.js';
import { launchBrowser, REPO, startStudio } from '../../test/e2e/harness.js';
import type { BenchRow } from '../types.js';
import { pan, PAN_MS, waitUntil } from './canvas.js';

const SUITE = 'run-panel';

/**
 * The UI while a run trains (target p95 frame < 50 ms on 2 cores): Spikformer tiny from the
 * gallery, a run started from the Run tab, and the canvas panned while the host's worker trains it
 * (training never runs on the renderer's thread; this measures that the page stays smooth while two
 * cores are busy with it). The same pan without a run comes first, for comparison.
 */
export async function run(): Promise<BenchRow[]> {
  ensureRendererBuilt(REPO);
  const studio = await startStudio();
  const browser = await launchBrowser({ width: 1600, height: 1000 });
  try {
    const page = browser.page;
    await page.goto(studio.url);
    await page.getByTestId('open-template-spikformer').waitFor();
    await page.getByTestId('preset-spikformer').selectOption('tiny');
    await page.getByTestId('open-template-spikformer').click();
    await page.getByTestId('tab-run').click();
    await page.getByTestId('preview-sample').first().waitFor();
    await page.waitForTimeout(500);
    const idle = await pan(page);
    await page.getByTestId('run-start').click();
    // panning starts once steps are coming: compiling the step is not the steady state a user pans in
    await waitUntil(page, `Number(document.querySelector('[data-testid="run-progress"]')?.dataset.step ?? 0) >= 2`, 300_000);
    const stepBefore = Number(await page.getByTestId('run-progress').getAttribute('data-step'));
    const busy = await pan(page);
    const stepAfter = Number(await page.getByTestId('run-progress').getAttribute('data-step'));
    await page.getByTestId('run-stop').click();
    await waitUntil(page, `document.querySelector('[data-testid="run-status"]')?.dataset.status !== 'running'`, 120_000);
    if (browser.errors.length > 0) throw new Error(`the page reported errors: ${browser.errors.join('; ')}`);
    return [
      { suite: SUITE, name: 'pan Spikformer tiny, no run (p95 frame)', value: idle.p95, unit: 'ms', note: `${idle.fps.toFixed(0)} fps` },
      {
        suite: SUITE,
        name: 'pan Spikformer tiny while it trains (p95 frame)',
        value: busy.p95,
        unit: 'ms',
        note: `target < 50 ms; ${busy.fps.toFixed(0)} fps; ${stepAfter - stepBefore} training steps during the ${PAN_MS / 1000} s pan`,
      },
    ];
  } finally {
    await browser.close();
    await studio.close();
  }
}

