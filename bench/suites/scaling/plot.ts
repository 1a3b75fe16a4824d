/**
 * The scaling suite's plot: a grid of panels, one column per sweep (T, batch, model size, the
 * ImageNet step) and three rows (ms per step, PyTorch's time ÷ ours, peak RSS), ours and PyTorch
 * as two lines. A Vega-Lite spec compiled and rendered to SVG by Vega in Node, then rasterised by
 * resvg, so no browser and no native canvas are needed.
 *
 * `npx tsx bench/suites/scaling/plot.ts` draws bench/results/scaling.png again from latest.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchRow } from '../../types.js';
import { msRowName, rssRowName, sweepKey, SWEEP_ORDER, SWEEPS, type Sweep } from './points.js';

/** Width of the PNG in pixels; the height follows the layout. */
export const PLOT_WIDTH = 1600;

export const SERIES = { ours: 'SNN Studio', peer: 'PyTorch eager', ratio: 'PyTorch time ÷ ours' } as const;
/** Colours of the three series, fixed so that every plot reads the same (and a test can find them). */
export const SERIES_COLOURS: Readonly<Record<keyof typeof SERIES, string>> = { ours: '#1f77b4', peer: '#ff7f0e', ratio: '#2ca02c' };

const AXIS: Readonly<Record<Sweep, string>> = { T: 'time steps T (2-256, batch 32)', batch: 'batch (2-256, T = 4)', size: 'blocks-dim (T = 4, batch 32)', imagenet: 'ImageNet 8-384, 224², T = 4, batch 2' };
const METRICS = [
  { id: 'ms', title: 'ms per training step' },
  { id: 'ratio', title: 'PyTorch time ÷ ours (× faster)' },
  { id: 'rss', title: 'peak RSS, MB' },
] as const;

interface Datum {
  readonly x: string;
  readonly series: string;
  readonly value: number;
}

export interface ScalingPlot {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Renders the scaling rows (as bench/results/latest.json holds them) to a PNG. */
export async function renderScalingPlot(rows: readonly BenchRow[]): Promise<ScalingPlot> {
  const view = new vega.View(vega.parse(compile(scalingSpec(rows)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const image = new Resvg(svg, {
    fitTo: { mode: 'width', value: PLOT_WIDTH },
    background: 'white',
    // DejaVu ships with Debian; resvg falls back to any installed sans face elsewhere
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

export function scalingSpec(rows: readonly BenchRow[]): TopLevelSpec {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const columns = SWEEP_ORDER.map((sweep) => ({ sweep, data: sweepData(sweep, byName) })).filter((c) => c.data.ms.length > 0);
  if (columns.length === 0) throw new Error(`no scaling rows to plot (expected names like "${msRowName(SWEEPS.T[0]!)}")`);
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: Object.values(SERIES), range: Object.keys(SERIES).map((k) => SERIES_COLOURS[k as keyof typeof SERIES]) },
    legend: { orient: 'top' },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Spikformer training step: how cost grows (SNN Studio beside PyTorch eager)', fontSize: 15 },
    background: 'white',
    config: { font: 'DejaVu Sans, sans-serif', view: { stroke: '#ddd' } },
    vconcat: METRICS.map((metric) => ({
      hconcat: columns.map(({ sweep, data }) => ({
        width: 220,
        height: 150,
        data: { values: [...data[metric.id]] },
        layer: [
          {
            mark: { type: 'line', point: { size: 50 }, strokeWidth: 2 },
            encoding: {
              x: { field: 'x', type: 'ordinal', scale: { domain: SWEEPS[sweep].map((p) => tick(sweep, p)) }, axis: { labelAngle: 0 }, title: AXIS[sweep] },
              y: { field: 'value', type: 'quantitative', scale: { zero: true }, title: metric.title },
              color: colour,
            },
          },
          ...(metric.id === 'ratio' ? [{ mark: { type: 'rule', strokeDash: [4, 4], color: '#888' }, encoding: { y: { datum: 1 } } } as const] : []),
        ],
      })),
    })),
    resolve: { scale: { color: 'shared' } },
  } as TopLevelSpec;
}

const tick = (sweep: Sweep, p: (typeof SWEEPS)[Sweep][number]): string => (sweep === 'imagenet' ? '8-384' : sweepKey(sweep, p).replace(/^[TB]=/, ''));

/** One sweep's points as plot data, skipping points not measured (or failed: a NaN/null value). */
function sweepData(sweep: Sweep, byName: ReadonlyMap<string, BenchRow>): Record<(typeof METRICS)[number]['id'], Datum[]> {
  const out: Record<(typeof METRICS)[number]['id'], Datum[]> = { ms: [], ratio: [], rss: [] };
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
  for (const p of SWEEPS[sweep]) {
    const x = tick(sweep, p);
    const ms = byName.get(msRowName(p));
    const rss = byName.get(rssRowName(p));
    if (ms && finite(ms.value)) {
      out.ms.push({ x, series: SERIES.ours, value: ms.value });
      if (finite(ms.peer)) {
        out.ms.push({ x, series: SERIES.peer, value: ms.peer });
        out.ratio.push({ x, series: SERIES.ratio, value: ms.peer / ms.value });
      }
    }
    if (rss && finite(rss.value)) {
      out.rss.push({ x, series: SERIES.ours, value: rss.value });
      if (finite(rss.peer)) out.rss.push({ x, series: SERIES.peer, value: rss.peer });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const results = fileURLToPath(new URL('../../results/latest.json', import.meta.url));
  const out = fileURLToPath(new URL('../../results/scaling.png', import.meta.url));
  const rows = (JSON.parse(readFileSync(results, 'utf8')) as BenchRow[]).filter((r) => r.suite === 'scaling');
  const plot = await renderScalingPlot(rows);
  writeFileSync(out, plot.png);
  console.error(`wrote ${out} (${plot.width}×${plot.height})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await main();
  } catch (e) {
    console.error(`scaling plot: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
