// The spiking rows against PyTorch autograd (test/reference/torch_ref.py, float64): forward spikes
// equal, BPTT input gradients (and PLIF's w, PSN's W and b) within 1e-4 relative. Inputs are kept
// away from the threshold: every neuron (column) whose charge comes within 0.02 of the threshold at
// any step is redrawn until none does, so float32 and float64 fire identically.
import { afterAll, describe, expect, it } from 'vitest';
import type { NeuronAttrs, SurrogateSpec } from '../../engine/core/ir/primitives/spiking.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type TorchRefRequest } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { expectClose } from './helpers/compare.js';
import { openGraph, random, uniform, withGradients, type InputSpec } from './helpers/ir-session.js';

const T = 5;
const M = 48;
const MARGIN = 0.02;

const SURROGATES: SurrogateSpec[] = [
  { name: 'sigmoid', alpha: 4 },
  { name: 'atan', alpha: 2 },
  { name: 'piecewise_quadratic', alpha: 1 },
  { name: 'rectangle', alpha: 1 },
  { name: 'piecewise_leaky_relu', w: 1, c: 0.01 },
  { name: 'dspike', b: 3, c: 0.3 },
];

interface NeuronCase {
  readonly name: string;
  readonly attrs: NeuronAttrs;
  readonly torch: { op: 'lif' | 'if' | 'plif' | 'spikedhs_neuron' | 'alif' | 'qif' | 'eif'; params: Record<string, unknown> };
  readonly w?: number;
}

function lifCase(name: string, o: Partial<NeuronAttrs> = {}, charge: 'lif' | 'if' | 'plif' = 'lif', w?: number): NeuronCase {
  const attrs: NeuronAttrs = { charge, tau: 2, decayInput: true, vReset: 0, threshold: 1, strict: false, postResetDecay: 1, detachReset: true, surrogate: { name: 'sigmoid', alpha: 4 }, ...o };
  const params: Record<string, unknown> = {
    v_threshold: attrs.threshold,
    v_reset: attrs.vReset,
    detach_reset: attrs.detachReset,
    surrogate: attrs.surrogate,
    ...(charge === 'if' ? {} : { decay_input: attrs.decayInput }),
    ...(charge === 'lif' ? { tau: attrs.tau } : {}),
  };
  return { name, attrs, torch: { op: charge, params }, ...(w === undefined ? {} : { w }) };
}

/** A row of the neuron table beyond IF/LIF/PLIF: its attrs over the LIF defaults, and the reference's params. */
function rowCase(name: string, charge: string, o: Partial<NeuronAttrs>, params: Record<string, unknown>): NeuronCase {
  const attrs: NeuronAttrs = { charge, tau: 2, decayInput: true, vReset: 0, threshold: 1, strict: false, postResetDecay: 1, detachReset: true, surrogate: { name: 'sigmoid', alpha: 4 }, ...o };
  const node = { v_threshold: attrs.threshold, v_reset: attrs.vReset, detach_reset: attrs.detachReset, surrogate: attrs.surrogate };
  return { name, attrs, torch: { op: charge as NeuronCase['torch']['op'], params: { ...node, ...params } } };
}

