// Every VJP rule of the primitive table against finite differences on ONNX Runtime (float32):
// central differences of Σ y·r along random directions, on smooth inputs (ReLU inputs away from 0,
// distinct values under max pooling, positive divisors). The neuron and Heaviside rules are
// surrogate gradients, not derivatives: test/train/torch-spiking.test.ts checks them against
// PyTorch autograd; dropout's rule is checked against its own mask below.
import { describe, expect, it } from 'vitest';
import type { IrBuilder } from '../../engine/core/ir/builder.js';
import { primitive, primitiveNames } from '../../engine/core/ir/primitives/index.js';
import { buildLoss, type LossSpec } from '../../engine/core/train/loss.js';
import { chooseConvGradForms } from '../../engine/core/train/passes/conv-forms.js';
import { gradCheck, type GradCase } from './helpers/gradcheck.js';
import { numel, openGraph, random, uniform, withGradients } from './helpers/ir-session.js';
import { expectWithin, maxAbs } from '../helpers/close.js';

const rnd = random(42);
const awayFromZero = (n: number) => Float32Array.from({ length: n }, () => (rnd() < 0.5 ? -1 : 1) * (0.1 + rnd()));
const positive = (n: number) => uniform(n, rnd, 0.5, 1.5);
/** Distinct values 0.01 apart in random order: max pooling keeps its argmax under a 1e-3 step. */
const distinct = (n: number) => {
  const v = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * 0.01);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return v;
};
const f = (shape: number[], data?: Float32Array) => ({ shape, ...(data ? { data } : {}) });
const op = (name: string, attrs: Record<string, unknown> = {}) => (b: IrBuilder, xs: number[]) => b.op1(name, xs, attrs);
const conv = (stride: number, pad: number, groups = 1, dilation = 1) => ({ stride: [stride, stride], pads: [pad, pad, pad, pad], dilation: [dilation, dilation], groups });
const pool = (k: number, s: number, p: number, countIncludePad?: boolean) => ({ kernel: [k, k], stride: [s, s], pads: [p, p, p, p], ...(countIncludePad === undefined ? {} : { countIncludePad }) });

