/**
 * The attention cores (blocks/attention.ts) and the neurons around them, lowered as the compiler
 * lowers them and run on ONNX Runtime, against the independent PyTorch reference
 * (test/reference/torch_ref.py ops ssa, sdsa, qkta, qkca, written from the spec; sdsa's erode
 * variant from the released CIFAR10-DVS code's MaxPool3d on its own tensor layouts).
 *
 * Inputs are binary spikes [T,B,N,D], so every product and sum is an integer and, with the papers'
 * power-of-two scales, every value (and every LIF charge with τ = 2) is exact in float32: core
 * outputs must agree to 1e-5 relative and spikes exactly. A non-power-of-two scale is checked on
 * the product only (a charge could then round to either side of the threshold).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../engine/core/rng.js';
import type { TensorType } from '../../engine/core/tensor.js';
import { lowerBlock, runLowering, type FedTensor } from '../helpers/run-blocks.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type TorchRefOp } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { expectClose, expectExact, meanAbs } from './helpers/compare.js';

const T = 3;
const B = 2;
const N = 12;
const D = 16;

function spikes(rng: Rng, density: number, shape: readonly number[] = [N, D]): FedTensor {
  const n = T * B * shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.uniform() < density ? 1 : 0;
  return { type: { shape, timed: true, kind: 'spikes' }, data };
}

async function reference(op: TorchRefOp, params: Record<string, unknown>, inputs: Record<string, FedTensor>): Promise<Record<string, Float64Array>> {
  const wire = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, toWire(t.data, [T, B, ...t.type.shape])]));
  const res = await runTorchRef({ op, params: params as never, inputs: wire, dtype: 'float32' });
  return Object.fromEntries(Object.entries(res.outputs).map(([k, w]) => [k, fromWire(w).data]));
}

/** Not all zeros, not all ones: a mask that never (or always) fires would make "exact" meaningless. */
function expectSomeSpikes(s: ArrayLike<number>, what: string): void {
  let ones = 0;
  for (let i = 0; i < s.length; i++) ones += s[i]!;
  expect(ones, `${what}: some spikes`).toBeGreaterThan(0);
  expect(ones, `${what}: some silence`).toBeLessThan(s.length);
}

