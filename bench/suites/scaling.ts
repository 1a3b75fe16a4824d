/**
 * How cost grows: ms per training step and peak RSS of the Spikformer step (forward over T, BPTT,
 * loss, AdamW) against T (1, 2, 4, 8), batch (8, 16, 32, 64) and model size (CIFAR 2-256, 4-256,
 * 4-384), plus one ImageNet-size Spikformer-8-384 step (224×224, T = 4, batch 2), each beside
 * PyTorch eager (bench/peers/torch_train.py) on the same thread count. Every point runs ours and
 * then the peer in processes of their own (bench/suites/training/measure.ts), BENCH_SCALING_WARMUP
 * (2) untimed then BENCH_SCALING_STEPS (3) timed steps, median; BENCH_SCALING_ROUNDS (1) alternating
 * rounds keep the best of each side. These are few steps, so the curves read trends, not the
 * training suite's best-of-4 ratios.
 *
 * BENCH_SCALING_POINTS=<list> measures a subset (sweep names T, batch, size, imagenet or point keys
 * T=1, B=64, 4-384, ...; bench/suites/scaling/points.ts); latest.json keeps the other points' rows.
 * After latest.json is written, `report` draws every scaling row of it to bench/results/scaling.png.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitForQuiet } from '../cpu.js';
import type { BenchRow } from '../types.js';
import { renderScalingPlot } from './scaling/plot.js';
import { msRowName, pointLabel, rssRowName, selectPoints, type ScalingPoint } from './scaling/points.js';
import { best, probeStep, torchStep, type Measured, type PeerResult } from './training/measure.js';

export const PLOT_PATH = fileURLToPath(new URL('../results/scaling.png', import.meta.url));

export async function run(): Promise<BenchRow[]> {
  const points = selectPoints(process.env.BENCH_SCALING_POINTS);
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const steps = Number(process.env.BENCH_SCALING_STEPS ?? 3);
  const warmup = Number(process.env.BENCH_SCALING_WARMUP ?? 2);
  const rounds = Number(process.env.BENCH_SCALING_ROUNDS ?? 1);
  const timeoutMs = Number(process.env.BENCH_SCALING_TIMEOUT_S ?? 900) * 1000;
  const rows: BenchRow[] = [];
  for (const p of points) {
    console.error(`[bench] scaling: ${pointLabel(p)}`);
    rows.push(...(await measurePoint(p, { threads, steps, warmup, rounds, timeoutMs })));
  }
  return rows;
}

/** Draws the plot from every scaling row in latest.json (this run's and those kept from earlier runs). */
export async function report(all: readonly BenchRow[]): Promise<void> {
  const rows = all.filter((r) => r.suite === 'scaling');
  if (rows.length === 0) return;
  writeFileSync(PLOT_PATH, (await renderScalingPlot(rows)).png);
  console.error(`[bench] wrote ${PLOT_PATH}`);
}

interface Budget {
  threads: number;
  steps: number;
  warmup: number;
  rounds: number;
  timeoutMs: number;
}

async function measurePoint(p: ScalingPoint, b: Budget): Promise<BenchRow[]> {
  const options = { flavour: p.flavour, layers: p.layers, dim: p.dim, heads: p.heads, T: p.T, batch: p.batch };
  const args = { model: 'spikformer' as const, threads: b.threads, steps: b.steps, warmup: b.warmup, options, timeoutMs: b.timeoutMs };
  let ours: Measured | undefined;
  let peer: PeerResult | undefined;
  try {
    for (let r = 0; r < b.rounds; r++) {
      await waitForQuiet();
      ours = best(ours, await probeStep(args));
      await waitForQuiet();
      const next = await torchStep(args);
      peer = peer?.ok && next.ok ? { ...next, m: best(peer.m, next.m) } : (peer ?? next);
    }
  } catch (e) {
    // a point that fails (out of memory, timeout) stays in the table as NaN with the reason, and the other points still run
    const why = `failed: ${(e as Error).message.split('\n')[0]}`;
    return [
      { suite: 'scaling', name: msRowName(p), value: NaN, unit: 'ms', note: why },
      { suite: 'scaling', name: rssRowName(p), value: NaN, unit: 'MB', note: why },
    ];
  }
  if (!ours || !peer) throw new Error('BENCH_SCALING_ROUNDS must be at least 1');
  const load = ours.otherLoad === undefined ? '' : `, other load ${(100 * ours.otherLoad).toFixed(0)}%`;
  const compile = ours.compileMs === undefined ? '' : `, compile + session ${(ours.compileMs / 1000).toFixed(1)} s`;
  const runs = b.rounds === 1 ? '1 run' : `best of ${b.rounds} alternating runs`;
  const m = peer.ok ? peer.m : undefined;
  // the step's products and convolutions over each side's step time: how close each runs to the GEMM rate (bench/ceiling.ts)
  const dense = ours.denseGmac === undefined ? '' : `; dense work ${ours.denseGmac.toFixed(1)} GMAC: ours ${((1000 * ours.denseGmac) / ours.msPerStep).toFixed(0)} GMAC/s${m ? `, PyTorch ${((1000 * ours.denseGmac) / m.msPerStep).toFixed(0)} GMAC/s` : ''} of step time`;
  const note = `${p.heads} heads, ${b.threads} threads, median of ${b.steps} steps after ${b.warmup}, ${runs}${load}${compile}; ${peer.ok ? `PyTorch ${peer.version} eager, OpenBLAS` : peer.why}${dense}`;
  return [
    { suite: 'scaling', name: msRowName(p), value: ours.msPerStep, unit: 'ms', ...(m ? { peer: m.msPerStep } : {}), note },
    { suite: 'scaling', name: rssRowName(p), value: ours.peakRssMb, unit: 'MB', ...(m ? { peer: m.peakRssMb } : {}), note },
  ];
}