/** [op checked, case]; linear maps use a larger step (no truncation error, less rounding). */
const CASES: [string, string, GradCase][] = [
  ['add', 'broadcast [3,4] + [4]', { inputs: [f([3, 4]), f([4])], build: op('add'), eps: 1e-2 }],
  ['sub', 'broadcast [2,3,4] − [3,1]', { inputs: [f([2, 3, 4]), f([3, 1])], build: op('sub'), eps: 1e-2 }],
  ['mul', 'broadcast [3,4] · [3,1]', { inputs: [f([3, 4]), f([3, 1])], build: op('mul') }],
  ['div', 'x / y, y in [0.5, 1.5]', { inputs: [f([3, 4]), f([3, 4], positive(12))], build: op('div') }],
  ['relu', 'inputs away from 0', { inputs: [f([4, 5], awayFromZero(20))], build: op('relu') }],
  ['sigmoid', '', { inputs: [f([4, 5])], build: op('sigmoid') }],
  ['tanh', '', { inputs: [f([4, 5])], build: op('tanh') }],
  ['exp', '', { inputs: [f([4, 5])], build: op('exp') }],
  ['neg', '', { inputs: [f([4, 5])], build: op('neg'), eps: 1e-2 }],
  ['identity', '', { inputs: [f([4, 5])], build: op('identity'), eps: 1e-2 }],
  ['scale', '×0.3', { inputs: [f([4, 5])], build: op('scale', { factor: 0.3 }), eps: 1e-2 }],
  ['shift', '+0.7', { inputs: [f([4, 5])], build: op('shift', { offset: 0.7 }), eps: 1e-2 }],
  ['gelu', '', { inputs: [f([4, 5], uniform(20, rnd, -3, 3))], build: op('gelu') }],
  ['reshape', '[2,6] → [3,4]', { inputs: [f([2, 6])], build: op('reshape', { shape: [3, 4] }), eps: 1e-2 }],
  ['transpose', 'perm [2,0,1]', { inputs: [f([2, 3, 4])], build: op('transpose', { perm: [2, 0, 1] }), eps: 1e-2 }],
  ['concat', 'axis 1', { inputs: [f([2, 3]), f([2, 2])], build: op('concat', { axis: 1 }), eps: 1e-2 }],
  ['slice', 'axis 1 [1,3)', { inputs: [f([2, 4, 3])], build: op('slice', { axis: 1, start: 1, end: 3 }), eps: 1e-2 }],
  ['pad', 'pads [1,0,0,2]', { inputs: [f([2, 3])], build: op('pad', { pads: [1, 0, 0, 2] }), eps: 1e-2 }],
  ['expand', '[1,3] → [4,3]', { inputs: [f([1, 3])], build: op('expand', { shape: [4, 3] }), eps: 1e-2 }],
  ['reduce_mean', 'axes [1]', { inputs: [f([3, 4, 2])], build: op('reduce_mean', { axes: [1], keepdims: false }), eps: 1e-2 }],
  ['reduce_sum', 'axes [0,2] keepdims', { inputs: [f([3, 4, 2])], build: op('reduce_sum', { axes: [0, 2], keepdims: true }), eps: 1e-2 }],
  ['matmul', '[2,3,4] × [4,5] (shared 2-D right operand)', { inputs: [f([2, 3, 4]), f([4, 5])], build: op('matmul'), eps: 1e-2 }],
  ['matmul', '[2,3,4] × [2,4,5] (batched)', { inputs: [f([2, 3, 4]), f([2, 4, 5])], build: op('matmul'), eps: 1e-2 }],
  ['matmul', '[4,3] × [2,3,5] (broadcast left)', { inputs: [f([4, 3]), f([2, 3, 5])], build: op('matmul'), eps: 1e-2 }],
  ['linear', 'with bias', { inputs: [f([5, 4]), f([3, 4]), f([3])], build: op('linear'), eps: 1e-2 }],
  ['linear', 'without bias', { inputs: [f([5, 4]), f([3, 4])], build: op('linear'), eps: 1e-2 }],
  ['conv2d', '3×3 stride 1 pad 1 + bias (flipped-weight Conv)', { inputs: [f([2, 3, 6, 6]), f([4, 3, 3, 3]), f([4])], build: op('conv2d', conv(1, 1)), eps: 1e-2 }],
  ['conv2d', '3×3 stride 2 pad 1 (ConvTranspose)', { inputs: [f([2, 3, 7, 7]), f([4, 3, 3, 3])], build: op('conv2d', conv(2, 1)), eps: 1e-2 }],
  ['conv2d', 'groups 2', { inputs: [f([2, 4, 5, 5]), f([6, 2, 3, 3])], build: op('conv2d', conv(1, 1, 2)), eps: 1e-2 }],
  ['conv2d', 'depthwise, stride 2', { inputs: [f([2, 4, 6, 6]), f([4, 1, 3, 3])], build: op('conv2d', conv(2, 1, 4)), eps: 1e-2 }],
  ['conv2d', 'depthwise 7×7 pad 3 (weight gradient as one grouped Conv)', { inputs: [f([3, 2, 7, 7]), f([2, 1, 7, 7])], build: op('conv2d', conv(1, 3, 2)), eps: 1e-2 }],
  ['conv2d', 'depthwise 3×3 dilation 2 pad 2', { inputs: [f([2, 3, 6, 6]), f([3, 1, 3, 3])], build: op('conv2d', conv(1, 2, 3, 2)), eps: 1e-2 }],
  ['conv2d', 'dilation 2 pad 2', { inputs: [f([1, 2, 7, 7]), f([3, 2, 3, 3])], build: op('conv2d', conv(1, 2, 1, 2)), eps: 1e-2 }],
  ['conv2d', '1×1, no pad', { inputs: [f([2, 3, 4, 4]), f([5, 3, 1, 1])], build: op('conv2d', conv(1, 0)), eps: 1e-2 }],
  ['batchnorm', 'inference statistics', { inputs: [f([4, 3, 2, 2]), f([3]), f([3]), { shape: [3], grad: false }, { shape: [3], grad: false, data: positive(3) }], build: op('batchnorm', { eps: 1e-5 }) }],
  ['batchnorm_train', '2-D [M,C]', { inputs: [f([8, 3]), f([3]), f([3])], build: (b, xs) => b.op('batchnorm_train', xs, { eps: 1e-5 })[0]! }],
  ['batchnorm_train', '3-D [N,C,L]', { inputs: [f([3, 2, 5]), f([2]), f([2])], build: (b, xs) => b.op('batchnorm_train', xs, { eps: 1e-5 })[0]! }],
  ['layernorm', '', { inputs: [f([4, 5]), f([5]), f([5])], build: op('layernorm', { eps: 1e-5 }) }],
  ['softmax', 'axis −1', { inputs: [f([3, 4])], build: op('softmax', { axis: -1 }) }],
  ['log_softmax', 'axis 1', { inputs: [f([3, 4])], build: op('log_softmax', { axis: 1 }) }],
  ['maxpool2d', '2×2 stride 2 (MaxUnpool)', { inputs: [f([2, 2, 4, 4], distinct(64))], build: op('maxpool2d', pool(2, 2, 0)) }],
  ['maxpool2d', '3×3 stride 2 pad 1, overlapping (ScatterElements add)', { inputs: [f([2, 2, 5, 5], distinct(100))], build: op('maxpool2d', pool(3, 2, 1)) }],
  ['avgpool2d', '2×2 stride 2', { inputs: [f([2, 2, 4, 4])], build: op('avgpool2d', pool(2, 2, 0)), eps: 1e-2 }],
  ['avgpool2d', '3×3 stride 1 pad 1, count_include_pad', { inputs: [f([1, 2, 5, 5])], build: op('avgpool2d', pool(3, 1, 1, true)), eps: 1e-2 }],
  ['avgpool2d', '3×3 stride 2 pad 1, exclude pad', { inputs: [f([1, 2, 6, 6])], build: op('avgpool2d', pool(3, 2, 1, false)), eps: 1e-2 }],
];

