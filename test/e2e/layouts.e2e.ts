/**
 * Every template's default preset, as the gallery opens it in Chromium at 1600×1000, read at the
 * top level and inside every kind of composite it holds (each block type with its parameters once):
 *
 * - it opens with 0 errors and 0 warnings, and the page logs no error and no warning;
 * - fitted to the window, no two blocks overlap and no text on the canvas is drawn under 9 px;
 * - at 100 % (every wire labelled), no two blocks overlap, no wire label covers another label, a
 *   block, or another wire's drawn path (sampled along the SVG path itself, every 2 px).
 *
 * A label with no free place on its wire is in the page but hidden until the wire is selected
 * (`.snn-edge-label--unplaced`): the checks read the labels drawn.
 *
 * The 100 % check needs the whole body on screen at once (off-screen elements are not mounted):
 * the window is enlarged to the body's size for it, then set back. Screenshots of every scope at
 * fit and at 100 % go to test-results/e2e/layouts/ for review.
 */
import type { Page } from 'playwright-core';
import { overlappingNodes, smallCanvasText } from './canvas-checks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTemplates } from '../../templates/index.js';
import { skipping } from '../helpers/skip.js';
import { browserSkipReason, failOnConsoleErrors, launchBrowser, openFromGallery, startStudio, viewportSettled, type Browser, type Studio } from './harness.js';
import { shot } from './shot.js';

const WIDTH = 1600;
const HEIGHT = 1000;
/** The largest window the 100 % check opens (a body larger than this is checked in its visible part). */
const MAX_WINDOW = 7000;
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

let studio: Studio;
let browser: Browser;
let page: Page;
const warnings: string[] = [];
/** Wires drawn and labels shown at 100 %, over every scope checked: leaving labels off is no way to pass. */
const coverage = { wires: 0, labels: 0, tensors: 0, tensorsLabelled: 0 };

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

describe.skipIf(skipping('end-to-end: template layouts', browserSkipReason()))('every template reads cleanly, at the top and inside every composite', () => {
  beforeAll(async () => {
    studio = await startStudio();
    browser = await launchBrowser({ width: WIDTH, height: HEIGHT });
    page = browser.page;
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    await page.goto(studio.url);
    await page.getByTestId('gallery').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  failOnConsoleErrors(() => browser);

  it('the gallery offers every template of templates/', async () => {
    await poll(() => page.locator('[data-testid^="open-template-"]').count()).toBeGreaterThan(0);
    const offered = await page.locator('[data-testid^="open-template-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('open-template-'.length)));
    expect(offered.sort()).toEqual(listTemplates().map((t) => t.id).sort());
  });

  for (const t of listTemplates()) {
    it(`${t.id}: no overlaps, no small text, labels clear of labels, blocks and wires`, async () => {
      await openTemplate(t.id);
      expect(await findingCounts()).toEqual({ error: 0, warning: 0 });
      const seen = new Set<string>();
      const faults = await checkScope(t.id, seen);
      expect(faults).toEqual([]);
      expect(warnings.splice(0), 'console warnings').toEqual([]);
    }, 600_000);
  }

  it('the minimap and the wire legend fold to a button, stay folded from one document to the next, and unfold', async () => {
    const minimap = () => page.locator('.react-flow__minimap').count();
    const legend = () => page.getByTestId('legend').count();
    expect([await minimap(), await legend()]).toEqual([1, 1]);
    await page.getByTestId('minimap-toggle').click();
    await page.getByTestId('legend-toggle').click();
    await poll(minimap).toBe(0);
    await poll(legend).toBe(0);
    await shot(page, 'layouts/overlays-folded');
    await openTemplate('lif-cnn');
    expect([await minimap(), await legend()]).toEqual([0, 0]);
    // folded, fitting uses the room they left: still no block under the buttons that replace them
    await fit();
    expect(await coveredByOverlays()).toEqual([]);
    await page.getByTestId('minimap-toggle').click();
    await page.getByTestId('legend-toggle').click();
    await poll(minimap).toBe(1);
    await poll(legend).toBe(1);
  });

  // the wires fanning out of one output carry one tensor: its type needs reading on one of them
  it('nearly every tensor has its type on a wire at 100 %', () => {
    console.log(`at 100 %: labels on ${coverage.labels} of ${coverage.wires} wires; ${coverage.tensorsLabelled} of ${coverage.tensors} tensors labelled`);
    expect(coverage.wires).toBeGreaterThan(0);
    expect(coverage.tensorsLabelled / coverage.tensors).toBeGreaterThan(0.9);
  });
});

/** Opens a template's default preset from the gallery, discarding the document open before. */
async function openTemplate(id: string): Promise<void> {
  await page.locator('[data-testid="gallery"], .react-flow__node').first().waitFor();
  if (!(await page.getByTestId('gallery').isVisible())) {
    await focusCanvas();
    await page.keyboard.press(`${mod}+Shift+n`);
    await page.getByTestId('gallery').waitFor();
  }
  await openFromGallery(page, id);
  await page.locator('.react-flow__node').first().waitFor();
  await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe('');
}

async function findingCounts(): Promise<{ error: number; warning: number }> {
  if ((await page.getByTestId('problems-filter-error').count()) === 0) await page.getByTestId('tab-problems').click();
  const count = async (s: string) => Number(await page.getByTestId(`problems-filter-${s}`).locator('.snn-problems-filter__count').textContent());
  return { error: await count('error'), warning: await count('warning') };
}

async function focusCanvas(): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 12, y: 60 } });
}

