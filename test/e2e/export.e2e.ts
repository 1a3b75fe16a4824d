/**
 * Export and import from the File menu, in browser mode: open the LIF CNN from the gallery; import
 * weights from a safetensors file this test writes itself (first one that does not fit: the report
 * names the mis-shaped and the unexpected tensor; then one that does: the report counts every
 * tensor and the run appears in the Run tab, its checkpoint holding the file's values); export
 * PyTorch with that run's weights to a folder (model.py holds the block classes, weights.safetensors
 * the imported values); see NIR refuse the CNN's max-pooling. Then a small average-pooling CNN
 * opened from a file exports to NIR (read back with h5wasm: the graph's nodes and edges), and
 * Spikformer tiny's NIR lint lists its attention, marks those blocks on the canvas with the reason
 * on hover (also inside the opened block), and takes the marks off again. Screenshots go to
 * test-results/e2e/export-*.png.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { loadCheckpoint } from '../../engine/runtime/checkpoint/index.js';
import { documentWeights } from '../../engine/runtime/export/weights.js';
import { buildTemplate } from '../../templates/index.js';
import { smallCnn } from '../export/docs.js';
import { safetensorsBytes } from '../helpers/write-safetensors.js';
import { failOnConsoleErrors, freshStart, launchBrowser, startStudio, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

let studio: Studio;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });

/** File → (submenu →) item, through the page's own menu bar. */
async function fileMenu(item: string, submenu?: string): Promise<void> {
  await page.getByTestId('menu-File').click();
  if (submenu) await page.getByTestId(`submenu-${submenu}`).hover();
  await page.getByTestId(`menuitem-${item}`).click();
}

/** Waits for the export job the dialog shows to end (minutes at worst on 2 shared cores), and says why if it failed. */
async function exportEnded(): Promise<void> {
  const dialog = page.getByTestId('export-dialog');
  await poll(() => dialog.getAttribute('data-phase'), 240_000).toMatch(/^(done|failed)$/);
  if ((await dialog.getAttribute('data-phase')) === 'failed') throw new Error(`export failed: ${await page.getByTestId('export-error').textContent()}`);
}

/** lif-cnn's parameters with this test's own values, by engine name. */
const lifCnn = buildTemplate('lif-cnn', 'digits');
const weights = new Map(
  [...documentWeights(lifCnn, analyseDocument(lifCnn))].map(([name, t], k) => [name, { shape: t.shape, data: Float32Array.from({ length: t.data.length }, (_, i) => Math.cos(k * 3 + i * 0.02) * 0.05) }] as const),
);

/** One tensor of a safetensors file, read from its header and little-endian data. */
function tensorOf(bytes: Buffer, name: string): number[] {
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; data_offsets: [number, number] }>;
  const entry = header[name]!;
  expect(entry.dtype).toBe('F32');
  const start = 8 + headerLength + entry.data_offsets[0];
  return Array.from({ length: (entry.data_offsets[1] - entry.data_offsets[0]) / 4 }, (_, i) => bytes.readFloatLE(start + i * 4));
}

