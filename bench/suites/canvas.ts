/**
 * The editor's two speed targets:
 *   - frames per second while panning a generated 1,000-node graph in Chromium (target >= 50):
 *     SNN Studio in browser mode, the graph written to a file and opened with File › Open, the
 *     pane dragged around by the mouse while the page counts its animation frames, once with the
 *     whole graph in view and once zoomed in to reading size;
 *   - shape inference after one edit on Spikformer-8-768 (target < 16 ms, one frame): the
 *     renderer's own analysis path (analysisOf, with its per-document InferCache), median of many
 *     edits of two kinds: a head parameter (every encoder block cached) and a parameter of one
 *     encoder block (that block re-analysed).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { GraphDocument, NodeSpec, EdgeSpec } from '../../engine/core/document/schema.js';
import { updateBody } from '../../renderer/src/document/body.js';
import { setParam } from '../../renderer/src/document/ops.js';
import { analysisOf } from '../../renderer/src/state/analysis.js';
import { ensureRendererBuilt } from '../../scripts/start/renderer-build.js';
import { launchBrowser, REPO, startStudio } from '../../test/e2e/harness.js';
import { buildTemplate } from '../../templates/index.js';
import type { BenchRow } from '../types.js';

const SUITE = 'canvas';
const NODES = 1000;
export const PAN_MS = 4000;
const EDITS = 40;

export async function run(): Promise<BenchRow[]> {
  return [...inferenceAfterEdit(), ...(await panningFps())];
}

// ---- shape inference after one edit ---------------------------------------------------------

function inferenceAfterEdit(): BenchRow[] {
  const doc = buildTemplate('spikformer', '8-768');
  const session = 1_000_000;
  analysisOf(doc, session); // opening the document fills the cache
  const blocks = doc.nodes.filter((n) => n.block === 'spikformer_block');
  const head = doc.nodes.find((n) => n.block === 'head');
  if (!head || blocks.length === 0) throw new Error('Spikformer-8-768 has no head or no encoder blocks');
  const time = (edit: (d: GraphDocument, i: number) => GraphDocument): number[] => {
    const samples: number[] = [];
    let current = doc;
    for (let i = 0; i < EDITS; i++) {
      current = edit(current, i);
      const t0 = performance.now();
      analysisOf(current, session);
      samples.push(performance.now() - t0);
    }
    return samples;
  };
  const headEdit = time((d, i) => updateBody(d, null, (b) => setParam(b, head.id, ['classes'], 10 + (i % 7))));
  // a ratio never used before each time (768·ratio stays whole): that block's inside is analysed
  // afresh, the other blocks come from the cache, as when a user types a new value
  const blockEdit = time((d, i) => updateBody(d, null, (b) => setParam(b, blocks[i % blocks.length]!.id, ['mlpRatio'], 3 + (i + 1) / 64)));
  return [
    { suite: SUITE, name: 'infer after edit, Spikformer-8-768, head parameter (median)', value: median(headEdit), unit: 'ms', note: `target < 16 ms; ${doc.nodes.length} top-level nodes` },
    { suite: SUITE, name: 'infer after edit, Spikformer-8-768, one encoder block (median)', value: median(blockEdit), unit: 'ms', note: `target < 16 ms; max ${Math.max(...blockEdit).toFixed(1)} ms` },
  ];
}

// ---- panning ---------------------------------------------------------------------------------

async function panningFps(): Promise<BenchRow[]> {
  ensureRendererBuilt(REPO);
  const studio = await startStudio();
  const file = `bench-${NODES}.snn.json`;
  await writeFile(join(studio.workDir, file), JSON.stringify(generatedGraph(NODES)));
  const browser = await launchBrowser({ width: 1600, height: 1000 });
  try {
    const page = browser.page;
    await page.goto(studio.url);
    // File › Open, as a user: the picker starts in the working folder, where the graph was written
    await page.getByTestId('gallery').waitFor();
    await page.getByRole('button', { name: 'Open file…' }).click();
    await page.getByRole('button', { name: file }).click();
    await page.getByTestId('picker-confirm').click();
    await waitUntil(page, `document.querySelectorAll('.react-flow__node').length === ${NODES}`);
    await page.waitForTimeout(1000);
    const fitted = await pan(page);
    // at reading zoom every wire is drawn in full with its type label
    for (let i = 0; i < 20 && !(await page.evaluate(`!!document.querySelector('.snn-edge-label') && document.querySelector('[data-lod]').dataset.lod === 'detail'`)); i++) {
      await page.getByRole('button', { name: 'Zoom In' }).click();
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    const zoomed = await pan(page);
    if (browser.errors.length > 0) throw new Error(`the page reported errors: ${browser.errors.join('; ')}`);
    return [
      { suite: SUITE, name: `pan ${NODES}-node graph, whole graph in view, overview drawing (fps)`, value: fitted.fps, unit: 'fps', note: `target >= 50; p95 frame ${fitted.p95.toFixed(1)} ms; headless Chromium, software rendering` },
      { suite: SUITE, name: `pan ${NODES}-node graph, zoomed in, full wires and labels (fps)`, value: zoomed.fps, unit: 'fps', note: `target >= 50; p95 frame ${zoomed.p95.toFixed(1)} ms` },
    ];
  } finally {
    await browser.close();
    await studio.close();
  }
}

/**
 * Frame counting in the page, as strings: tsx would add helpers to a function's text that do not
 * exist in the page.
 */