/** Checks the scope on screen, then each kind of composite in it (once per template); returns the faults found. */
async function checkScope(name: string, seen: Set<string>): Promise<string[]> {
  const faults: string[] = [];
  const scope = (await page.getByTestId('canvas').getAttribute('data-scope')) ?? '';

  await fit();
  faults.push(...(await overlappingNodes(page)).map((f) => `${name} at fit: blocks ${f} overlap`));
  faults.push(...(await smallCanvasText(page)).map((f) => `${name} at fit: text ${f}`));
  faults.push(...(await coveredByOverlays()).map((f) => `${name} at fit: ${f}`));
  await shot(page, `layouts/${name}-fit`);

  await atFullSize(async () => {
    faults.push(...(await overlappingNodes(page)).map((f) => `${name} at 100%: blocks ${f} overlap`));
    faults.push(...(await labelFaults()).map((f) => `${name} at 100%: ${f}`));
    const drawn = await page.evaluate(() => {
      // a wire's id is `source.port>target.port`: the wires from one output carry one tensor
      const tensor = (id: string) => id.split('>')[0]!;
      const wires = [...document.querySelectorAll<SVGGElement>('.react-flow__edge')].map((g) => g.dataset.id ?? '');
      const labels = [...document.querySelectorAll<HTMLElement>('.snn-edge-label:not(.snn-edge-label--unplaced)')].map((l) => (l.dataset.testid ?? '').slice('edge-label-'.length));
      return { wires: wires.length, labels: labels.length, tensors: new Set(wires.map(tensor)).size, tensorsLabelled: new Set(labels.map(tensor)).size };
    });
    coverage.wires += drawn.wires;
    coverage.labels += drawn.labels;
    coverage.tensors += drawn.tensors;
    coverage.tensorsLabelled += drawn.tensorsLabelled;
    await shot(page, `layouts/${name}-100`);
  });

  const composites = await page.locator('.react-flow__node:has(.snn-node[data-composite])').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-id')!, kind: e.querySelector('.snn-node__sub')?.textContent ?? '' })),
  );
  for (const c of composites) {
    if (seen.has(c.kind)) continue;
    seen.add(c.kind);
    await fit();
    await page.getByTestId(`node-${c.id}`).dblclick();
    const inner = scope === '' ? c.id : `${scope}/${c.id}`;
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe(inner);
    await page.locator('.react-flow__node').first().waitFor();
    faults.push(...(await checkScope(`${name}-${c.id}`, seen)));
    await focusCanvas();
    await page.keyboard.press('Alt+ArrowUp');
    await poll(() => page.getByTestId('canvas').getAttribute('data-scope')).toBe(scope);
  }
  return faults;
}

async function fit(): Promise<void> {
  await focusCanvas();
  await page.keyboard.press('f');
  await viewportSettled(page);
  await poll(() => page.getByTestId('canvas').getAttribute('data-lod')).not.toBe(null);
}

/**
 * Runs `check` with the body on screen at 100 %: the window grown to hold the whole body at that
 * zoom (the panels around the canvas keep their size), the view fitted, then zoomed to 100 %.
 */
