/**
 * The editor as a professional tool, in browser mode at 1600×1000: a published architecture opens
 * with no errors or warnings, its design facts one click away (the Info filter, the canvas
 * analysis); messages a person understands; new blocks land in free space; a right-click menu.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { overlappingNodes, smallCanvasText } from './canvas-checks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, failOnConsoleErrors, launchBrowser, openFromGallery, startStudio, viewportSettled as settled, type Browser, type Studio } from './harness.js';
import { skipping } from '../helpers/skip.js';
import { shot } from './shot.js';

let studio: Studio;
let browser: Browser;
let page: Page;

const node = (id: string): Locator => page.getByTestId(`node-${id}`);
const problems = (severity: string): Locator => page.locator(`[data-testid="problem"][data-severity="${severity}"]`);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Puts the keyboard focus on the canvas (not in a text field), as clicking an empty spot does. */
async function focusCanvas(): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
}


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
  await page.getByTestId('canvas').waitFor();
}

describe.skipIf(skipping('end-to-end: editor polish', browserSkipReason()))('the editor reads like a professional tool', () => {
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

  it('Spikformer-4-384 opens with 0 errors and 0 warnings; its 16 design facts are behind the Info filter', async () => {
    await openTemplate('spikformer', '4-384');
    await node('block1').waitFor();
    await page.getByTestId('tab-problems').click();
    await page.getByTestId('problems-empty').waitFor();
    expect(await page.getByTestId('problems-filter-error').textContent()).toContain('0');
    expect(await page.getByTestId('problems-filter-warning').textContent()).toContain('0');
    expect(await page.getByTestId('problems-filter-info').textContent()).toContain('16');
    expect(await page.getByTestId('problems-summary').textContent()).toBe('72% of MACs spike-driven; 16 layers read spike counts');
    expect(await page.getByTestId('problems-count').count()).toBe(0);
    // no block says it has problems inside
    expect(await node('block1').getAttribute('data-status')).toBe('ok');
    expect(await page.locator('[data-testid^="node-problem-"]').count()).toBe(0);
    await shot(page, 'polish-01-spikformer-clean');

    await page.getByTestId('problems-filter-info').click();
    await poll(() => problems('info').count()).toBe(16);
    expect(await problems('info').first().textContent()).toContain('reads spike counts');
    await shot(page, 'polish-02-info-filter');
    await page.getByTestId('problems-filter-info').click();
    await poll(() => problems('info').count()).toBe(0);
  });

  it('the canvas analysis shows the design facts on the blocks and turns off again', async () => {
    await page.getByTestId('analysis-toggle').click();
    await poll(() => node('block1').getAttribute('data-status')).toBe('info');
    expect(await page.getByTestId('node-problem-block1').textContent()).toBe('4 layers inside use MACs, not spike-driven');
    await shot(page, 'polish-03-analysis-on');
    await page.getByTestId('analysis-toggle').click();
    await poll(() => node('block1').getAttribute('data-status')).toBe('ok');
  });

  it('opening a JSON file that is not a graph says what it is not and why, in a dialog', async () => {
    await writeFile(join(studio.workDir, 'package.json'), JSON.stringify({ name: 'x', version: '0.1.0', scripts: {} }));
    await focusCanvas();
    await page.keyboard.press(`${mod}+o`);
    await page.getByTestId('file-picker').waitFor();
    await page.locator('.snn-picker__entry', { hasText: 'package.json' }).dblclick();
    await page.getByTestId('not-document-summary').waitFor();
    expect(await page.getByRole('dialog').getByText('package.json is not a graph document').count()).toBe(1);
    expect(await page.getByTestId('not-document-summary').textContent()).toMatch(/^The file is JSON, but not an SNN Studio graph/);
    await shot(page, 'polish-04-not-a-document');
    await page.getByTestId('not-document-ok').click();
    await poll(() => page.getByTestId('not-document-summary').count()).toBe(0);
    // the document that was open is still open
    expect(await node('block1').count()).toBe(1);
  });

  it('a block added from the palette is named after the block: To feature map → to_feature_map_1', async () => {
    await page.getByLabel('Search blocks').fill('to feature map');
    await page.getByTestId('palette-untokens').dblclick();
    await node('to_feature_map_1').waitFor();
    await page.getByLabel('Search blocks').fill('');
  });

  it('the gallery offers recovered work only when it differs from the open document', async () => {
    // the edit above is unsaved: once the autosave holds it, the gallery must not offer it back
    const autosave = join(studio.configDir, 'recovery', 'autosave.json');
    await poll(async () => (await readFile(autosave, 'utf8').catch(() => '')).includes('to_feature_map_1')).toBe(true);
    await focusCanvas();
    await page.keyboard.press(`${mod}+Shift+n`);
    await page.locator('[data-testid="gallery"][data-recovery-checked]').waitFor();
    expect(await page.getByTestId('recovery').count()).toBe(0);

    // another document open (the edit discarded): now the autosaved work is different, and offered
    await page.getByTestId('open-template-lif-cnn').click();
    await page.getByTestId('unsaved-discard').click();
    await node('conv1').waitFor();
    await focusCanvas();
    await page.keyboard.press(`${mod}+Shift+n`);
    await page.getByTestId('recovery').waitFor();
    await shot(page, 'polish-05-recovery-offered');
    await page.getByTestId('gallery-close').click();
  });

  it('a block added from the palette by keyboard, and a Ctrl+G wrapper, never cover another block', async () => {
    await page.goto(studio.url);
    await openTemplate('lif-cnn');
    await node('fc').click();
    await page.getByLabel('Search blocks').fill('linear');
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('palette-linear').focus();
      await page.keyboard.press('Enter');
      await node(`linear_${i + 1}`).waitFor();
    }
    await page.getByLabel('Search blocks').fill('');
    expect(await overlappingNodes(page)).toEqual([]);
    await shot(page, 'polish-06-keyboard-add');

    await page.getByRole('button', { name: 'Fit View' }).click();
    await node('fc').click();
    await node('mean_t').click({ modifiers: [mod] });
    await page.keyboard.press(`${mod}+g`);
    await node('block_1').waitFor();
    expect(await overlappingNodes(page)).toEqual([]);
    await shot(page, 'polish-07-wrapped');
  });

  it('a right-click menu on blocks, wires and the canvas does what it says', async () => {
    await openFresh('lif-cnn', 'conv1');
    const nodes = () => page.locator('.react-flow__node').count();
    const edges = () => page.locator('.react-flow__edge').count();
    const menuItem = (action: string) => page.getByTestId(`menu-${action}`);

    // reveal in the Layers table
    await node('conv2').click({ button: 'right' });
    await page.getByTestId('context-menu').waitFor();
    await shot(page, 'polish-08-context-menu-block');
    await menuItem('reveal-layers').click();
    await poll(() => page.getByTestId('layers-row-conv2').getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('context-menu').count()).toBe(0);

    // rename
    await node('conv2').click({ button: 'right' });
    await menuItem('rename').click();
    await page.getByTestId('menu-rename-input').fill('conv_b');
    await page.keyboard.press('Enter');
    await node('conv_b').waitFor();

    // duplicate, then delete the copy
    const before = await nodes();
    await node('conv_b').click({ button: 'right' });
    await menuItem('duplicate').click();
    await poll(nodes).toBe(before + 1);
    const copy = (await page.locator('.react-flow__node.selected').getAttribute('data-id'))!;
    expect(copy).not.toBe('conv_b');
    await node(copy).click({ button: 'right' });
    await menuItem('delete').click();
    await poll(nodes).toBe(before);

    // a wire: disconnect
    const wires = await edges();
    // zoomed out the wire has no label: right-click the wire itself, halfway between its ports
    const from = (await node('lif1').locator('[data-testid="handle-out-out"]').boundingBox())!;
    const to = (await node('pool1').locator('[data-testid="handle-in-in"]').boundingBox())!;
    await page.mouse.click((from.x + from.width + to.x) / 2, (from.y + to.y + to.height) / 2, { button: 'right' });
    await page.getByTestId('context-menu').waitFor();
    await shot(page, 'polish-09-context-menu-wire');
    await menuItem('disconnect').click();
    await poll(edges).toBe(wires - 1);

    // the canvas: add a block where the menu was opened
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    await page.mouse.click(pane.x + pane.width - 120, pane.y + 80, { button: 'right' });
    await menuItem('add-here').click();
    await page.getByTestId('menu-add-search').fill('lif neuron');
    await shot(page, 'polish-10-context-menu-add');
    await page.keyboard.press('Enter');
    await node('lif_1').waitFor();
    const added = (await node('lif_1').boundingBox())!;
    expect(Math.abs(added.x - (pane.x + pane.width - 120))).toBeLessThan(40);

    // wrap into a block, and drill in
    await node('flatten').click({ button: 'right' });
    await menuItem('wrap').click();
    await node('block_1').waitFor();
    await node('block_1').click({ button: 'right' });
    await menuItem('open').click();
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('block_1');
    await page.keyboard.press('Escape');
  });

  it('help teaches: Getting started, a block card from the catalogue, About with versions', async () => {
    await openFresh('lif-cnn', 'conv1');
    await node('lif1').click();
    await page.getByTestId('block-help-button').click();
    const card = page.getByTestId('block-help-lif');
    await card.waitFor();
    expect(await card.getByTestId('block-help-formula').textContent()).toContain('S[t] = Θ(H[t] − V_th)');
    expect(await card.getByTestId('block-help-paper').textContent()).toContain('SpikingJelly');
    expect(await card.getByTestId('block-help-params').textContent()).toContain('tau');
    await shot(page, 'polish-11-help-block');

    await page.getByTestId('help-tab-start').click();
    await page.getByTestId('help-getting-started').waitFor();
    await page.getByTestId('help-tab-about').click();
    await poll(() => page.getByTestId('about-snn-studio').textContent()).toBe('e2e');
    expect(await page.getByTestId('about-graph-document-format').textContent()).toBe('version 1');
    await shot(page, 'polish-12-help-about');
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('help-about').count()).toBe(0);

    // F1 opens Getting started
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press('F1');
    await page.getByTestId('help-getting-started').waitFor();
    await page.keyboard.press('Escape');
  });

  it('zoomed out, blocks show their names in readable type and wires drop their labels: no canvas text under 9 px at fit', async () => {
    for (const [template, first] of [['meta-spikeformer', 'input'], ['spikformer', 'block1'], ['spikedhs', 'input']] as const) {
      await openFresh(template, first);
      await page.getByRole('button', { name: 'Fit View' }).click();
      await poll(() => page.getByTestId('canvas').getAttribute('data-lod')).not.toBe(null);
      expect(await smallCanvasText(page)).toEqual([]);
      await shot(page, `polish-13-fit-${template}`);
    }
    // zoomed in to 100 %, every wire label is back
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    for (let i = 0; i < 10 && (await page.getByTestId('canvas').getAttribute('data-lod')) !== 'detail'; i++) {
      await page.keyboard.press(`${mod}+=`);
      await viewportSettled();
    }
    expect(await page.getByTestId('canvas').getAttribute('data-lod')).toBe('detail');
    expect(await page.locator('.react-flow__edgelabel-renderer').first().isVisible()).toBe(true);
  });

  it('a gallery option opens the released code\'s forms: QKFormer tiny with its SSA projection LIF over merged rows', async () => {
    await page.locator('[data-testid="gallery"], .react-flow__node').first().waitFor();
    if (!(await page.getByTestId('gallery').isVisible())) {
      await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
      await page.keyboard.press(`${mod}+Shift+n`);
    }
    await page.getByTestId('preset-qkformer').selectOption('tiny');
    const option = page.getByTestId('option-qkformer-releasedCode');
    expect(await option.isChecked()).toBe(false);
    await option.check();
    await openFromGallery(page, 'qkformer');
    await poll(() => page.getByTestId('doc-title').textContent()).toContain('(released code)');
    await node('stage3_block1').click();
    await poll(() => page.getByTestId('param-releasedCode').isChecked()).toBe(true);
    await node('stage1_block1').click();
    await poll(() => page.getByTestId('param-releasedCode').isChecked()).toBe(false);
  });

  it('inside composites no two blocks overlap: Spikformer block1 and its SSA', async () => {
    await openFresh('spikformer', 'block1');
    await node('block1').dblclick();
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('block1');
    await node('attn').waitFor();
    await viewportSettled();
    expect(await overlappingNodes(page)).toEqual([]);
    await node('attn').dblclick();
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('block1/attn');
    await node('q_linear').waitFor();
    await viewportSettled();
    expect(await overlappingNodes(page)).toEqual([]);
    await shot(page, 'polish-14-inside-ssa');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });
});

const viewportSettled = (): Promise<void> => settled(page);

/** Opens a template from the gallery, discarding unsaved changes if asked; waits for `nodeId`. */
async function openFresh(id: string, nodeId: string): Promise<void> {
  // the app shows either the gallery (at start) or a document
  await page.locator('[data-testid="gallery"], .react-flow__node').first().waitFor();
  if (!(await page.getByTestId('gallery').isVisible())) {
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+Shift+n`);
  }
  await openFromGallery(page, id);
  await node(nodeId).waitFor();
}