const START_COUNTING = `(() => {
  window.__frames = [];
  window.__counting = true;
  const tick = (t) => { window.__frames.push(t); if (window.__counting) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;
const STOP_COUNTING = `(() => { window.__counting = false; return window.__frames; })()`;
/** The point nearest the canvas centre where the pane itself (no node, wire or panel) is hit. */
const FIND_EMPTY_SPOT = `(() => {
  const r = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  let best = null;
  for (let y = r.top + 40; y < r.bottom - 40; y += 8) for (let x = r.left + 60; x < r.right - 60; x += 16) {
    const el = document.elementFromPoint(x, y);
    if (!el || !el.classList.contains('react-flow__pane')) continue;
    const d = (x - cx) ** 2 + (y - cy) ** 2;
    if (!best || d < best.d) best = { x, y, d };
  }
  return best && { x: best.x, y: best.y };
})()`;

/** Drags the empty pane around a circle for PAN_MS while the page counts animation frames. */
export async function pan(page: Page): Promise<{ fps: number; p95: number }> {
  // grab an empty spot of the pane: a drag that starts on a node moves the node instead
  const spot = (await page.evaluate(FIND_EMPTY_SPOT)) as { x: number; y: number } | null;
  if (!spot) throw new Error('no empty spot on the canvas to pan from');
  await page.mouse.move(spot.x, spot.y);
  await page.waitForTimeout(300);
  await page.evaluate(START_COUNTING);
  await page.mouse.down();
  const started = Date.now();
  for (let step = 0; Date.now() - started < PAN_MS; step++) {
    const a = (step / 30) * Math.PI;
    await page.mouse.move(spot.x + Math.cos(a) * 200 - 200, spot.y + Math.sin(a) * 150);
  }
  await page.mouse.up();
  const frames = (await page.evaluate(STOP_COUNTING)) as number[];
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  const elapsed = frames[frames.length - 1]! - frames[0]!;
  return { fps: (1000 * gaps.length) / elapsed, p95: percentile(gaps, 0.95) };
}

/** input → encoder → (Linear, LIF) × n → output on a grid of rows, positions included. */
export function generatedGraph(total: number): GraphDocument {
  const nodes: NodeSpec[] = [];
  const edges: EdgeSpec[] = [];
  const perRow = 40;
  const at = (i: number) => {
    const row = Math.floor(i / perRow);
    const col = row % 2 === 0 ? i % perRow : perRow - 1 - (i % perRow);
    return { x: col * 300, y: row * 140 };
  };
  const add = (id: string, block: string, params?: Record<string, unknown>) => {
    const prev = nodes[nodes.length - 1];
    nodes.push({ id, block, ...(params ? { params } : {}), position: at(nodes.length) });
    if (prev) edges.push({ source: prev.id, target: id });
  };
  add('input', 'input');
  add('encoder', 'direct_encoder');
  for (let i = 0; nodes.length < total - 1; i++) {
    if (i % 2 === 0) add(`fc${i / 2}`, 'linear', { outFeatures: 64 });
    else add(`lif${(i - 1) / 2}`, 'lif');
  }
  add('output', 'output');
  return { format: 'snn-studio/graph', version: 1, name: `Generated ${total}-node graph`, timeSteps: 4, input: { shape: [64], kind: 'vector' }, nodes, edges };
}

/**
 * Polls an expression in the page until it is true. Not waitForFunction: that evaluates its text
 * with eval inside the page, which the app's Content-Security-Policy refuses.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
}

function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}
