/**
 * Training in the app, in browser mode, with the keyboard and the mouse: open Spikformer tiny from
 * the gallery, open the Run tab (the bundled digits preview shows), set a one-epoch recipe in the
 * settings form, train (the accuracy chart grows, the test accuracy ends above 80 %), train again
 * with pause/resume, an edit made during the run, and a stop in the middle, reload the page (the
 * app reopened: its work restored from the autosave) and resume from the run list (the weights
 * equal the uninterrupted run's, tensor for tensor), then File →
 * Export ONNX (Ctrl+E) with that run's weights: the status bar reports the host's reload check,
 * and this test loads the file in its own ONNX Runtime session and gets the engine's predictions
 * on 32 test samples. Then the faults: a folder that is not a dataset is refused when picked, and
 * a run whose loss blows up fails with its step while the app stays usable.
 *
 * The recipe: the template's own (AdamW at 1e-3, batch 64, two epochs) is at about 20 % after one
 * epoch; Adam at 5e-3 with batch 32, the recipe the other tiny presets pass 80 % with in one epoch,
 * is typed into the settings form.
 */
import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../engine/runtime/checkpoint/index.js';
import { BatchLoader } from '../../engine/runtime/data/index.js';
import { Evaluator } from '../../engine/runtime/train/evaluator.js';
import { modelInput, sampleLength } from '../../engine/runtime/train/layout.js';
import { buildTemplate } from '../../templates/index.js';
import { launchBrowser, REPO, startStudio, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

const RECIPE = { epochs: '1', batchSize: '32', lr: '0.005', optimizer: 'adam' } as const;
/** One epoch of Spikformer tiny on 2 busy cores: about 2 minutes measured; a timeout with room. */
const EPOCH_MS = 8 * 60_000;

let studio: Studio;
let browser: Browser;
let page: Page;

const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });
const status = () => page.getByTestId('run-status').getAttribute('data-status');
const step = async () => Number((await page.getByTestId('run-progress').getAttribute('data-step')) ?? 0);
const chartPoints = async (id: string) => Number((await page.getByTestId(`chart-${id}`).getAttribute('data-points')) ?? 0);
const rows = () => page.getByTestId('run-row');
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Types into a settings field as a user does: click it, select what is there, type the new value. */
async function typeSetting(key: string, value: string): Promise<void> {
  const input = page.getByTestId(`setting-${key}`);
  await input.click();
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type(value);
  await page.keyboard.press('Tab');
}

async function sidebar(tab: 'Data' | 'Settings' | 'Runs'): Promise<void> {
  await page.getByTestId('run-sidebar').getByText(tab, { exact: false }).click();
}

