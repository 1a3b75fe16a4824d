// The rows of the neuron table that take the general emission (a non-affine drive g(V) or an
// adaptive threshold), checked against finite differences on ONNX Runtime, and the table's rows as
// catalogue blocks. (Their forward and gradients against PyTorch: torch-spiking.test.ts and
// test/core/neurons.numerics.test.ts.)
//
// Finite differences of a spiking neuron: Θ is flat, so the surrogate gradient is no derivative of
// the spikes. It is one of a smooth function, though. With the sigmoid surrogate g' = d/du σ(α·u)
// and a detached reset, the engine's dL/dx for cotangent r is exactly the gradient of
//   F(x) = Σ_t Σ_m r[t,m]·σ(α·(H[t,m](x) − θ[t,m]))
// where the spikes are held fixed (they fix the resets and the adaptive threshold θ). Inputs are
// drawn so that no charge comes within MARGIN of its threshold, so the spikes do not flip between
// x − ε·d and x + ε·d (asserted), and F's central differences along random directions d must
// match Σ dL/dx·d. H comes from the training form's saved charges.
import { describe, expect, it } from 'vitest';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import { NEURON_TABLE } from '../../engine/core/neurons/table.js';
import type { NeuronAttrs } from '../../engine/core/neurons/types.js';
import { expectClose } from './helpers/compare.js';
import { openGraph, random, uniform, withGradients } from './helpers/ir-session.js';

const T = 5;
const M = 32;
const ALPHA = 4;
const MARGIN = 0.05;
const EPS = 1e-2;

const base: NeuronAttrs = {
  charge: 'lif',
  tau: 2,
  decayInput: true,
  vReset: 0,
  threshold: 1,
  strict: false,
  postResetDecay: 1,
  detachReset: true,
  surrogate: { name: 'sigmoid', alpha: ALPHA },
};

interface FdCase {
  readonly name: string;
  readonly attrs: NeuronAttrs;
  readonly range: readonly [number, number];
}

const FD_CASES: FdCase[] = [
  { name: 'ALIF β 0.3, τ_a 4, hard reset', attrs: { ...base, charge: 'alif', constants: { beta: 0.3, tauAdapt: 4 } }, range: [-0.5, 2.5] },
  { name: 'ALIF β 0.5, τ_a 3, soft reset, decay_input off', attrs: { ...base, charge: 'alif', vReset: null, decayInput: false, constants: { beta: 0.5, tauAdapt: 3 } }, range: [-0.4, 1.2] },
  { name: 'QIF defaults, hard reset to −0.1', attrs: { ...base, charge: 'qif', vReset: -0.1, constants: { vRest: 0, vCritical: 0.8, a0: 1 } }, range: [-0.5, 2.5] },
  { name: 'QIF soft reset, a0 0.5, V_rest −0.2, τ 3', attrs: { ...base, charge: 'qif', tau: 3, vReset: null, constants: { vRest: -0.2, vCritical: 0.6, a0: 0.5 } }, range: [-0.5, 2.5] },
  { name: 'EIF defaults, hard reset to −0.1', attrs: { ...base, charge: 'eif', vReset: -0.1, constants: { vRest: 0, deltaT: 1, thetaRh: 0.8 } }, range: [-0.5, 2.5] },
  { name: 'EIF soft reset, Δ_T 0.5, θ_rh 0.6, τ 3', attrs: { ...base, charge: 'eif', tau: 3, vReset: null, constants: { vRest: -0.1, deltaT: 0.5, thetaRh: 0.6 } }, range: [-0.5, 2.5] },
];