const labels = BigInt64Array.from([3n, 0n, 4n, 1n]);
const lossCase = (spec: LossSpec, timed: boolean): GradCase => ({
  inputs: [f([timed ? 12 : 4, 5], uniform(timed ? 60 : 20, rnd, -2, 2)), { shape: [4], dtype: 'int64', data: labels }],
  build: (b, [x, y]) => buildLoss(b, { value: x!, timed }, y!, spec, 3).loss,
});

describe('VJP rules vs finite differences (ONNX Runtime, float32)', () => {
  for (const [name, what, c] of CASES) {
    it(`${name}${what ? `: ${what}` : ''}`, async () => {
      const r = await gradCheck(c);
      expect(r.worst, JSON.stringify(r.pairs)).toBeLessThan(2e-3);
    });
  }

  it.each([
    ['3×3 stride 1 pad 1', conv(1, 1), [2, 3, 6, 6], [4, 3, 3, 3]],
    ['3×3 stride 2 pad 1', conv(2, 1), [2, 3, 7, 7], [4, 3, 3, 3]],
    ['groups 2', conv(1, 1, 2), [2, 4, 5, 5], [6, 2, 3, 3]],
    ['dilation 2 pad 2', conv(1, 2, 1, 2), [1, 2, 7, 7], [3, 2, 3, 3]],
    ['8 channels (gathered columns)', conv(1, 1), [2, 8, 6, 6], [4, 8, 3, 3]],
    ['8 channels, 3×3 stride 2 pad 1', conv(2, 1), [2, 8, 7, 7], [4, 8, 3, 3]],
    ['8 channels, dilation 2 pad 2', conv(1, 2, 1, 2), [1, 8, 7, 7], [3, 8, 3, 3]],
    ['8 channels, 8 samples of 16×16: products over 4 samples, summed', conv(1, 1), [8, 8, 16, 16], [3, 8, 3, 3]],
    ['8 channels, 32×32: one sample a product', conv(1, 1), [3, 8, 32, 32], [3, 8, 3, 3]],
    // columns past the limit: gathered a chunk of samples at a time, the chunks' sums added
    ['8 channels, 8 samples of 16×16 in 2 chunks of 4 (products over 4 samples)', conv(1, 1), [8, 8, 16, 16], [3, 8, 3, 3], 4 * 8 * 9 * 256],
    ['8 channels, 6 samples of 32×32 in 3 chunks of 2 (one sample a product)', conv(1, 1), [6, 8, 32, 32], [3, 8, 3, 3], 2 * 8 * 9 * 1024],
    ['8 channels, 12 samples of 32×32, stride 2 (16×16 out): 3 chunks of 4', conv(2, 1), [12, 8, 32, 32], [3, 8, 3, 3], 4 * 8 * 9 * 256],
  ] as const)('conv2d weight gradient, %s: the columns (one-hot Conv, or gathered from 8 channels) equal the per-offset Slices', async (_name, attrs, xs, ws, columnsMax?: number) => {
    const { graph: plain } = withGradients([f([...xs]), f([...ws])], op('conv2d', attrs));
    const withColumns = (extra: Record<string, unknown>) => ({ ...plain, nodes: plain.nodes.map((n) => (n.op === 'conv2d_weight_grad' ? { ...n, attrs: { ...n.attrs, ...extra } } : n)) });
    const graph = columnsMax === undefined ? plain : withColumns({ columnsMax });
    const offsets = withColumns({ columns: 'offsets' });
    expect(offsets.nodes.some((n) => n.op === 'conv2d_weight_grad')).toBe(true);
    const yShape = graph.values[graph.outputs.find((o) => o.name === 'y')!.value]!.shape;
    const own = random(7); // its own stream: the other cases keep their inputs
    const feeds = { x0: uniform(numel(xs), own), x1: uniform(numel(ws), own), r: uniform(numel(yShape), own) };
    const [a, b] = await Promise.all([openGraph(graph), openGraph(offsets)]);
    const [ga, gb] = [(await a.run(feeds)).g1!, (await b.run(feeds)).g1!];
    await Promise.all([a.close(), b.close()]);
    // float32 sums in another order: an error relative to the gradient's scale (thousands of terms
    // on the larger maps); a wrong offset or sample would be off by the terms themselves
    const scale = maxAbs(gb);
    expectWithin(ga, gb, () => 1e-5 * (1 + scale), 'dW', '1e-5 of its scale');
  });

  it('conv2d input gradient: ConvTranspose form (one thread) equals the flipped-weight Conv form', async () => {
    const build = op('conv2d', conv(1, 1));
    const inputs = [f([2, 3, 6, 6]), f([4, 3, 3, 3])];
    const { graph } = withGradients(inputs, build);
    const feeds = { x0: uniform(216, rnd), x1: uniform(108, rnd), r: uniform(288, rnd) };
    const a = await openGraph(graph);
    const b = await openGraph(chooseConvGradForms(graph, 1));
    const [ra, rb] = [await a.run(feeds), await b.run(feeds)];
    expect(graph.nodes.some((n) => n.op === 'conv2d_input_grad')).toBe(true);
    for (let i = 0; i < ra.g0!.length; i++) expect(rb.g0![i]).toBeCloseTo(ra.g0![i]!, 5);
    await Promise.all([a.close(), b.close()]);
  });

  it.each([
    ['cross-entropy, label smoothing 0.1', { kind: 'ce', labelSmoothing: 0.1 } as LossSpec, false],
    ['cross-entropy on time-averaged per-step logits', { kind: 'ce', labelSmoothing: 0 } as LossSpec, true],
    ['TET (λ = 0.05 to weigh the MSE term)', { kind: 'tet', lambda: 0.05, means: 1, labelSmoothing: 0 } as LossSpec, true],
    ['MSE of rates against one-hot targets', { kind: 'mse_rate' } as LossSpec, false],
  ])('loss: %s', async (_name, spec, timed) => {
    const r = await gradCheck(lossCase(spec, timed));
    expect(r.worst, JSON.stringify(r.pairs)).toBeLessThan(2e-3);
  });

  it('dropout: keeps where the noise is ≥ p; the gradient is the cotangent through the same mask, scaled by 1/(1−p)', async () => {
    const { graph } = withGradients([f([50, 40]), { shape: [50, 40], grad: false }], op('dropout', { ratio: 0.25 }));
    const runner = await openGraph(graph);
    const x = positive(2000);
    const u = uniform(2000, rnd).map((v) => (v + 1) / 2);
    const r = uniform(2000, rnd);
    const out = await runner.run({ x0: x, x1: u, r });
    let dropped = 0;
    for (let i = 0; i < x.length; i++) {
      const kept = out.y![i] !== 0;
      expect(kept, `element ${i}`).toBe(u[i]! >= 0.25);
      if (!kept) dropped++;
      expect(out.g0![i]).toBeCloseTo(kept ? r[i]! / 0.75 : 0, 5);
      if (kept) expect(out.y![i]).toBeCloseTo(x[i]! / 0.75, 5);
    }
    expect(dropped / x.length).toBeGreaterThan(0.15);
    expect(dropped / x.length).toBeLessThan(0.35);
    await runner.close();
  });

  it('stop_gradient: identity forward, and no gradient reaches its input', async () => {
    const { graph, gradOf } = withGradients([f([3]), f([3])], (b, [x, y]) => b.op1('add', [b.op1('stop_gradient', [b.op1('mul', [x!, x!])]), y!]));
    expect(gradOf).toEqual([1]);
    const runner = await openGraph(graph);
    const out = await runner.run({ x0: Float32Array.of(1, 2, 3), x1: Float32Array.of(1, 1, 1), r: Float32Array.of(1, 1, 1) });
    await runner.close();
    expect(Array.from(out.y!)).toEqual([2, 5, 10]);
  });

  it('covers every row that has a VJP (neuron and heaviside: PyTorch tests)', () => {
    const covered = new Set([...CASES.map(([n]) => n), 'dropout', 'stop_gradient', 'neuron', 'heaviside']);
    const withVjp = primitiveNames().filter((n) => primitive(n).vjp);
    expect(withVjp.filter((n) => !covered.has(n))).toEqual([]);
  });
});


