import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { PLOT_WIDTH, renderScalingPlot, scalingSpec, SERIES, SERIES_COLOURS } from '../../bench/suites/scaling/plot.js';
import { msRowName, rssRowName, SWEEPS, type ScalingPoint } from '../../bench/suites/scaling/points.js';
import type { BenchRow } from '../../bench/types.js';

/** A fixed run: ours grows linearly with T and batch, PyTorch twice as slow; one point failed, one has no peer. */
function rows(): BenchRow[] {
  const out: BenchRow[] = [];
  const add = (p: ScalingPoint, ms: number, peer: number | undefined, rss: number) => {
    out.push({ suite: 'scaling', name: msRowName(p), value: ms, unit: 'ms', ...(peer === undefined ? {} : { peer }) });
    out.push({ suite: 'scaling', name: rssRowName(p), value: rss, unit: 'MB', ...(peer === undefined ? {} : { peer: rss * 1.2 }) });
  };
  for (const p of SWEEPS.T) add(p, 400 * p.T, 800 * p.T, 500 + 200 * p.T);
  for (const p of SWEEPS.batch) if (p.batch !== 32) add(p, 50 * p.batch, 90 * p.batch, 300 + 30 * p.batch);
  add(SWEEPS.size[1]!, 3000, 5100, 2500);
  // 4-384 failed (as a NaN written to JSON reads back: null)
  out.push({ suite: 'scaling', name: msRowName(SWEEPS.size[2]!), value: null as unknown as number, unit: 'ms', note: 'failed: killed' });
  add(SWEEPS.imagenet[0]!, 9000, undefined, 7000);
  return out;
}

type Values = { x: string; series: string; value: number }[];
const panel = (spec: ReturnType<typeof scalingSpec>, row: number, col: number): Values =>
  ((spec as any).vconcat[row].hconcat[col].data.values as Values);

describe('scaling plot', () => {
  it('puts each sweep in a column with ours, PyTorch and their ratio, skipping failed and missing points', () => {
    const spec = scalingSpec(rows());
    expect((spec as any).vconcat).toHaveLength(3);
    expect((spec as any).vconcat[0].hconcat).toHaveLength(4);
    const tMs = panel(spec, 0, 0);
    expect(tMs.filter((d) => d.series === SERIES.ours).map((d) => [d.x, d.value])).toEqual([['1', 400], ['2', 800], ['4', 1600], ['8', 3200]]);
    expect(panel(spec, 1, 0).map((d) => d.value)).toEqual([2, 2, 2, 2]);
    // batch 32 is the base point, measured once under the T sweep's T=4 name
    expect(panel(spec, 0, 1).filter((d) => d.series === SERIES.peer).map((d) => [d.x, d.value])).toEqual([['8', 720], ['16', 1440], ['32', 3200], ['64', 5760]]);
    expect(panel(spec, 1, 2).map((d) => [d.x, d.value])).toEqual([['2-256', 2], ['4-256', 1.7]]);
    expect(panel(spec, 0, 3)).toEqual([{ x: '8-384', series: SERIES.ours, value: 9000 }]);
    expect(panel(spec, 1, 3)).toEqual([]);
    expect(panel(spec, 2, 0).filter((d) => d.series === SERIES.peer).map((d) => d.value)).toEqual([840, 1080, 1560, 2520]);
  });

  it('drops sweeps with no measured point and refuses rows that hold none', () => {
    const onlyT = rows().filter((r) => r.name.includes('B=32') && r.name.includes('2-256'));
    expect((scalingSpec(onlyT) as any).vconcat[0].hconcat).toHaveLength(3);
    expect(() => scalingSpec([{ suite: 'scaling', name: 'something else: ms/step', value: 1, unit: 'ms' }])).toThrow(/no scaling rows to plot.*Spikformer-2-256 CIFAR 32×32 T=1 B=32: ms\/step/);
  });

  it('renders a PNG that decodes, PLOT_WIDTH wide, with both lines and the ratio drawn', async () => {
    const plot = await renderScalingPlot(rows());
    const png = PNG.sync.read(plot.png);
    expect(png.width).toBe(PLOT_WIDTH);
    expect([png.width, png.height]).toEqual([plot.width, plot.height]);
    expect(png.height).toBeGreaterThan(600);
    expect(png.height).toBeLessThan(2000);
    const count = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        if (Math.abs(png.data[i]! - r!) < 12 && Math.abs(png.data[i + 1]! - g!) < 12 && Math.abs(png.data[i + 2]! - b!) < 12) n++;
      }
      return n;
    };
    const pixels = png.width * png.height;
    const notWhite = pixels - count('#ffffff');
    expect(notWhite / pixels).toBeGreaterThan(0.02);
    // lines and points of each series, well beyond its legend swatch alone (~160 px at this scale)
    for (const c of Object.values(SERIES_COLOURS)) expect(count(c)).toBeGreaterThan(600);
  });
});