describe('training in the app (browser mode)', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: 1440, height: 900 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('opens Spikformer tiny and shows the digits preview in the Run tab', async () => {
    await page.goto(studio.url);
    await poll(() => page.getByTestId('template-spikformer').count(), 120_000).toBe(1);
    const presets = page.getByTestId('preset-spikformer');
    const label = (await presets.locator('option').allTextContents()).find((l) => l.includes('Spikformer-1-32'));
    expect(label).toBeDefined();
    await presets.selectOption({ label: label! });
    await page.getByTestId('open-template-spikformer').click();
    // the host lays the template out while other suites may share the 2 cores: minutes, not seconds, at worst
    await poll(() => page.getByTestId('template-spikformer').count(), 120_000).toBe(0);

    await page.getByTestId('tab-run').click();
    await poll(() => page.getByTestId('preview-sample').count()).toBe(16);
    await expect.poll(() => page.getByTestId('dataset-summary').textContent()).toMatch(/digits.*10 classes.*\[1,28,28\]/);
    expect(await page.getByTestId('dataset-shape-warning').count()).toBe(0);
    await shot(page, 'run-01-digits-preview');
  });

  it('sets a one-epoch recipe in the settings form (undoable document edits)', async () => {
    await sidebar('Settings');
    await typeSetting('epochs', RECIPE.epochs);
    await typeSetting('batchSize', RECIPE.batchSize);
    await typeSetting('lr', RECIPE.lr);
    await page.getByTestId('setting-optimizer').selectOption(RECIPE.optimizer);
    await poll(() => page.getByTestId('setting-lr').inputValue()).toBe(RECIPE.lr);
    await shot(page, 'run-02-settings');
  });

  it('trains one epoch: the accuracy chart grows and the test accuracy ends above 80 %', { timeout: EPOCH_MS }, async () => {
    await page.getByTestId('run-start').click();
    await poll(status).toBe('running');
    await poll(() => chartPoints('accuracy'), 120_000).toBeGreaterThan(0);
    const early = await chartPoints('accuracy');
    await shot(page, 'run-03-training');
    await poll(() => chartPoints('accuracy'), 120_000).toBeGreaterThan(early + 20);
    await poll(status, EPOCH_MS).toBe('finished');
    const accuracy = Number(await page.getByTestId('run-test-accuracy').getAttribute('data-value'));
    expect(accuracy).toBeGreaterThan(0.8);
    await poll(() => chartPoints('firing')).toBeGreaterThan(0);
    await shot(page, 'run-04-finished');
  });

  it('pauses, marks an edit made during the run, stops in the middle, and after a reload resumes from the run list to the same weights', { timeout: 2 * EPOCH_MS }, async () => {
    await page.getByTestId('run-start').click();
    await poll(status).toBe('running');
    await poll(step, 120_000).toBeGreaterThan(20);

    await page.getByTestId('run-pause').click();
    await poll(status).toBe('paused');
    await shot(page, 'run-05-paused');
    await page.getByTestId('run-resume').click();
    await poll(status).toBe('running');

    // the canvas stays editable: an edit during the run is not part of it, and undoing it is
    await sidebar('Settings');
    await typeSetting('seed', '7');
    await poll(() => page.getByTestId('run-edited').count()).toBe(1);
    await shot(page, 'run-06-edited-during-run');
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+Z`);
    await poll(() => page.getByTestId('run-edited').count()).toBe(0);

    const total = Number(await page.getByTestId('run-progress').getAttribute('data-total'));
    await poll(step, EPOCH_MS).toBeGreaterThan(total / 2);
    await page.getByTestId('run-stop').click();
    await poll(status, 120_000).toBe('stopped');
    const stoppedAt = await step();
    expect(stoppedAt).toBeLessThan(total);

    // the app closed and opened again (browser mode: the page reloads; the run folders are what is left)
    await page.reload();
    await page.getByTestId('recovery').getByRole('button', { name: 'Restore' }).click();
    await poll(() => page.getByTestId('gallery').count()).toBe(0);
    await page.getByTestId('tab-run').click();
    await sidebar('Runs');
    await poll(() => rows().count()).toBe(2);
    const second = rows().first();
    await poll(() => second.getAttribute('data-status')).toBe('stopped');
    await shot(page, 'run-07-stopped');
    await second.getByTestId('run-resume-stored').click();
    await poll(status).toBe('running');
    await poll(status, EPOCH_MS).toBe('finished');
    await shot(page, 'run-08-resumed-finished');

    await poll(() => second.getAttribute('data-status')).toBe('finished');
    const [resumed, uninterrupted] = [await second.getAttribute('data-checkpoint'), await rows().nth(1).getAttribute('data-checkpoint')];
    expect(resumed).toBeTruthy();
    expect(uninterrupted).toBeTruthy();
    // a document never saved keeps its runs in the app's own folder
    expect(resumed!.startsWith(studio.configDir)).toBe(true);
    const a = await loadCheckpoint(resumed!);
    const b = await loadCheckpoint(uninterrupted!);
    expect([...a.tensors.keys()].sort()).toEqual([...b.tensors.keys()].sort());
    for (const [name, t] of a.tensors) expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(b.tensors.get(name)!.data.buffer, b.tensors.get(name)!.data.byteOffset, b.tensors.get(name)!.data.byteLength)), name).toBe(true);
  });

  it('compares two runs and saves a chart and the metrics', async () => {
    await rows().nth(1).getByTestId('run-compare').click();
    await poll(() => page.getByTestId('run-overlay').count()).toBe(1);
    await shot(page, 'run-09-compare');
    await page.getByTestId('run-csv').click();
    await page.getByTestId('picker-name').fill('metrics.csv');
    await page.keyboard.press('Enter');
    await poll(() => readFile(join(studio.workDir, 'metrics.csv'), 'utf8').then((s) => s.split('\n')[0], () => '')).toMatch(/^step,epoch,loss,accuracy/);
    await page.getByTestId('chart-png-accuracy').click();
    await page.getByTestId('picker-name').fill('accuracy.png');
    await page.keyboard.press('Enter');
    await poll(() => readFile(join(studio.workDir, 'accuracy.png')).then((b) => b.subarray(1, 4).toString('latin1'), () => '')).toBe('PNG');
  });

  it('exports ONNX with Ctrl+E: the status bar and this test’s own ONNX Runtime session agree with the engine on 32 samples', { timeout: 180_000 }, async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+E`);
    await poll(() => page.getByTestId('export-dialog').count()).toBe(1);
    const run = await rows().first().getAttribute('data-run');
    await expect.poll(() => page.getByTestId('export-weights').inputValue()).toBe(run);
    await shot(page, 'run-10-export-dialog');
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('picker-name').fill('spikformer-tiny.onnx');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('notice').textContent(), 120_000).toContain("predictions on 32 test samples equal the training engine's");
    await shot(page, 'run-11-exported');

    const checkpoint = await loadCheckpoint((await rows().first().getAttribute('data-checkpoint'))!);
    const same = await samePredictions(join(studio.workDir, 'spikformer-tiny.onnx'), checkpoint.tensors);
    expect(same).toEqual({ samples: 32, same: 32 });
  });

  it('refuses a folder that is not a dataset when it is picked, keeping the digits', async () => {
    await sidebar('Data');
    await page.getByTestId('dataset-kind').selectOption('folder');
    // the picker opens in the work folder, which holds the CSV, the PNG and the ONNX file: no class folders
    await page.getByTestId('picker-choose-folder').click();
    await poll(() => page.getByTestId('dataset-pick-error').count()).toBe(1);
    expect((await page.getByTestId('dataset-pick-error').textContent())!.length).toBeGreaterThan(20);
    expect(await page.getByTestId('dataset-kind').inputValue()).toBe('digits');
    expect(await page.getByTestId('preview-sample').count()).toBe(16);
    await shot(page, 'run-12-folder-refused');
  });

  it('a run whose loss blows up fails with the step it happened at, and the app stays usable', { timeout: 180_000 }, async () => {
    await sidebar('Settings');
    await page.getByTestId('setting-optimizer').selectOption('sgd');
    await typeSetting('lr', '1e38');
    await page.getByTestId('run-start').click();
    await poll(status, 120_000).toBe('failed');
    expect(await page.getByTestId('run-error').textContent()).toMatch(/loss became (NaN|-?Infinity) at step \d+/);
    await shot(page, 'run-13-failed');
    // still usable: the settings take edits and a new run can start
    await typeSetting('lr', RECIPE.lr);
    expect(await page.getByTestId('run-start').isEnabled()).toBe(true);
    expect(browser.errors).toEqual([]);
  });
});

