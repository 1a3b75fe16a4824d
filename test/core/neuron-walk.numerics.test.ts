/**
 * The merged-rows walk (`mergeRows`, QKFormer's released SSA projection LIF): a neuron applied after
 * `flatten(0, 1)` walks the T·B rows t-major (row t·B + b) as one sequence over one sample's
 * elements, so its membrane carries from sample to sample. Checked on ONNX Runtime against a hand
 * recursion in float64 written from that description (not from the engine), with spikes exact and
 * charges to 1e-5; inputs on a 1/32 grid, columns whose charge comes within 1e-3 of the threshold
 * redrawn (as in neurons.numerics.test.ts). At batch 1 the walk is the per-sample one.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { expectClose, expectExact } from './helpers/compare.js';
import { chainDoc } from './helpers/docs.js';
import { runProbed } from './helpers/probe.js';

const T = 4;
const M = 20;
const GRID = 32;
const MARGIN = 1e-3;

interface Neuron {
  readonly block: 'lif' | 'if';
  readonly params: Record<string, unknown>;
  readonly threshold: number;
  /** Input range before quantisation. */
  readonly range: readonly [number, number];
  /** The charge H from the membrane V and the input X. */
  readonly charge: (v: number, x: number) => number;
  /** The membrane after firing (s = 1) or not. */
  readonly reset: (h: number, s: number) => number;
}

const NEURONS: readonly Neuron[] = [
  { block: 'lif', params: { tau: 2 }, threshold: 1, range: [-1, 3], charge: (v, x) => v + (x - v) / 2, reset: (h, s) => (s ? 0 : h) },
  { block: 'if', params: { vReset: null, threshold: 0.75 }, threshold: 0.75, range: [-0.5, 1.5], charge: (v, x) => v + x, reset: (h, s) => h - 0.75 * s },
];

/** rows × M inputs, walked down the rows with one membrane per column. */
function walkRows(n: Neuron, x: Float64Array, rows: number): { h: Float64Array; s: Float64Array } {
  const h = new Float64Array(rows * M);
  const s = new Float64Array(rows * M);
  for (let m = 0; m < M; m++) {
    let v = 0;
    for (let r = 0; r < rows; r++) {
      const k = r * M + m;
      h[k] = n.charge(v, x[k]!);
      s[k] = h[k]! >= n.threshold ? 1 : 0;
      v = n.reset(h[k]!, s[k]!);
    }
  }
  return { h, s };
}

function doc(n: Neuron, mergeRows: boolean): GraphDocument {
  return chainDoc({ shape: [M], kind: 'events' }, T, [
    ['ev', 'event_frames'],
    ['n1', n.block, { ...n.params, ...(mergeRows ? { mergeRows: true } : {}) }],
  ]);
}

/** Inputs [T·B, M] (the engine's row order) whose every charge stays MARGIN from the threshold. */
function inputs(n: Neuron, batch: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const rows = T * batch;
  const x = new Float64Array(rows * M);
  const redraw = (m: number) => {
    for (let r = 0; r < rows; r++) x[r * M + m] = Math.round((n.range[0] + rng.uniform() * (n.range[1] - n.range[0])) * GRID) / GRID;
  };
  for (let m = 0; m < M; m++) redraw(m);
  for (let round = 0; round < 200; round++) {
    const { h } = walkRows(n, x, rows);
    const near = new Set<number>();
    h.forEach((v, k) => Math.abs(v - n.threshold) <= MARGIN && near.add(k % M));
    if (near.size === 0) return x;
    for (const m of near) redraw(m);
  }
  throw new Error('could not draw inputs that keep every charge 1e-3 from the threshold');
}

describe('a neuron walking the merged T·B rows (mergeRows)', () => {
  it.each(NEURONS.map((n) => [n.block, n] as const))('%s: the membrane carries across samples, as the hand recursion over T·B rows', async (_name, n) => {
    const B = 3;
    const x = inputs(n, B, 11);
    const ref = walkRows(n, x, T * B);
    const compiled = compileInference(doc(n, true), { batch: B });
    expect(compiled.inputShape).toEqual([T * B, M]);
    const run = await runProbed(compiled, Float32Array.from(x), n.threshold);
    expectExact(run.s, ref.s, 'spikes');
    expectClose(run.h, ref.h, 1e-5, 1, 'charge H');
    const rate = ref.s.reduce((a, v) => a + v, 0) / ref.s.length;
    expect(rate).toBeGreaterThan(0.05);
    expect(rate).toBeLessThan(0.95);

    // the per-sample walk on the same input is another function: the switch changes the spikes
    const perSample = await runProbed(compileInference(doc(n, false), { batch: B }), Float32Array.from(x), n.threshold);
    const logitsDiffer = perSample.logits.some((v, k) => v !== run.logits[k]);
    expect(logitsDiffer).toBe(true);
  });

  it.each(NEURONS.map((n) => [n.block, n] as const))('%s: at batch 1 the merged walk is the per-sample walk', async (_name, n) => {
    const x = Float32Array.from(inputs(n, 1, 12));
    const merged = await runProbed(compileInference(doc(n, true), { batch: 1 }), x, n.threshold);
    const perSample = await runProbed(compileInference(doc(n, false), { batch: 1 }), x, n.threshold);
    expectExact(merged.s, perSample.s, 'spikes');
    expectExact(merged.logits, perSample.logits, 'mean over T');
    expect(merged.s.some((v) => v > 0)).toBe(true);
  });
});
