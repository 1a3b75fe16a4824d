/**
 * A user's session in browser mode: open Spikformer-4-384 from the gallery, see every wire's shape,
 * drop an SSA block in and wire a shape it cannot take (the error shows on that wire and in the
 * problems panel), fix the wiring, undo and redo each step, save, reload and reopen the file
 * (identical), open a composite block and come back out, and wrap blocks into a block of one's own.
 *
 * Each test starts from a known state (the app loaded afresh, the template opened, and the steps
 * it builds on done again by the helpers below), so it passes or fails alone and in any order, and
 * each answers for its own console: an error logged or thrown during a test fails that test.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipping } from '../helpers/skip.js';
import { browserSkipReason, failOnConsoleErrors, freshStart, launchBrowser, startStudio, viewportSettled as settled, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

let studio: Studio;
let browser: Browser;
let page: Page;

const node = (id: string): Locator => page.getByTestId(`node-${id}`);
const edgeLabel = (id: string): Locator => page.getByTestId(`edge-label-${id}`);
const errorsInPanel = (): Locator => page.locator('[data-testid="problem"][data-severity="error"]');

/** Drags a wire from an output port to an input port, as a user does with the mouse. */
async function wire(from: string, to: string, fromPort = 'out', toPort = 'in'): Promise<void> {
  await viewportSettled();
  const a = await node(from).locator(`[data-testid="handle-out-${fromPort}"]`).boundingBox();
  const b = await node(to).locator(`[data-testid="handle-in-${toPort}"]`).boundingBox();
  if (!a || !b) throw new Error(`ports of ${from} → ${to} are not on screen`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Waits until the view stops moving (fitting and revealing animate the viewport); fails if it never does. */
const viewportSettled = (): Promise<void> => settled(page);

/** Puts the keyboard focus on the canvas (not in a text field), as clicking an empty spot does. */
async function focusCanvas(): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
}

async function edgesWithoutShape(): Promise<number> {
  return page.evaluate(() => {
    const ids = [...document.querySelectorAll('.react-flow__edge')].map((e) => e.getAttribute('data-id'));
    return ids.filter((id) => !document.querySelector(`[data-testid="edge-label-${CSS.escape(id ?? '')}"] .snn-edge-label__shape`)?.textContent?.startsWith('[')).length;
  });
}

/** Waits for the UI to settle on a value (the host builds thumbnails and templates on a busy machine). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** The known start of every test: the app afresh, Spikformer-4-384 open from the gallery with a shape on every wire. */
async function openSpikformer(): Promise<void> {
  await freshStart(page, studio);
  await poll(() => page.getByTestId('template-spikformer').count()).toBe(1);
  const presets = page.getByTestId('preset-spikformer');
  const labels = await presets.locator('option').allTextContents();
  const preset = labels.find((l) => l.includes('4-384'));
  expect(preset).toBeDefined();
  await presets.selectOption({ label: preset! });
  await page.getByTestId('open-template-spikformer').click();
  await node('block1').waitFor();
  await poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(8);
  await poll(edgesWithoutShape).toBe(0);
}

/** Drops an SSA block (ssa_1) from the palette at the side of the graph, zoomed out to make room. */
async function dropSsa(): Promise<void> {
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  await page.getByLabel('Search blocks').fill('ssa');
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.getByTestId('palette-ssa').dragTo(page.getByTestId('canvas'), { targetPosition: { x: canvas.width - 170, y: canvas.height * 0.3 } });
  await node('ssa_1').waitFor();
}

/** Wires the encoder's image sequence into ssa_1, which reads tokens: an error on that wire. */
async function wireMismatch(): Promise<void> {
  await wire('encoder', 'ssa_1');
  await poll(() => edgeLabel('encoder.out>ssa_1.in').getAttribute('class')).toContain('snn-edge-label--error');
}

/** Wires block2's tokens into ssa_1 (replacing any wire into it): no error. */
async function wireTokens(): Promise<void> {
  await page.getByRole('button', { name: 'Fit View' }).click();
  await wire('block2', 'ssa_1');
  await poll(() => edgeLabel('block2.out>ssa_1.in').textContent()).toContain('[4,B,64,384]');
}

/** Resolves once every animation and transition under `locator` has finished (a dialog's fade-in). */
async function animationsDone(locator: Locator): Promise<void> {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
}

describe.skipIf(skipping('end-to-end: editing a Spikformer', browserSkipReason()))('editing a Spikformer in browser mode', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('opens on the gallery and opens Spikformer-4-384 with a shape on every wire', async () => {
    await freshStart(page, studio);
    await poll(() => page.getByTestId('template-spikformer').count()).toBe(1);
    await page.locator('[data-testid="template-spikformer"] img').waitFor();
    await shot(page, '01-gallery');

    const presets = page.getByTestId('preset-spikformer');
    const labels = await presets.locator('option').allTextContents();
    const preset = labels.find((l) => l.includes('4-384'));
    expect(preset).toBeDefined();
    await presets.selectOption({ label: preset! });
    await page.getByTestId('open-template-spikformer').click();

    await node('block1').waitFor();
    await poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(8);
    await poll(edgesWithoutShape).toBe(0);
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('Spikformer-4-384');
    expect(await page.getByTestId('node-params-block1').textContent()).toMatch(/M$/);
    expect(await errorsInPanel().count()).toBe(0);
    await shot(page, '02-spikformer');
  });

  it('drops an SSA block from the palette and wires a shape it cannot take: the error is on that wire and in the problems panel', async () => {
    await openSpikformer();
    // make room at the side of the graph, then drop the block there
    await dropSsa();

    // the encoder's output is an image sequence [4,B,3,32,32]; SSA reads tokens [N,D]
    await wire('encoder', 'ssa_1');
    const bad = edgeLabel('encoder.out>ssa_1.in');
    await poll(() => bad.getAttribute('class')).toContain('snn-edge-label--error');
    expect(await bad.textContent()).toContain('expects [D] or tokens [N,D]');
    await poll(() => errorsInPanel().count()).toBeGreaterThan(0);
    expect(await errorsInPanel().first().textContent()).toContain('expects [D] or tokens [N,D]');
    // a click on the problem selects its culprit: the wire
    await errorsInPanel().first().click();
    await poll(() => bad.getAttribute('class')).toContain('snn-edge-label--selected');
    await page.getByTestId('edge-inspector').waitFor();
    await viewportSettled();
    await shot(page, '03-mismatch');
  });

  it('clears the error when the block is wired to tokens', async () => {
    await openSpikformer();
    await dropSsa();
    await wireMismatch();
    await wireTokens();
    const good = edgeLabel('block2.out>ssa_1.in');
    expect(await good.getAttribute('class')).not.toContain('--error');
    await poll(() => errorsInPanel().count()).toBe(0);
    expect(await edgeLabel('encoder.out>ssa_1.in').count()).toBe(0);
    await node('ssa_1').click();
    await poll(() => page.getByTestId('node-param-count').textContent()).toMatch(/\d/);
    await shot(page, '04-fixed');
  });

  it('undoes and redoes each step', async () => {
    await openSpikformer();
    await dropSsa();
    await wireMismatch();
    await wireTokens();
    await focusCanvas();
    await page.keyboard.press(`${mod}+z`);
    await poll(() => edgeLabel('encoder.out>ssa_1.in').count()).toBe(1);
    expect(await edgeLabel('encoder.out>ssa_1.in').getAttribute('class')).toContain('--error');
    await shot(page, '05-undo-to-mismatch');
    await page.keyboard.press(`${mod}+z`);
    await poll(() => page.locator('.react-flow__edge[data-id$=">ssa_1.in"]').count()).toBe(0);
    await page.keyboard.press(`${mod}+z`);
    await poll(() => node('ssa_1').count()).toBe(0);
    await poll(edgesWithoutShape).toBe(0);
    await shot(page, '06-undo-to-template');

    await page.keyboard.press(`${mod}+Shift+z`);
    await node('ssa_1').waitFor();
    await page.keyboard.press(`${mod}+Shift+z`);
    await poll(() => edgeLabel('encoder.out>ssa_1.in').count()).toBe(1);
    await page.keyboard.press(`${mod}+Shift+z`);
    await poll(() => edgeLabel('block2.out>ssa_1.in').count()).toBe(1);
    expect(await edgeLabel('encoder.out>ssa_1.in').count()).toBe(0);
    await poll(() => errorsInPanel().count()).toBe(0);
    await shot(page, '07-redo-to-fixed');
  });

  it('saves, reloads, reopens the file from the recent list, and the document is identical', async () => {
    await openSpikformer();
    await dropSsa();
    await wireTokens();
    await focusCanvas();
    await page.keyboard.press(`${mod}+s`);
    await page.getByTestId('file-picker').waitFor();
    await page.getByTestId('picker-name').fill('e2e-model');
    await shot(page, '08-save-picker');
    await page.getByTestId('picker-confirm').click();
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('e2e-model.snn.json');
    expect(await page.getByTestId('dirty').count()).toBe(0);
    const saved = JSON.parse(await readFile(join(studio.workDir, 'e2e-model.snn.json'), 'utf8'));
    expect(saved.nodes.some((n: { id: string }) => n.id === 'ssa_1')).toBe(true);

    await page.reload();
    await page.getByTestId('gallery').waitFor();
    await page.getByRole('button', { name: 'e2e-model.snn.json' }).click();
    await node('ssa_1').waitFor();
    await poll(edgesWithoutShape).toBe(0);
    await shot(page, '09-reopened');

    await page.getByTestId('menu-File').click();
    await page.getByTestId('menuitem-file.saveAs').click();
    await page.getByTestId('picker-name').fill('e2e-model-again');
    await page.getByTestId('picker-confirm').click();
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('e2e-model-again.snn.json');
    const again = JSON.parse(await readFile(join(studio.workDir, 'e2e-model-again.snn.json'), 'utf8'));
    expect(again).toEqual(saved);
  });

  it('opens a composite block, shows its inside with shapes, and comes back out', async () => {
    await openSpikformer();
    await node('block1').dblclick();
    await page.getByTestId('breadcrumbs').waitFor();
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('block1');
    await poll(() => page.locator('.react-flow__node').count()).toBeGreaterThan(3);
    await poll(edgesWithoutShape).toBe(0);
    await shot(page, '10-inside-block1');

    await page.getByTestId('breadcrumb-0').click();
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('');
    await node('block2').waitFor();
    await poll(() => node('block1').getAttribute('data-selected')).toBe('true');
    await shot(page, '11-back-out');
  });

  it('wraps a selection into a new block of My blocks, opens it with Enter and leaves it with Escape', async () => {
    await openSpikformer();
    await node('mean_tokens').click();
    await node('mean_time').click({ modifiers: [mod] });
    await page.keyboard.press(`${mod}+g`);
    await node('block_1').waitFor();
    expect(await node('mean_tokens').count()).toBe(0);
    await page.getByLabel('Search blocks').fill('');
    await page.getByTestId('palette-block_1').waitFor();
    expect(await page.getByRole('group', { name: 'My blocks' }).count()).toBe(1);
    await poll(edgesWithoutShape).toBe(0);
    await poll(() => errorsInPanel().count()).toBe(0);
    await shot(page, '12-wrapped');

    await node('block_1').click();
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('block_1');
    await node('mean_tokens').waitFor();
    await poll(edgesWithoutShape).toBe(0);
    await shot(page, '13-inside-my-block');
    await focusCanvas();
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('');
  });

  it('shows the shortcuts on ?, and follows a switch to the dark theme', async () => {
    await openSpikformer();
    await focusCanvas();
    await page.keyboard.press('Shift+?');
    await page.getByTestId('help-overlay').waitFor();
    await animationsDone(page.getByTestId('help-overlay'));
    await shot(page, '14-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('tool-view.toggleTheme').click();
    await poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await shot(page, '15-dark');
  });
});