async function atFullSize(check: () => Promise<void>): Promise<void> {
  try {
    // grown until nothing drawn sticks out of the canvas at 100 % (compact blocks, measured at fit, are smaller)
    for (let tries = 0; tries < 4; tries++) {
      const grow = await page.evaluate(() => {
        const canvas = document.querySelector('.react-flow')!.getBoundingClientRect();
        const drawn = [...document.querySelectorAll('.react-flow__node, .snn-edge-label, .react-flow__edge-path')].map((n) => n.getBoundingClientRect());
        const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector<HTMLElement>('.react-flow__viewport')!).transform).a;
        const w = (Math.max(...drawn.map((r) => r.right)) - Math.min(...drawn.map((r) => r.left))) / zoom;
        const h = (Math.max(...drawn.map((r) => r.bottom)) - Math.min(...drawn.map((r) => r.top))) / zoom;
        // room for the fit's margins and the overlays
        return { width: Math.max(0, w + 240 - canvas.width), height: Math.max(0, h + 300 - canvas.height), at: { width: window.innerWidth, height: window.innerHeight } };
      });
      if (tries > 0 && grow.width === 0 && grow.height === 0) break;
      const size = { width: Math.min(MAX_WINDOW, Math.ceil(grow.at.width + grow.width)), height: Math.min(MAX_WINDOW, Math.ceil(grow.at.height + grow.height)) };
      if (size.width !== grow.at.width || size.height !== grow.at.height) await page.setViewportSize(size);
      await fit();
      await page.keyboard.press(`${mod}+0`);
      await viewportSettled(page);
      await poll(() => page.getByTestId('canvas').getAttribute('data-lod')).toBe('detail');
      // the labels are placed once every block and handle is measured: wait until they stop changing
      await labelsSettled();
    }
    await check();
  } finally {
    await page.setViewportSize({ width: WIDTH, height: HEIGHT });
  }
}

async function labelsSettled(): Promise<void> {
  const read = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.snn-edge-label:not(.snn-edge-label--unplaced)')].map((l) => l.style.transform).join('|'));
  let last = await read();
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(150);
    const now = await read();
    if (now === last) return;
    last = now;
  }
  throw new Error('the wire labels were still moving after 7.5 s');
}

/** Blocks under the canvas's overlays (minimap, legend and the buttons that fold them, the zoom controls). */
async function coveredByOverlays(): Promise<string[]> {
  return page.evaluate(() => {
    const overlays = [...document.querySelectorAll<HTMLElement>('.react-flow__minimap, .react-flow__controls, .react-flow__panel.bottom')].map((o) => ({ name: o.className.split(' ').slice(-1)[0], r: o.getBoundingClientRect() }));
    const out: string[] = [];
    for (const n of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
      const r = n.getBoundingClientRect();
      for (const o of overlays) if (r.left < o.r.right && o.r.left < r.right && r.top < o.r.bottom && o.r.top < r.bottom) out.push(`block ${n.dataset.id} under ${o.name}`);
    }
    return out;
  });
}

/**
 * Each drawn wire label that overlaps another label or a block, or that another wire's drawn path
 * passes under (its SVG path sampled every 2 px and mapped to the screen).
 */
async function labelFaults(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const labels = [...document.querySelectorAll<HTMLElement>('.snn-edge-label:not(.snn-edge-label--unplaced)')].map((l) => ({ id: (l.dataset.testid ?? '').slice('edge-label-'.length), r: l.getBoundingClientRect() }));
    const nodes = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((n) => ({ id: n.dataset.id ?? '', r: n.getBoundingClientRect() }));
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (let i = 0; i < labels.length; i++) {
      const a = labels[i]!;
      for (let j = i + 1; j < labels.length; j++) if (overlap(a.r, labels[j]!.r)) out.push(`label of ${a.id} overlaps label of ${labels[j]!.id}`);
      for (const n of nodes) if (overlap(a.r, n.r)) out.push(`label of ${a.id} covers block ${n.id}`);
    }
    for (const g of document.querySelectorAll<SVGGElement>('.react-flow__edge')) {
      const id = g.dataset.id ?? '';
      const path = g.querySelector<SVGPathElement>('.react-flow__edge-path');
      const m = path?.getScreenCTM();
      if (!path || !m) continue;
      const length = path.getTotalLength();
      const under = new Set<string>();
      for (let s = 0; s <= length; s += 2) {
        const p = new DOMPoint(path.getPointAtLength(s).x, path.getPointAtLength(s).y).matrixTransform(m);
        for (const l of labels) if (l.id !== id && p.x > l.r.left && p.x < l.r.right && p.y > l.r.top && p.y < l.r.bottom) under.add(l.id);
      }
      for (const l of under) out.push(`wire ${id} runs under the label of ${l}`);
    }
    return out;
  });
}
