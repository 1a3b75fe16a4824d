/**
 * The feature-map blocks (concat, nearest_resize, untokens_like) on ONNX Runtime against plain
 * JavaScript references of the PyTorch ops, and bn_pad's training form: batch statistics from the
 * unpadded map, the border filled with BN(0) from the running statistics and detached, as the
 * released BNAndPadLayer does. Copies and selections, so the values must match exactly.
 */
import { describe, expect, it } from 'vitest';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import type { PrimitiveBlock } from '../../engine/core/blocks/types.js';
import type { IrBuilder } from '../../engine/core/ir/builder.js';
import type { LowerCtx } from '../../engine/core/lower/context.js';
import type { TensorType } from '../../engine/core/tensor.js';
import { lowerBlock, runLowering } from '../helpers/run-blocks.js';
import { openGraph, random, uniform, withGradients } from '../train/helpers/ir-session.js';

const [T, B] = [2, 1];
const map = (shape: number[], kind: TensorType['kind'] = 'spikes'): TensorType => ({ shape, timed: true, kind });
const rnd = random(11);

/** PyTorch's nearest rule on [M,C,H,W]: output (i, j) reads input (⌊i·H/H'⌋, ⌊j·W/W'⌋). */
function nearestRef(x: Float32Array, [m, c, h, w]: number[], oh: number, ow: number): Float32Array {
  const y = new Float32Array(m! * c! * oh * ow);
  for (let n = 0; n < m! * c!; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) y[(n * oh + i) * ow + j] = x[(n * h! + Math.floor((i * h!) / oh)) * w! + Math.floor((j * w!) / ow)]!;
    }
  }
  return y;
}

describe('nearest_resize', () => {
  it.each([
    [2, 3, 5, 6, 10],
    [0.5, 6, 8, 3, 4],
    [0.25, 8, 4, 2, 1],
  ])('scale %s: %i×%i → %i×%i, as F.interpolate(mode="nearest")', async (scale, h, w, oh, ow) => {
    const x = uniform(T * B * 3 * h * w, rnd);
    const out = await runLowering(T, B, { x: { type: map([3, h, w], 'analog'), data: x } }, (ctx, { x: v }) => lowerBlock(ctx, 'nearest_resize', { scale }, { in: v! }));
    expect(Array.from(out.out!)).toEqual(Array.from(nearestRef(x, [T * B, 3, h, w], oh, ow)));
  });

  it('refuses a side that does not divide and a factor that is not whole', () => {
    const x = map([3, 7, 8]);
    expect(() => lowerInfer('nearest_resize', { scale: 0.5 }, { in: x })).toThrow(/height of 7 does not divide by 2/);
    const schema = primitive('nearest_resize').params;
    expect(schema.safeParse({ scale: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ scale: 1 / 3 }).success).toBe(true);
  });
});

describe('concat', () => {
  it('stacks the inputs along the channels in port order, as torch.cat(dim=1)', async () => {
    const a = uniform(T * B * 2 * 3 * 3, rnd);
    const b = uniform(T * B * 1 * 3 * 3, rnd);
    const out = await runLowering(T, B, { a: { type: map([2, 3, 3]), data: a }, b: { type: map([1, 3, 3]), data: b } }, (ctx, ins) =>
      lowerBlock(ctx, 'concat', { inputs: 2 }, { in1: ins.a!, in2: ins.b! }),
    );
    const want: number[] = [];
    for (let n = 0; n < T * B; n++) want.push(...a.slice(n * 18, n * 18 + 18), ...b.slice(n * 9, n * 9 + 9));
    expect(Array.from(out.out!)).toEqual(want);
  });

  it('keeps spikes when every input is spikes; a real-valued input makes the join real-valued', () => {
    const kindOf = (kinds: TensorType['kind'][]) => lowerInfer('concat', { inputs: kinds.length }, Object.fromEntries(kinds.map((k, i) => [`in${i + 1}`, map([2, 4, 4], k)]))).out!.kind;
    expect(kindOf(['spikes', 'spikes', 'spikes'])).toBe('spikes');
    expect(kindOf(['spikes', 'counts'])).toBe('counts');
    expect(kindOf(['spikes', 'membrane'])).toBe('membrane');
    expect(() => lowerInfer('concat', { inputs: 2 }, { in1: map([2, 4, 4]), in2: map([2, 2, 4]) })).toThrow(/outside the channel axis/);
  });
});

