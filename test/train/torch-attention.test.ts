// Attention blocks as the catalogue builds them (composites lowered from a document, train mode)
// against PyTorch autograd (test/reference/torch_ref.py, float64): Spikformer's whole SSA branch
// (Q/K/V Linear→BN→LIF, QKᵀV·scale — 0.5 here, so that N = 6 tokens make the attention LIF fire —, attention LIF at 0.5, projection) with every weight gradient,
// and the SDSA and QKTA cores with their attention LIF and mask (SDSA also with the CIFAR10-DVS Erode). Inputs are kept away from the
// threshold: a seed is used only when every continuous LIF charge stays 1e-4 clear of it (the
// attention LIFs read exact multiples of 1/16, identical in float32 and float64).
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { updatedName } from '../../engine/core/train/names.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type WireArray } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { expectClose } from './helpers/compare.js';
import { documentWithGradients } from './helpers/documents.js';
import { openGraph, random, uniform, withGradients } from './helpers/ir-session.js';
import { lowerCtx, timed } from './helpers/blocks.js';
import type { IrTensor } from '../../engine/core/lower/context.js';
import { lowerBlock } from '../helpers/run-blocks.js';

const T = 2;
const B = 2;
const N = 6;
const D = 8;
const HEADS = 2;

/** One catalogue block lowered on IR values, as a composite's inside lowers it. */
function lower(ctx: ReturnType<typeof lowerCtx>, id: string, params: Record<string, unknown>, ins: Record<string, IrTensor>): IrTensor {
  return lowerBlock(ctx, id, params, ins).out!;
}

/** input [T·B, N, D] straight into one block (event input: already timed), its output the model output. */
function oneBlockDoc(block: string, params: Record<string, unknown>): GraphDocument {
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: block,
    timeSteps: T,
    input: { shape: [N, D], kind: 'events' },
    nodes: [
      { id: 'x', block: 'input' },
      { id: 'frames', block: 'event_frames' },
      { id: 'blk', block, params },
      { id: 'y', block: 'output' },
    ],
    edges: [
      { source: 'x', target: 'frames' },
      { source: 'frames', target: 'blk' },
      { source: 'blk', target: 'y' },
    ],
  };
}

/** LIF charges (τ 2, hard reset 0) of an input [T, M]; true when all stay `margin` clear of θ. */
function clearOfThreshold(x: Float64Array, threshold: number, margin: number): boolean {
  const m = x.length / T;
  for (let j = 0; j < m; j++) {
    let v = 0;
    for (let t = 0; t < T; t++) {
      const h = v + (x[t * m + j]! - v) / 2;
      if (Math.abs(h - threshold) < margin) return false;
      v = h >= threshold ? 0 : h;
    }
  }
  return true;
}

const w64 = (a: Float32Array, shape: number[]) => toWire(Float64Array.from(a), shape);
const d = (a: WireArray) => fromWire(a).data;