/** The adaptive threshold θ[t] = V_th + A[t] from the spikes (A[0] = 0, A ← ρA + βS); V_th without adaptation. */
function thresholds(a: NeuronAttrs, spikes: Float32Array): Float64Array {
  const th = new Float64Array(T * M).fill(a.threshold);
  const beta = a.constants?.beta;
  const tauAdapt = a.constants?.tauAdapt;
  if (a.charge !== 'alif' || beta === undefined || tauAdapt === undefined) return th;
  for (let m = 0; m < M; m++) {
    let rise = 0;
    for (let t = 0; t < T; t++) {
      th[t * M + m] = a.threshold + rise;
      rise = (1 - 1 / tauAdapt) * rise + beta * spikes[t * M + m]!;
    }
  }
  return th;
}

/** The forward in its training form: spikes and every step's saved charge H[t]. */
async function openForward(a: NeuronAttrs) {
  const b = new IrBuilder();
  const x = b.input('x', [T, M]);
  const outs = b.op('neuron', [x], { ...a, save: true } as unknown as Record<string, unknown>);
  b.output('s', outs[0]!);
  for (let t = 0; t < T; t++) b.output(`h${t}`, outs[1 + t]!);
  const runner = await openGraph(b.build());
  return {
    async run(xv: Float32Array) {
      const o = await runner.run({ x: xv });
      const h = new Float32Array(T * M);
      for (let t = 0; t < T; t++) h.set(o[`h${t}`]!, t * M);
      return { s: o.s!, h, th: thresholds(a, o.s!) };
    },
    close: () => runner.close(),
  };
}

const sigmoid = (u: number) => 1 / (1 + Math.exp(-u));