describe.skipIf(skipping('attention.numerics: attention cores vs the PyTorch reference', torchSkipReason))('attention cores vs the PyTorch reference', () => {
  afterAll(() => stopTorchRef());

  for (const order of ['qk_v', 'q_kv'] as const) {
    for (const heads of [1, 4]) {
      it(`ssa_core ${order}, ${heads} head(s), then the attention LIF (V_th 0.5)`, async () => {
        const rng = Rng.fromSeed(11 + heads);
        const ins = { q: spikes(rng, 0.3), k: spikes(rng, 0.3), v: spikes(rng, 0.3) };
        const got = await runLowering(T, B, ins, (ctx, x) => {
          const core = lowerBlock(ctx, 'ssa_core', { heads, order, scale: 0.125 }, x).out!;
          return { pre: core, spikes: lowerBlock(ctx, 'lif', { threshold: 0.5 }, { in: core }).out! };
        });
        const ref = await reference('ssa', { heads, order, scale: 0.125 }, ins);
        expectClose(got.pre!, ref.pre!, 1e-5, meanAbs(ref.pre!), 'pre');
        expectExact(got.spikes!, ref.spikes!, 'attention spikes');
        expectSomeSpikes(got.spikes!, 'attention spikes');
      });
    }
  }

  it('ssa_core with a non-power-of-two scale (product only)', async () => {
    const rng = Rng.fromSeed(5);
    const ins = { q: spikes(rng, 0.4), k: spikes(rng, 0.4), v: spikes(rng, 0.4) };
    const got = await runLowering(T, B, ins, (ctx, x) => ({ pre: lowerBlock(ctx, 'ssa_core', { heads: 2, order: 'q_kv', scale: 0.1 }, x).out! }));
    const ref = await reference('ssa', { heads: 2, order: 'q_kv', scale: 0.1 }, ins);
    expectClose(got.pre!, ref.pre!, 1e-5, meanAbs(ref.pre!), 'pre');
  });

  for (const form of ['code', 'paper'] as const) {
    it(`sdsa_core (${form} form) → LIF 0.5 → mask_mul`, async () => {
      const rng = Rng.fromSeed(form === 'code' ? 21 : 22);
      const ins = { q: spikes(rng, 0.3), k: spikes(rng, 0.3), v: spikes(rng, 0.3) };
      const got = await runLowering(T, B, ins, (ctx, x) => {
        const core = lowerBlock(ctx, 'sdsa_core', { heads: 4, form }, form === 'code' ? { k: x.k!, v: x.v! } : { q: x.q!, k: x.k! }).out!;
        const mask = lowerBlock(ctx, 'lif', { threshold: 0.5 }, { in: core }).out!;
        return { pre: core, mask, out: lowerBlock(ctx, 'mask_mul', {}, { mask, in: form === 'code' ? x.q! : x.v! }).out! };
      });
      const ref = await reference('sdsa', { heads: 4, form }, ins);
      expectClose(got.pre!, ref.pre!, 1e-5, 1, 'column sums');
      expectExact(got.mask!, ref.mask!, 'mask');
      expectExact(got.out!, ref.out!, 'out');
      expectSomeSpikes(got.mask!, 'mask');
    });
  }

  it('sdsa with erode (CIFAR10-DVS): erode K and V over the map, sdsa_core erode, LIF 0.5, mask_mul, erode over heads', async () => {
    // a 4×4 token map; sparse K and V, since every 3×3 max-pool spreads the spikes
    const rng = Rng.fromSeed(24);
    const shape = [16, D];
    const ins = { q: spikes(rng, 0.3, shape), k: spikes(rng, 0.04, shape), v: spikes(rng, 0.04, shape) };
    const got = await runLowering(T, B, ins, (ctx, x) => {
      const k = lowerBlock(ctx, 'erode', { over: 'map' }, { in: x.k! }).out!;
      const v = lowerBlock(ctx, 'erode', { over: 'map' }, { in: x.v! }).out!;
      const core = lowerBlock(ctx, 'sdsa_core', { heads: 4, erode: true }, { k, v }).out!;
      const mask = lowerBlock(ctx, 'lif', { threshold: 0.5 }, { in: core }).out!;
      const masked = lowerBlock(ctx, 'mask_mul', {}, { mask, in: x.q! }).out!;
      return { pre: core, mask, out: lowerBlock(ctx, 'erode', { over: 'heads', heads: 4 }, { in: masked }).out! };
    });
    const ref = await reference('sdsa', { heads: 4, erode: true }, ins);
    expectClose(got.pre!, ref.pre!, 1e-5, 1, 'column sums');
    expectExact(got.mask!, ref.mask!, 'mask');
    expectExact(got.out!, ref.out!, 'out');
    expectSomeSpikes(got.mask!, 'mask');
    expectSomeSpikes(got.out!, 'out');
  });

  it('erode over a map that is not square takes its width', async () => {
    const rng = Rng.fromSeed(25);
    const ins = { q: spikes(rng, 0.3), k: spikes(rng, 0.05), v: spikes(rng, 0.05) };
    const got = await runLowering(T, B, ins, (ctx, x) => {
      const k = lowerBlock(ctx, 'erode', { over: 'map', width: 4 }, { in: x.k! }).out!;
      const v = lowerBlock(ctx, 'erode', { over: 'map', width: 4 }, { in: x.v! }).out!;
      const mask = lowerBlock(ctx, 'lif', { threshold: 0.5 }, { in: lowerBlock(ctx, 'sdsa_core', { heads: 4, erode: true }, { k, v }).out! }).out!;
      return { out: lowerBlock(ctx, 'erode', { over: 'heads', heads: 4 }, { in: lowerBlock(ctx, 'mask_mul', {}, { mask, in: x.q! }).out! }).out! };
    });
    const ref = await reference('sdsa', { heads: 4, erode: true, grid: [3, 4] }, ins);
    expectExact(got.out!, ref.out!, 'out');
    expectSomeSpikes(got.out!, 'out');
  });

  for (const [op, core] of [['qkta', 'qkta_core'], ['qkca', 'qkca_core']] as const) {
    it(`${core} → LIF 0.5 → mask_mul gating K`, async () => {
      const rng = Rng.fromSeed(op === 'qkta' ? 31 : 32);
      // QKCA sums over all N tokens: a sparser Q keeps its mask from saturating
      const ins = { q: spikes(rng, op === 'qkta' ? 0.15 : 0.03), k: spikes(rng, 0.4) };
      const got = await runLowering(T, B, ins, (ctx, x) => {
        const sums = lowerBlock(ctx, core, { heads: 4 }, { q: x.q! }).out!;
        const mask = lowerBlock(ctx, 'lif', { threshold: 0.5 }, { in: sums }).out!;
        return { pre: sums, mask, out: lowerBlock(ctx, 'mask_mul', {}, { mask, in: x.k! }).out! };
      });
      const ref = await reference(op, { heads: 4 }, ins);
      expectClose(got.pre!, ref.pre!, 1e-5, 1, 'sums');
      expectExact(got.mask!, ref.mask!, 'mask');
      expectExact(got.out!, ref.out!, 'out');
      expectSomeSpikes(got.mask!, 'mask');
    });
  }
});

describe('mask_mul broadcasting', () => {
  it('a [N,G] mask covers G consecutive channel groups of every token', async () => {
    const rng = Rng.fromSeed(41);
    const x = spikes(rng, 0.6);
    const mask = spikes(rng, 0.5, [N, 4]);
    let outType: TensorType | undefined;
    const got = await runLowering(T, B, { x, mask }, (ctx, i) => {
      const out = lowerBlock(ctx, 'mask_mul', {}, { mask: i.mask!, in: i.x! }).out!;
      outType = out.type;
      return { out };
    });
    const want = new Float32Array(x.data.length);
    for (let r = 0; r < T * B * N; r++) for (let c = 0; c < D; c++) want[r * D + c] = x.data[r * D + c]! * mask.data[r * 4 + Math.floor(c / (D / 4))]!;
    expectExact(got.out!, want, 'masked');
    expectSomeSpikes(got.out!, 'masked');
    // the lowering's type is the token set it gates, and spikes gated by spikes stay spikes
    expect(outType).toEqual({ shape: [N, D], timed: true, kind: 'spikes' });
  });
});