const CASES: NeuronCase[] = [
  ...SURROGATES.map((s) => lifCase(`LIF, ${s.name} surrogate`, { surrogate: s })),
  lifCase('LIF, hard reset not detached', { detachReset: false }),
  lifCase('LIF, soft reset detached', { vReset: null }),
  lifCase('LIF, soft reset not detached, atan', { vReset: null, detachReset: false, surrogate: { name: 'atan', alpha: 2 } }),
  lifCase('LIF, v_reset −0.3 not detached, decay_input false, tau 3', { vReset: -0.3, detachReset: false, decayInput: false, tau: 3 }),
  lifCase('LIF, threshold 0.5 (attention neurons)', { threshold: 0.5 }),
  lifCase('IF, hard reset', {}, 'if'),
  lifCase('IF, soft reset not detached, piecewise quadratic', { vReset: null, detachReset: false, surrogate: { name: 'piecewise_quadratic', alpha: 1 } }, 'if'),
  lifCase('PLIF, w 0.4', {}, 'plif', 0.4),
  lifCase('PLIF, w −0.7, not detached, decay_input false', { detachReset: false, decayInput: false }, 'plif', -0.7),
  lifCase('PLIF, soft reset, v_reset null, rectangle', { vReset: null, surrogate: { name: 'rectangle', alpha: 1 } }, 'plif', 0.2),
  lifCase('PLIF, v_reset 0.2 not detached', { vReset: 0.2, detachReset: false }, 'plif', 0.1),
  {
    name: 'SpikeDHS neuron (strict, decay 0.2, reset not detached, Dspike)',
    attrs: { charge: 'dhs', tau: 1, decayInput: false, vReset: 0, threshold: 0.3, strict: true, postResetDecay: 0.2, detachReset: false, surrogate: { name: 'dspike', b: 3, c: 0.3 } },
    torch: { op: 'spikedhs_neuron', params: { v_threshold: 0.3, decay: 0.2, b: 3, c: 0.3 } },
  },
  // ALIF: the threshold's second state, through every reset form
  rowCase('ALIF β 0.3, τ_a 4, detached hard reset', 'alif', { constants: { beta: 0.3, tauAdapt: 4 } }, { tau: 2, decay_input: true, beta: 0.3, tau_adapt: 4 }),
  rowCase('ALIF soft reset not detached, atan', 'alif', { vReset: null, detachReset: false, surrogate: { name: 'atan', alpha: 2 }, constants: { beta: 0.5, tauAdapt: 3 } }, { tau: 2, decay_input: true, beta: 0.5, tau_adapt: 3 }),
  rowCase('ALIF v_reset −0.2 not detached, decay_input false, τ 3', 'alif', { vReset: -0.2, detachReset: false, decayInput: false, tau: 3, constants: { beta: 0.4, tauAdapt: 5 } }, { tau: 3, decay_input: false, beta: 0.4, tau_adapt: 5 }),
  rowCase('ALIF soft reset detached, threshold 0.5', 'alif', { vReset: null, threshold: 0.5, constants: { beta: 0.2, tauAdapt: 2 } }, { tau: 2, decay_input: true, beta: 0.2, tau_adapt: 2 }),
  // QIF: a quadratic (non-affine) charge
  rowCase('QIF defaults (V_c 0.8, a0 1, V_reset −0.1)', 'qif', { vReset: -0.1, constants: { vRest: 0, vCritical: 0.8, a0: 1 } }, { tau: 2, v_rest: 0, v_c: 0.8, a0: 1 }),
  rowCase('QIF soft reset not detached, a0 0.5, V_rest −0.2, τ 3', 'qif', { tau: 3, vReset: null, detachReset: false, constants: { vRest: -0.2, vCritical: 0.6, a0: 0.5 } }, { tau: 3, v_rest: -0.2, v_c: 0.6, a0: 0.5 }),
  rowCase('QIF hard reset 0 not detached, piecewise quadratic', 'qif', { detachReset: false, surrogate: { name: 'piecewise_quadratic', alpha: 1 }, constants: { vRest: 0, vCritical: 0.8, a0: 1.5 } }, { tau: 2, v_rest: 0, v_c: 0.8, a0: 1.5 }),
  // EIF: an exponential (non-affine) charge
  rowCase('EIF defaults (Δ_T 1, θ_rh 0.8, V_reset −0.1)', 'eif', { vReset: -0.1, constants: { vRest: 0, deltaT: 1, thetaRh: 0.8 } }, { tau: 2, v_rest: 0, delta_t: 1, theta_rh: 0.8 }),
  rowCase('EIF soft reset not detached, Δ_T 0.5, θ_rh 0.6, τ 3, atan', 'eif', { tau: 3, vReset: null, detachReset: false, surrogate: { name: 'atan', alpha: 2 }, constants: { vRest: -0.1, deltaT: 0.5, thetaRh: 0.6 } }, { tau: 3, v_rest: -0.1, delta_t: 0.5, theta_rh: 0.6 }),
];