describe('neuron table rows with the general emission', () => {
  it.each(FD_CASES.map((c, i) => [c.name, c, i] as const))('%s: dL/dx equals finite differences of the smoothed loss', async (_n, c, i) => {
    const rnd = random(300 + i);
    const fwd = await openForward(c.attrs);
    const draw = () => c.range[0] + (c.range[1] - c.range[0]) * rnd();
    const x = Float32Array.from({ length: T * M }, draw);
    // redraw every column whose charge comes near its threshold
    for (let round = 0; ; round++) {
      const { h, th } = await fwd.run(x);
      const near = new Set<number>();
      for (let k = 0; k < T * M; k++) if (Math.abs(h[k]! - th[k]!) < MARGIN) near.add(k % M);
      if (near.size === 0) break;
      if (round > 60) throw new Error('could not keep the charges away from the threshold');
      for (const m of near) for (let t = 0; t < T; t++) x[t * M + m] = draw();
    }
    const r = uniform(T * M, rnd);
    const at = await fwd.run(x);
    const rate = at.s.reduce((n, v) => n + v, 0) / at.s.length;
    expect(rate).toBeGreaterThan(0.05);
    expect(rate).toBeLessThan(0.95);

    const { graph } = withGradients([{ shape: [T, M] }], (b, xs) => b.op1('neuron', xs, c.attrs as unknown as Record<string, unknown>));
    const runner = await openGraph(graph);
    const out = await runner.run({ x0: x, r });
    await runner.close();
    expect(Array.from(out.y!)).toEqual(Array.from(at.s));
    const g = out.g0!;

    const smoothed = async (xv: Float32Array): Promise<number> => {
      const { s, h, th } = await fwd.run(xv);
      expect(Array.from(s), 'no spike flips within ε').toEqual(Array.from(at.s));
      let f = 0;
      for (let k = 0; k < T * M; k++) f += r[k]! * sigmoid(ALPHA * (h[k]! - th[k]!));
      return f;
    };
    const fd: number[] = [];
    const analytic: number[] = [];
    for (let dir = 0; dir < 4; dir++) {
      const d = uniform(T * M, rnd);
      const shifted = (sign: number) => Float32Array.from(x, (v, k) => v + sign * EPS * d[k]!);
      fd.push(((await smoothed(shifted(1))) - (await smoothed(shifted(-1)))) / (2 * EPS));
      analytic.push(g.reduce((acc, v, k) => acc + v * d[k]!, 0));
    }
    await fwd.close();
    // float32 charges and ε = 1e-2 leave about 1e-4 relative; a gradient 1 % off fails
    expectClose(analytic, fd, 'Σ dL/dx·d vs central differences', 2e-3, 2e-4);
  });

  // the general emission's reset, strictness and post-reset decay, against the affine emission's
  it.each([
    ['soft reset not detached, atan', { vReset: null, detachReset: false, surrogate: { name: 'atan', alpha: 2 } }],
    ['V_reset −0.3 not detached, strict, post-reset decay 0.5', { vReset: -0.3, detachReset: false, strict: true, postResetDecay: 0.5 }],
    ['hard reset detached, decay_input off, τ 3', { decayInput: false, tau: 3 }],
  ] as const)('ALIF with β = 0 is LIF (%s): the general emission against the affine one', async (_n, o) => {
    const rnd = random(9);
    const lif: NeuronAttrs = { ...base, ...o };
    const alif: NeuronAttrs = { ...lif, charge: 'alif', constants: { beta: 0, tauAdapt: 4 } };
    // the general form saves H itself (a decayed-keep LIF saves g'(H − θ) in its place)
    const lifFwd = await openForward(alif);
    const x = uniform(T * M, rnd, -0.5, 2.5);
    for (let round = 0; ; round++) {
      const { h } = await lifFwd.run(x);
      const near = new Set<number>();
      for (let k = 0; k < T * M; k++) if (Math.abs(h[k]! - lif.threshold) < 1e-3) near.add(k % M);
      if (near.size === 0) break;
      if (round > 60) throw new Error('could not keep the charges away from the threshold');
      for (const m of near) for (let t = 0; t < T; t++) x[t * M + m] = -0.5 + 3 * rnd();
    }
    await lifFwd.close();
    const r = uniform(T * M, rnd);
    const run = async (a: NeuronAttrs) => {
      const { graph } = withGradients([{ shape: [T, M] }], (b, xs) => b.op1('neuron', xs, a as unknown as Record<string, unknown>));
      const runner = await openGraph(graph);
      const out = await runner.run({ x0: x, r });
      await runner.close();
      return out;
    };
    const [a, b] = [await run(lif), await run(alif)];
    expect(Array.from(b.y!)).toEqual(Array.from(a.y!));
    expect(a.y!.some((v) => v === 1)).toBe(true);
    expectClose(b.g0!, a.g0!, 'dL/dx', 1e-5, 1e-6);
  });

  it('a general row charged from one repeated step equals it on the T-times expanded input', async () => {
    const attrs = FD_CASES[0]!.attrs as unknown as Record<string, unknown>;
    const rnd = random(5);
    const one = uniform(M, rnd, -0.5, 2);
    const cot = uniform(T * M, rnd);
    const full = withGradients([{ shape: [1, M] }], (b, [x]) => b.op1('neuron', [b.op1('expand', [x!], { shape: [T, M] })], attrs));
    const hoisted = withGradients([{ shape: [1, M] }], (b, [x]) => b.op1('neuron', [x!], { ...attrs, steps: T }));
    const [ra, rb] = [await openGraph(full.graph), await openGraph(hoisted.graph)];
    const [a, b] = [await ra.run({ x0: one, r: cot }), await rb.run({ x0: one, r: cot })];
    await Promise.all([ra.close(), rb.close()]);
    expect(Array.from(b.y!)).toEqual(Array.from(a.y!));
    expectClose(b.g0!, a.g0!, 'summed dL/dx', 1e-5);
  });
});

describe('the neuron table in the block catalogue', () => {
  it.each(NEURON_TABLE.map((row) => [row.block.id, row] as const))('%s is a neurons block whose defaults lower to its row', (id, row) => {
    const block = findBlock(id);
    expect(block?.kind).toBe('primitive');
    expect(block?.category).toBe('neurons');
    expect(row.block.attrs(row.block.params.parse({})).charge).toBe(row.id);
  });
});