describe('untokens_like', () => {
  it('undoes tokens: a map through tokens and back is unchanged', async () => {
    const x = uniform(T * B * 3 * 2 * 4, rnd);
    const out = await runLowering(T, B, { x: { type: map([3, 2, 4], 'analog'), data: x } }, (ctx, { x: v }) => {
      const tokens = lowerBlock(ctx, 'tokens', {}, { in: v! }).out!;
      return lowerBlock(ctx, 'untokens_like', {}, { in: tokens, like: v! });
    });
    expect(Array.from(out.out!)).toEqual(Array.from(x));
  });
});

describe('bn_pad in training', () => {
  const [M, C, H, W] = [3, 2, 3, 3];
  const lowerTrain = (b: IrBuilder, x: number, block: 'bn_pad' | 'bn'): number => {
    const ctx: LowerCtx = { b, timeSteps: 1, batch: M, mode: 'train', seed: 0, param: (n, s, i, r) => b.param(n, s, i, r) };
    const input = { value: x, type: { shape: [C, H, W], timed: false, kind: 'analog' as const } };
    return lowerBlock(ctx, block === 'bn_pad' ? 'bn_pad' : 'batchnorm2d', { eps: 1e-5, momentum: 0.1 }, { in: input }, 'bn').out!.value;
  };

  it('normalises with the batch statistics of the unpadded map, fills the border with BN(0) of the running statistics, and sends no gradient through the fill', async () => {
    const padded = withGradients([{ shape: [M, C, H, W] }], (b, [x]) => lowerTrain(b, x!, 'bn_pad'), { params: true });
    const plain = withGradients([{ shape: [M, C, H, W] }], (b, [x]) => lowerTrain(b, x!, 'bn'), { params: true });
    const stats = { 'bn.weight': Float32Array.of(1.5, 0.5), 'bn.bias': Float32Array.of(0.2, -0.3), 'bn.running_mean': Float32Array.of(0.4, -1), 'bn.running_var': Float32Array.of(2, 0.25) };
    const x = uniform(M * C * H * W, rnd);
    const r = uniform(M * C * (H + 2) * (W + 2), rnd);
    const inside = (v: Float32Array) => v.filter((_, k) => {
      const i = Math.floor(k / (W + 2)) % (H + 2);
      const j = k % (W + 2);
      return i >= 1 && i <= H && j >= 1 && j <= W;
    });
    const [a, p] = [await openGraph(padded.graph), await openGraph(plain.graph)];
    const got = await a.run({ x0: x, r, ...stats });
    const want = await p.run({ x0: x, r: inside(r), ...stats });
    await Promise.all([a.close(), p.close()]);

    for (let k = 0; k < want.y!.length; k++) expect(inside(got.y!)[k]).toBeCloseTo(want.y![k]!, 6);
    // BN(0) = β − μ·γ/√(σ² + ε) per channel, on every border pixel
    const fill = [0, 1].map((c) => stats['bn.bias'][c]! - (stats['bn.running_mean'][c]! * stats['bn.weight'][c]!) / Math.sqrt(stats['bn.running_var'][c]! + 1e-5));
    got.y!.forEach((v, k) => {
      const i = Math.floor(k / (W + 2)) % (H + 2);
      const j = k % (W + 2);
      if (i === 0 || i === H + 1 || j === 0 || j === W + 1) expect(v).toBeCloseTo(fill[Math.floor(k / ((H + 2) * (W + 2))) % C]!, 5);
    });
    for (const name of ['g0', 'g:bn.weight', 'g:bn.bias']) {
      const [g, w] = [got[name]!, want[name]!];
      for (let k = 0; k < w.length; k++) expect(g[k], `${name}[${k}]`).toBeCloseTo(w[k]!, 5);
    }
  });
});

/** A primitive's shape rule on input types (its parameters parsed as the analysis does). */
function lowerInfer(id: string, params: Record<string, unknown>, inputs: Record<string, TensorType>) {
  const block = primitive(id);
  return block.infer(inputs, block.params.parse(params), { timeSteps: T, input: { shape: [1], kind: 'vector' } }).outputs;
}

function primitive(id: string): PrimitiveBlock {
  const block = findBlock(id);
  if (block?.kind !== 'primitive') throw new Error(`no primitive block "${id}"`);
  return block;
}