describe('runs the CLI wrote beside a document, in the app at 1600×1000', () => {
  beforeAll(async () => {
    studio = await startStudio();
    const file = join(studio.workDir, 'tiny.snn.json');
    await writeFile(file, JSON.stringify(buildTemplate('spikformer', 'tiny'), null, 2));
    // two short runs with the CLI's own `train` (runs/<name>-<n>/ beside the file, as the app writes them)
    for (const lr of ['0.005', '0.002']) {
      await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'snn-studio.mjs'), 'train', file, '--epochs', '1', '--max-steps', '6', '--batch', '32', '--lr', lr], { cwd: REPO });
    }
    browser = await launchBrowser({ width: 1600, height: 1000 });
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('lists them for the opened file; opens one, compares the other, renames one and deletes one', async () => {
    await page.goto(studio.url);
    await page.getByTestId('gallery-close').click();
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+o`);
    await page.getByTestId('file-picker').waitFor();
    await page.locator('.snn-picker__entry', { hasText: 'tiny.snn.json' }).dblclick();
    await page.getByTestId('tab-run').click();
    await sidebar('Runs');
    await poll(() => rows().count()).toBe(2);
    expect(await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).toEqual(['finished', 'finished']);
    const [newer, older] = [(await rows().first().getAttribute('data-run'))!, (await rows().nth(1).getAttribute('data-run'))!];
    expect(newer).toMatch(/-2$/);
    // the CLI trained the file as it is: no mark of another document version
    expect(await page.getByTestId('run-other-document').count()).toBe(0);

    await rows().nth(1).getByTestId('run-open').click();
    await poll(() => page.getByTestId('run-viewing').count()).toBe(1);
    await poll(() => chartPoints('loss')).toBe(6);
    await rows().first().getByTestId('run-compare').click();
    await poll(() => page.getByTestId('run-overlay').count()).toBe(1);
    await shot(page, 'run-14-cli-runs-compared-1600');

    await rows().first().getByTestId('run-rename').click();
    await page.keyboard.press(`${mod}+A`);
    await page.keyboard.type('lr 0.002');
    await page.keyboard.press('Enter');
    await poll(() => rows().first().getByTestId('run-open').textContent()).toContain('lr 0.002');
    const info = JSON.parse(await readFile(join(studio.workDir, 'runs', newer, 'run.json'), 'utf8')) as { label: string };
    expect(info.label).toBe('lr 0.002');

    await rows().nth(1).getByTestId('run-delete').click();
    await page.getByTestId('run-delete-confirm').click();
    await poll(() => rows().count()).toBe(1);
    await expect(stat(join(studio.workDir, 'runs', older))).rejects.toThrow();
    // the deleted run was the one shown: the run it was compared with is shown now, alone
    await poll(() => page.getByTestId('run-viewing').textContent()).toContain('lr 0.002');
    expect(await page.getByTestId('run-overlay').count()).toBe(0);
    await shot(page, 'run-15-renamed-deleted-1600');
  });

  it('exports the seeded, untrained weights when the user chooses them, and says so', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
    await page.keyboard.press(`${mod}+E`);
    await page.getByTestId('export-weights').selectOption({ label: 'Seeded, untrained weights' });
    await poll(() => page.getByTestId('export-weights-note').textContent()).toContain('seeded, untrained weights');
    await shot(page, 'run-16-export-seeded-1600');
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('picker-name').fill('seeded.onnx');
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('notice').textContent(), 120_000).toContain("seeded.onnx (seeded, untrained weights): predictions on 32 test samples equal the training engine's");
    expect((await stat(join(studio.workDir, 'seeded.onnx'))).size).toBeGreaterThan(1000);
    expect(browser.errors).toEqual([]);
  });
});

/** The exported file in a session of this test's own against the training engine's evaluation model, on the first 32 test digits. */
async function samePredictions(file: string, weights: Map<string, { data: Float32Array | Float64Array | BigInt64Array; shape: number[] }>): Promise<{ samples: number; same: number }> {
  const doc = buildTemplate('spikformer', 'tiny');
  const normalize = doc.input.normalize ? { augment: { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } } : {};
  const loader = await BatchLoader.open({ dataset: 'digits', split: 'test', thread: 'main', plan: { batchSize: 32, seed: 0, shuffle: false, ...normalize } });
  const batch = (await loader.epoch(0)[Symbol.asyncIterator]().next()).value!;
  await loader.close();
  const evaluator = await Evaluator.create(doc, batch.size, 1);
  const engine = await evaluator.logits((name) => {
    const t = weights.get(name);
    if (!t) throw new Error(`the checkpoint has no "${name}"`);
    return new ort.Tensor('float32', t.data as Float32Array, t.shape);
  }, batch);
  await evaluator.close();

  const session = await ort.InferenceSession.create(await readFile(file));
  const meta = session.inputMetadata[0]!;
  const shape = (meta.isTensor ? meta.shape : []) as number[];
  const modelBatch = shape[doc.input.kind === 'events' ? 1 : 0]!;
  const perSample = sampleLength(doc);
  const classes = engine.length / batch.size;
  let same = 0;
  for (let start = 0; start < batch.size; start += modelBatch) {
    const size = Math.min(modelBatch, batch.size - start);
    const x = new Float32Array(modelBatch * perSample);
    x.set(batch.x.subarray(start * perSample, (start + size) * perSample));
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', modelInput(doc, x, modelBatch), shape) });
    const logits = out[session.outputNames[0]!]!.data as Float32Array;
    for (let i = 0; i < size; i++) {
      if (argmax(logits.subarray(i * classes, (i + 1) * classes)) === argmax(engine.subarray((start + i) * classes, (start + i + 1) * classes))) same++;
    }
  }
  await session.release();
  return { samples: batch.size, same };
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