describe.skipIf(skipping('torch-attention: attention blocks vs PyTorch autograd', torchSkipReason))('attention blocks vs PyTorch autograd', () => {
  afterAll(() => stopTorchRef());

  it('SSA (Spikformer CIFAR form): spikes, dx and all 16 weight gradients, running statistics', async () => {
    const graph = documentWithGradients(oneBlockDoc('ssa', { dim: D, heads: HEADS, qkvBias: true, scale: 0.5 }), B);
    const runner = await openGraph(graph);
    for (let seed = 1; seed < 60; seed++) {
      const rnd = random(seed);
      const x = Float32Array.from({ length: T * B * N * D }, () => (rnd() < 0.4 ? 1 : 0));
      const weights: Record<string, Float32Array> = {};
      const feeds: Record<string, Float32Array> = { input: x };
      for (const b of ['q', 'k', 'v', 'proj']) {
        const values = { weight: uniform(D * D, rnd, -0.6, 0.6), bias: uniform(D, rnd, -0.2, 0.2), bnWeight: uniform(D, rnd, 0.8, 2), bnBias: uniform(D, rnd, 0, 0.8) };
        weights[`${b}.weight`] = feeds[`blk.${b}_linear.weight`] = values.weight;
        weights[`${b}.bias`] = feeds[`blk.${b}_linear.bias`] = values.bias;
        weights[`${b}_bn.weight`] = feeds[`blk.${b}_bn.weight`] = values.bnWeight;
        weights[`${b}_bn.bias`] = feeds[`blk.${b}_bn.bias`] = values.bnBias;
        feeds[`blk.${b}_bn.running_mean`] = new Float32Array(D);
        feeds[`blk.${b}_bn.running_var`] = new Float32Array(D).fill(1);
      }
      const cot = uniform(T * B * N * D, rnd);
      feeds.r = cot;
      const ref = await runTorchRef({
        op: 'ssa_block',
        dtype: 'float64',
        params: { heads: HEADS, scale: 0.5, order: 'qk_v' },
        inputs: { x: w64(x, [T, B, N, D]) },
        weights: Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, w64(v, k.endsWith('.weight') && !k.includes('_bn') ? [D, D] : [D])])),
        grad: { spikes: w64(cot, [T, B, N, D]) },
      });
      if (!['q', 'k', 'v', 'proj'].every((b) => clearOfThreshold(d(ref.outputs[`${b}_bn`]!), 1, 1e-4))) continue;
      // the attention LIF must fire somewhere, or the projection's gradients are all zero
      if (!d(ref.outputs.attn!).some((s) => s === 1)) continue;
      const ours = await runner.run(feeds);
      await runner.close();
      expect(Array.from(ours.y!)).toEqual(Array.from(d(ref.outputs.spikes!)));
      expectClose(ours['g:input']!, d(ref.grads!.inputs.x!), 'dx');
      for (const b of ['q', 'k', 'v', 'proj']) {
        expectClose(ours[`g:blk.${b}_linear.weight`]!, d(ref.grads!.weights[`${b}.weight`]!), `${b} linear dW`);
        // a bias right before BN cancels out: its gradient is 0 up to rounding in both
        const dW = d(ref.grads!.weights[`${b}.weight`]!);
        const biasScale = Math.max(...Array.from(dW, Math.abs));
        for (const [i, g] of ours[`g:blk.${b}_linear.bias`]!.entries()) expect(Math.abs(g - d(ref.grads!.weights[`${b}.bias`]!)[i]!), `${b} linear db`).toBeLessThan(1e-4 * biasScale + 1e-7);
        expectClose(ours[`g:blk.${b}_bn.weight`]!, d(ref.grads!.weights[`${b}_bn.weight`]!), `${b} BN dγ`);
        expectClose(ours[`g:blk.${b}_bn.bias`]!, d(ref.grads!.weights[`${b}_bn.bias`]!), `${b} BN dβ`);
        expectClose(ours[updatedName(`blk.${b}_bn.running_var`)]!, d(ref.outputs[`${b}_bn.running_var`]!), `${b} BN running var`);
      }
      return;
    }
    throw new Error('no seed kept the LIF charges away from the threshold');
  });

  it.each([
    ['SDSA core (code form): Q ⊙ LIF₀.₅(Σ_N K⊙V)', 'sdsa'],
    ['QKTA core: LIF₀.₅(per-head Σ of Q) ⊙ K', 'qkta'],
  ] as const)('%s — output, dq, dk, dv', async (_n, kind) => {
    const rnd = random(kind === 'sdsa' ? 3 : 4);
    const spikes = () => Float32Array.from({ length: T * B * N * D }, () => (rnd() < 0.5 ? 1 : 0));
    const [q, k, v] = [spikes(), spikes(), spikes()];
    const cot = uniform(T * B * N * D, rnd);
    const ref = await runTorchRef({
      op: kind,
      dtype: 'float64',
      params: { heads: HEADS },
      inputs: { q: w64(q, [T, B, N, D]), k: w64(k, [T, B, N, D]), ...(kind === 'sdsa' ? { v: w64(v, [T, B, N, D]) } : {}) },
      grad: { out: w64(cot, [T, B, N, D]) },
    });
    // our cores plus the attention LIF and the mask, wired as the composites wire them
    const n = kind === 'sdsa' ? 3 : 2;
    const { graph } = withGradients(Array.from({ length: n }, () => ({ shape: [T * B, N, D] })), (b, xs) => {
      const ctx = lowerCtx(b, T, B);
      const [qi, ki, vi] = xs.map((value) => ({ value, type: timed([N, D], 'spikes') }));
      const core = kind === 'sdsa' ? lower(ctx, 'sdsa_core', { heads: HEADS }, { k: ki!, v: vi! }) : lower(ctx, 'qkta_core', { heads: HEADS }, { q: qi! });
      const mask = lower(ctx, 'lif', { threshold: 0.5 }, { in: core });
      return lower(ctx, 'mask_mul', {}, { mask, in: kind === 'sdsa' ? qi! : ki! }).value;
    });
    const runner = await openGraph(graph);
    const ours = await runner.run({ x0: q, x1: k, ...(kind === 'sdsa' ? { x2: v } : {}), r: cot });
    await runner.close();
    expect(Array.from(ours.y!)).toEqual(Array.from(d(ref.outputs.out!)));
    expectClose(ours.g0!, d(ref.grads!.inputs.q!), 'dq');
    expectClose(ours.g1!, d(ref.grads!.inputs.k!), 'dk');
    if (kind === 'sdsa') expectClose(ours.g2!, d(ref.grads!.inputs.v!), 'dv');
  });
  it('SDSA with the CIFAR10-DVS Erode (3×3 max-pools, stride 1, on K, V, K⊙V and the output): output, dq, dk, dv', async () => {
    // N = 6 tokens as a 2×3 map; the gradients route through overlapping max-pool windows, ties to the first maximum as in PyTorch.
    // Sparse K and V: the pools spread spikes, and denser inputs saturate the mask LIF, whose tiny sigmoid-surrogate slopes
    // float32 resolves only to about 1e-3 relative (a 15 % density missed 1e-4 by that, in the largest dk)
    const rnd = random(5);
    const spikes = (p: number) => Float32Array.from({ length: T * B * N * D }, () => (rnd() < p ? 1 : 0));
    const [q, k, v] = [spikes(0.5), spikes(0.06), spikes(0.06)];
    const cot = uniform(T * B * N * D, rnd);
    const ref = await runTorchRef({
      op: 'sdsa',
      dtype: 'float64',
      params: { heads: HEADS, erode: true, grid: [2, 3] },
      inputs: { q: w64(q, [T, B, N, D]), k: w64(k, [T, B, N, D]), v: w64(v, [T, B, N, D]) },
      grad: { out: w64(cot, [T, B, N, D]) },
    });
    const { graph } = withGradients(Array.from({ length: 3 }, () => ({ shape: [T * B, N, D] })), (b, xs) => {
      const ctx = lowerCtx(b, T, B);
      const [qi, ki, vi] = xs.map((value) => ({ value, type: timed([N, D], 'spikes') }));
      const ke = lower(ctx, 'erode', { over: 'map', width: 3 }, { in: ki! });
      const ve = lower(ctx, 'erode', { over: 'map', width: 3 }, { in: vi! });
      const mask = lower(ctx, 'lif', { threshold: 0.5 }, { in: lower(ctx, 'sdsa_core', { heads: HEADS, erode: true }, { k: ke, v: ve }) });
      return lower(ctx, 'erode', { over: 'heads', heads: HEADS }, { in: lower(ctx, 'mask_mul', {}, { mask, in: qi! }) }).value;
    });
    const runner = await openGraph(graph);
    const ours = await runner.run({ x0: q, x1: k, x2: v, r: cot });
    await runner.close();
    const out = d(ref.outputs.out!);
    expect(Array.from(ours.y!)).toEqual(Array.from(out));
    expect(out.some((x) => x === 0) && out.some((x) => x === 1)).toBe(true);
    expectClose(ours.g0!, d(ref.grads!.inputs.q!), 'dq');
    expectClose(ours.g1!, d(ref.grads!.inputs.k!), 'dk');
    expectClose(ours.g2!, d(ref.grads!.inputs.v!), 'dv');
    expect(d(ref.grads!.inputs.k!).some((g) => g !== 0), 'dk reaches K through the pools').toBe(true);
  });
});