/** Redraws every column whose charge comes within MARGIN of the threshold, until none does. */
async function awayFromThreshold(c: NeuronCase, seed: number): Promise<Float64Array> {
  const rnd = random(seed);
  const x = Float64Array.from({ length: T * M }, () => -0.5 + 2.5 * rnd());
  for (let round = 0; round < 50; round++) {
    const res = await runTorchRef(request(c, x));
    const h = fromWire(res.outputs.h!).data;
    // an adaptive threshold comes back per step
    const th = res.outputs.threshold ? fromWire(res.outputs.threshold).data : undefined;
    const bad = new Set<number>();
    for (let t = 0; t < T; t++) for (let m = 0; m < M; m++) if (Math.abs(h[t * M + m]! - (th?.[t * M + m] ?? c.attrs.threshold)) < MARGIN) bad.add(m);
    if (bad.size === 0) return x;
    for (const m of bad) for (let t = 0; t < T; t++) x[t * M + m] = -0.5 + 2.5 * rnd();
  }
  throw new Error('could not keep the inputs away from the threshold');
}

function request(c: NeuronCase, x: Float64Array, grad?: Float64Array): TorchRefRequest {
  return {
    op: c.torch.op,
    dtype: 'float64',
    params: c.torch.params as never,
    inputs: { x: toWire(x, [T, M]) },
    ...(c.w === undefined ? {} : { weights: { w: toWire(Float64Array.of(c.w), [1]) } }),
    ...(grad ? { grad: { spikes: toWire(grad, [T, M]) } } : {}),
  };
}