describe('export and import from the File menu (browser mode)', () => {
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

  it('opens the LIF CNN and refuses weights that do not fit, naming each mismatch', { timeout: 360_000 }, async () => {
    await freshStart(page, studio);
    await poll(() => page.getByTestId('template-lif-cnn').count(), 120_000).toBe(1);
    await page.getByTestId('preset-lif-cnn').selectOption('digits');
    await page.getByTestId('open-template-lif-cnn').click();
    await poll(() => page.getByTestId('gallery').count(), 120_000).toBe(0);
    await poll(() => page.getByTestId('node-lif1').count()).toBe(1);

    const [first, firstTensor] = [...weights][0]!;
    const bad = new Map(weights);
    bad.set(first, { shape: [3], data: new Float32Array(3) });
    bad.set('classifier.extra', { shape: [2], data: new Float32Array(2) });
    await writeFile(join(studio.workDir, 'lif-other.safetensors'), safetensorsBytes(bad));
    await fileMenu('file.importWeights');
    await page.getByTestId('import-choose').click();
    await page.getByTestId('file-picker').waitFor();
    await page.locator('.snn-picker__entry', { hasText: 'lif-other.safetensors' }).dblclick();
    await poll(() => page.getByTestId('import-dialog').getAttribute('data-state'), 180_000).toBe('failed');
    const error = (await page.getByTestId('import-error').textContent())!;
    expect(error).toContain(`${first}: [3] in the file, [${firstTensor.shape.join(',')}] in the document`);
    expect(error).toContain('classifier.extra');
    await shot(page, 'export-01-import-refused');
  });

  it('imports weights that fit as a run the Run tab lists, holding the file’s values', { timeout: 240_000 }, async () => {
    await writeFile(join(studio.workDir, 'lif-good.safetensors'), safetensorsBytes(weights));
    await page.getByTestId('import-choose').click();
    await page.getByTestId('file-picker').waitFor();
    await page.locator('.snn-picker__entry', { hasText: 'lif-good.safetensors' }).dblclick();
    await poll(() => page.getByTestId('import-dialog').getAttribute('data-state'), 180_000).toBe('done');
    expect(Number(await page.getByTestId('import-report').getAttribute('data-mapped'))).toBe(weights.size);
    await shot(page, 'export-02-imported');
    const run = (await page.getByTestId('import-report').getAttribute('data-run'))!;
    await page.getByTestId('import-close').click();

    await page.getByTestId('tab-run').click();
    await page.getByTestId('run-sidebar').getByText('Runs', { exact: false }).click();
    const row = page.locator(`[data-testid="run-row"][data-run="${run}"]`);
    await poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Imported lif-good.safetensors');
    expect(await row.getAttribute('data-status')).toBe('finished');
    const checkpoint = await loadCheckpoint((await row.getAttribute('data-checkpoint'))!);
    for (const [name, t] of weights) expect(Array.from(checkpoint.tensors.get(name)!.data as Float32Array), name).toEqual(Array.from(t.data));
    await shot(page, 'export-03-run-listed');
  });

  it('exports PyTorch (DDP) with the imported weights: model.py has the block classes, the weights are the file’s', { timeout: 300_000 }, async () => {
    await fileMenu('file.exportPytorch', 'Export');
    await poll(() => page.getByTestId('export-dialog').getAttribute('data-format')).toBe('pytorch');
    await poll(() => page.getByTestId('export-lint').getAttribute('data-state')).toBe('ok');
    // the newest run with a checkpoint, the imported one, is offered first
    expect(await page.getByTestId('export-weights-note').textContent()).toContain('Imported lif-good.safetensors');
    await shot(page, 'export-04-pytorch-dialog');
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('picker-name').fill('lif-pytorch');
    await page.keyboard.press('Enter');
    await exportEnded();
    expect(await page.getByTestId('export-file').count()).toBe(5);
    await shot(page, 'export-05-pytorch-written');

    const folder = join(studio.workDir, 'lif-pytorch');
    for (const f of await page.getByTestId('export-file').all()) {
      const path = (await f.getAttribute('data-path'))!;
      expect(path.startsWith(folder)).toBe(true);
      expect((await stat(path)).size).toBe(Number(await f.getAttribute('data-bytes')));
    }
    const model = await readFile(join(folder, 'model.py'), 'utf8');
    // one class per block kind the graph uses, and the model built from them under the document's node names
    for (const cls of ['class Conv2d(nn.Module)', 'class BatchNorm2d(nn.Module)', 'class LIF(SpikingNeuron)', 'class MaxPool2d(nn.Module)', 'class Linear(nn.Module)', 'class Model(nn.Module)']) expect(model).toContain(cls);
    expect(model).toContain('self.conv1 = Conv2d(1, 32');
    expect(await readFile(join(folder, 'train.py'), 'utf8')).toContain('DistributedDataParallel');
    const exported = await readFile(join(folder, 'weights.safetensors'));
    for (const [name, t] of weights) expect(tensorOf(exported, name), name).toEqual(Array.from(t.data));
    await page.getByTestId('export-close').click();
    // closed without "Mark on canvas", the dialog leaves no lint on the graph
    await poll(() => page.getByTestId('export-lint-banner').count()).toBe(0);
  });

  it('shows that NIR cannot hold the CNN’s max-pooling, and blocks the export', async () => {
    await fileMenu('file.exportNir', 'Export');
    await poll(() => page.getByTestId('export-lint').getAttribute('data-state')).toBe('refused');
    const findings = await page.getByTestId('export-lint-finding').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.textContent]));
    expect(findings.map(([node]) => node)).toEqual(['pool1', 'pool2']);
    expect(findings[0]![1]).toContain('max pooling');
    expect(await page.getByTestId('export-confirm').isDisabled()).toBe(true);
    await shot(page, 'export-06-nir-refused');
    await page.getByTestId('export-close').click();
  });

  it('exports an average-pooling CNN to NIR: h5wasm reads the graph’s nodes and edges', { timeout: 300_000 }, async () => {
    await writeFile(join(studio.workDir, 'small-cnn.snn.json'), JSON.stringify(smallCnn()));
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+o`);
    await page.getByTestId('file-picker').waitFor();
    await page.locator('.snn-picker__entry', { hasText: 'small-cnn.snn.json' }).dblclick();
    await poll(() => page.getByTestId('node-pool1').count()).toBe(1);
    await fileMenu('file.exportNir', 'Export');
    await poll(() => page.getByTestId('export-lint').getAttribute('data-state')).toBe('ok');
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('picker-name').fill('small');
    await page.keyboard.press('Enter');
    await exportEnded();
    expect(await page.getByTestId('export-file').count()).toBe(1);
    await shot(page, 'export-07-nir-written');
    const path = join(studio.workDir, 'small.nir');
    expect(await page.getByTestId('export-file').getAttribute('data-path')).toBe(path);
    expect(await page.getByTestId('notice').textContent()).toContain('Exported NIR to small.nir');

    await h5wasm.ready;
    const file = new h5wasm.File(path, 'r');
    try {
      const graph = file.get('node') as InstanceType<typeof h5wasm.Group>;
      expect(graph.keys()).toEqual(expect.arrayContaining(['nodes', 'edges']));
      const nodes = (graph.get('nodes') as InstanceType<typeof h5wasm.Group>).keys();
      expect(nodes).toEqual(expect.arrayContaining(['conv1', 'lif1', 'pool1', 'conv2', 'lif2', 'fc', 'input', 'output']));
      expect((graph.get('nodes/pool1/type') as InstanceType<typeof h5wasm.Dataset>).value).toBe('AvgPool2d');
      expect((graph.get('edges') as InstanceType<typeof h5wasm.Dataset>).shape?.[1]).toBe(2);
    } finally {
      file.close();
    }
    await page.getByTestId('export-close').click();
  });

  it('marks what NIR cannot hold in Spikformer on the canvas, with the reason on hover', { timeout: 240_000 }, async () => {
    await page.getByTestId('tool-file.templates').click();
    await poll(() => page.getByTestId('template-spikformer').count(), 60_000).toBe(1);
    await page.getByTestId('preset-spikformer').selectOption('tiny');
    await page.getByTestId('open-template-spikformer').click();
    await poll(() => page.getByTestId('gallery').count(), 120_000).toBe(0);
    await poll(() => page.getByTestId('node-block1').count()).toBe(1);

    await fileMenu('file.exportNir', 'Export');
    await poll(() => page.getByTestId('export-lint').getAttribute('data-state')).toBe('refused');
    const texts = await page.getByTestId('export-lint-finding').allTextContents();
    expect(texts.some((t) => t.includes('block1.attn.attn') && t.includes('attention'))).toBe(true);
    await shot(page, 'export-08-spikformer-lint');
    await page.getByTestId('export-lint-mark').click();

    await poll(() => page.getByTestId('export-lint-banner').getAttribute('data-blocks')).toBe('4');
    for (const id of ['patch_embed', 'block1', 'mean_tokens', 'mean_time']) expect(await page.getByTestId(`node-${id}`).getAttribute('data-export-lint'), id).toBe('nir');
    for (const id of ['encoder', 'head']) expect(await page.getByTestId(`node-export-lint-${id}`).count(), id).toBe(0);
    expect(await page.getByTestId('node-export-lint-block1').getAttribute('title')).toContain('block1.attn.attn (ssa_core): attention');
    // zoomed out the badge folds away with the other details: the block's own tooltip carries the reasons
    expect(await page.getByTestId('node-block1').getAttribute('title')).toContain('Not exportable to NIR:\nblock1.attn.q_linear');
    await page.getByTestId('node-block1').hover();
    await shot(page, 'export-09-canvas-marks');

    // inside block1 the attention block itself is marked, the LIF neurons are not
    await page.getByTestId('node-block1').dblclick();
    await poll(() => page.getByTestId('node-attn').count()).toBe(1);
    expect(await page.getByTestId('node-export-lint-attn').getAttribute('title')).toContain('attention');
    await shot(page, 'export-10-inside-block');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await page.getByTestId('export-lint-hide').click();
    await poll(() => page.locator('[data-export-lint]').count()).toBe(0);
  });
});