describe.skipIf(skipping('torch-spiking: spiking rows vs PyTorch autograd', torchSkipReason))('spiking rows vs PyTorch autograd', () => {
  afterAll(() => stopTorchRef());

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_n, c, i) => {
    const x = await awayFromThreshold(c, 100 + i);
    const cot = Float64Array.from(uniform(T * M, random(7 + i)));
    const ref = await runTorchRef(request(c, x, cot));
    const inputs: InputSpec[] = [{ shape: [T, M] }, ...(c.w === undefined ? [] : [{ shape: [1] }])];
    const { graph } = withGradients(inputs, (b, xs) => b.op1('neuron', xs, c.attrs as unknown as Record<string, unknown>));
    const runner = await openGraph(graph);
    const out = await runner.run({ x0: Float32Array.from(x), r: Float32Array.from(cot), ...(c.w === undefined ? {} : { x1: Float32Array.of(c.w) }) });
    await runner.close();
    expect(Array.from(out.y!)).toEqual(Array.from(fromWire(ref.outputs.spikes!).data));
    expectClose(out.g0!, fromWire(ref.grads!.inputs.x!).data, 'dL/dx');
    if (c.w !== undefined) expectClose(out.g1!, fromWire(ref.grads!.weights.w!).data, 'dL/dw');
  });

  it('a neuron charged from one repeated step equals it on the T-times expanded input, gradient summed over T', async () => {
    const c = CASES[0]!;
    const rnd = random(5);
    const one = uniform(M, rnd, -0.5, 2);
    const cot = uniform(T * M, rnd);
    const attrs = c.attrs as unknown as Record<string, unknown>;
    const full = withGradients([{ shape: [1, M] }], (b, [x]) => b.op1('neuron', [b.op1('expand', [x!], { shape: [T, M] })], attrs));
    const hoisted = withGradients([{ shape: [1, M] }], (b, [x]) => b.op1('neuron', [x!], { ...attrs, steps: T }));
    const [ra, rb] = [await openGraph(full.graph), await openGraph(hoisted.graph)];
    const [a, b] = [await ra.run({ x0: one, r: cot }), await rb.run({ x0: one, r: cot })];
    await Promise.all([ra.close(), rb.close()]);
    expect(Array.from(b.y!)).toEqual(Array.from(a.y!));
    expectClose(b.g0!, a.g0!, 'summed dL/dx', 1e-5);
  });

  it.each(SURROGATES.map((s) => [s.name, s] as const))('Heaviside with the %s surrogate (threshold 0.25)', async (_n, s) => {
    const rnd = random(11);
    const x = Float64Array.from({ length: 64 }, () => {
      let v = 0;
      do v = -1.5 + 3 * rnd();
      while (Math.abs(v - 0.25) < MARGIN);
      return v;
    });
    const g = Float64Array.from(uniform(64, rnd));
    const ref = await runTorchRef({ op: 'surrogate', dtype: 'float64', params: { surrogate: s }, inputs: { x: toWire(x.map((v) => v - 0.25), [64]) }, grad: { y: toWire(g, [64]) } });
    const { graph } = withGradients([{ shape: [64] }], (b, [v]) => b.op1('heaviside', [v!], { threshold: 0.25, strict: false, surrogate: s }));
    const runner = await openGraph(graph);
    const out = await runner.run({ x0: Float32Array.from(x), r: Float32Array.from(g) });
    await runner.close();
    expect(Array.from(out.y!)).toEqual(Array.from(fromWire(ref.outputs.y!).data));
    expectClose(out.g0!, fromWire(ref.grads!.inputs.x!).data, 'dL/dx');
  });

  it('PSN block math: H = W·X + b, Θ(H) with the atan surrogate — dX, dW, db', async () => {
    const rnd = random(21);
    const w = Float64Array.from(uniform(T * T, rnd, -1 / Math.sqrt(T), 1 / Math.sqrt(T)));
    const bias = Float64Array.from({ length: T }, () => -1);
    const x = Float64Array.from({ length: T * M }, () => -1 + 4 * rnd());
    // redraw columns whose charge comes near 0
    for (let round = 0; ; round++) {
      const h = fromWire((await runTorchRef(psnRequest(x, w, bias))).outputs.h!).data;
      const bad = new Set<number>();
      for (let i = 0; i < h.length; i++) if (Math.abs(h[i]!) < MARGIN) bad.add(i % M);
      if (bad.size === 0) break;
      if (round > 50) throw new Error('PSN inputs: no luck');
      for (const m of bad) for (let t = 0; t < T; t++) x[t * M + m] = -1 + 4 * rnd();
    }
    const cot = Float64Array.from(uniform(T * M, rnd));
    const ref = await runTorchRef({ ...psnRequest(x, w, bias), grad: { spikes: toWire(cot, [T, M]) } });
    const { graph } = withGradients([{ shape: [T, M] }, { shape: [T, T] }, { shape: [T, 1] }], (b, [xv, wv, bv]) =>
      b.op1('heaviside', [b.op1('add', [b.op1('matmul', [wv!, xv!]), bv!])], { threshold: 0, strict: false, surrogate: { name: 'atan', alpha: 2 } }),
    );
    const runner = await openGraph(graph);
    const out = await runner.run({ x0: Float32Array.from(x), x1: Float32Array.from(w), x2: Float32Array.from(bias), r: Float32Array.from(cot) });
    await runner.close();
    expect(Array.from(out.y!)).toEqual(Array.from(fromWire(ref.outputs.spikes!).data));
    expectClose(out.g0!, fromWire(ref.grads!.inputs.x!).data, 'dL/dX');
    expectClose(out.g1!, fromWire(ref.grads!.weights.W!).data, 'dL/dW');
    expectClose(out.g2!, fromWire(ref.grads!.weights.b!).data, 'dL/db');
  });
});

function psnRequest(x: Float64Array, w: Float64Array, b: Float64Array): TorchRefRequest {
  return { op: 'psn', dtype: 'float64', params: { surrogate: { name: 'atan', alpha: 2 } }, inputs: { x: toWire(x, [T, M]) }, weights: { W: toWire(w, [T, T]), b: toWire(b, [T, 1]) } };
}


