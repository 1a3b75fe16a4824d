/**
 * Stateless layer blocks (conv2d, batchnorm in eval, pooling, linear) compiled from documents and
 * run on ONNX Runtime, against the independent PyTorch reference in float64 on the same float32
 * inputs and weights. Tolerance: 1e-5 relative to max(|ref|, mean |ref|), the float32 round-off of
 * sums of a few hundred products; max-pooling must match exactly (a max is exact).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type TorchRefRequest } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { expectClose, expectExact, meanAbs } from './helpers/compare.js';
import { chainDoc, type Step } from './helpers/docs.js';
import { runLogits } from './helpers/probe.js';

const rng = Rng.fromSeed(4242);
const normal = (n: number, std = 1): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * std);
const uniform = (n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => lo + rng.uniform() * (hi - lo));
const wire = (a: Float32Array, shape: number[]) => toWire(Float64Array.from(a), shape);

async function ref(req: TorchRefRequest, output = 'y'): Promise<Float64Array> {
  const res = await runTorchRef({ dtype: 'float64', ...req });
  return fromWire(res.outputs[output]!).data;
}

/** Compiles `steps` on an untimed image input (so the output is the layer's own) and runs it. */
async function runChain(shape: number[], steps: readonly Step[], x: Float32Array, params: Record<string, Float32Array> = {}, batch = 2, kind: 'image' | 'vector' = 'image') {
  const doc = chainDoc({ shape, kind }, 4, steps);
  const compiled = compileInference(doc, { batch, params: new Map(Object.entries(params)) });
  for (const [k, v] of Object.entries(params)) expect(compiled.params.get(k), `parameter ${k} exists`).toBe(v);
  return { compiled, y: await runLogits(compiled, x) };
}

describe.skipIf(skipping('layers.numerics: layer blocks on ONNX Runtime vs the PyTorch reference', torchSkipReason))('layer blocks on ONNX Runtime vs the PyTorch reference', () => {
  afterAll(() => stopTorchRef());

  it.each([
    { kernel: 3, stride: 1, padding: 1, groups: 1, bias: false },
    { kernel: 3, stride: 2, padding: 1, groups: 2, bias: true },
    { kernel: [1, 5], stride: [2, 1], padding: [0, 2], groups: 1, bias: true },
    { kernel: 4, stride: 4, padding: 0, groups: 4, bias: false },
  ])('conv2d %o', async (p) => {
    const [B, C, H, W, O] = [2, 8, 12, 10, 16];
    const [kh, kw] = typeof p.kernel === 'number' ? [p.kernel, p.kernel] : p.kernel;
    const x = normal(B * C * H * W);
    const w = normal((O * C * kh! * kw!) / p.groups, 0.2);
    const b = normal(O);
    const { compiled, y } = await runChain([C, H, W], [['c', 'conv2d', { outChannels: O, ...p }]], x, { 'c.weight': w, ...(p.bias ? { 'c.bias': b } : {}) });
    const expected = await ref({
      op: 'conv2d',
      params: { stride: p.stride as never, padding: p.padding as never, groups: p.groups },
      inputs: { x: wire(x, [B, C, H, W]) },
      weights: { weight: wire(w, [O, C / p.groups, kh!, kw!]), ...(p.bias ? { bias: wire(b, [O]) } : {}) },
    });
    expect(compiled.outputShape.slice(0, 2)).toEqual([B, O]);
    expectClose(y, expected, 1e-5, meanAbs(expected), 'conv2d');
  });

  it('batchnorm2d (eval) uses the running statistics, weight and bias', async () => {
    const [B, C, H, W] = [3, 6, 5, 4];
    const x = normal(B * C * H * W, 2);
    const bn = { weight: uniform(C, 0.5, 2), bias: normal(C), running_mean: normal(C), running_var: uniform(C, 0.2, 3) };
    const { y } = await runChain([C, H, W], [['bn', 'batchnorm2d', { eps: 1e-3 }]], x, prefixed('bn', bn), B);
    const expected = await ref({
      op: 'batchnorm',
      params: { training: false, eps: 1e-3 },
      inputs: { x: wire(x, [B, C, H, W]) },
      weights: { weight: wire(bn.weight, [C]), bias: wire(bn.bias, [C]) },
      buffers: { running_mean: wire(bn.running_mean, [C]), running_var: wire(bn.running_var, [C]) },
    });
    expectClose(y, expected, 1e-5, meanAbs(expected), 'batchnorm2d');
  });

  it('batchnorm1d (eval) on tokens [N, D] normalises each of the D features', async () => {
    const [B, N, D] = [2, 7, 12];
    const x = normal(B * N * D, 2);
    const bn = { weight: uniform(D, 0.5, 2), bias: normal(D), running_mean: normal(D), running_var: uniform(D, 0.2, 3) };
    const { y } = await runChain([N, D], [['bn', 'batchnorm1d']], x, prefixed('bn', bn), B, 'vector');
    const expected = await ref({
      op: 'batchnorm',
      params: { training: false },
      inputs: { x: wire(x, [B * N, D]) },
      weights: { weight: wire(bn.weight, [D]), bias: wire(bn.bias, [D]) },
      buffers: { running_mean: wire(bn.running_mean, [D]), running_var: wire(bn.running_var, [D]) },
    });
    expectClose(y, expected, 1e-5, meanAbs(expected), 'batchnorm1d');
  });

  // out: PyTorch's floor((in + 2·pad − kernel) / stride) + 1 on H = 9, W = 8, worked by hand
  it.each([
    { kernel: 2, padding: 0, out: [4, 4] }, // (9 − 2) / 2 → 3 + 1, (8 − 2) / 2 = 3 + 1
    { kernel: 3, stride: 2, padding: 1, out: [5, 4] }, // (9 + 2 − 3) / 2 = 4 + 1, (8 + 2 − 3) / 2 → 3 + 1
    { kernel: [3, 2], stride: [1, 2], padding: [1, 0], out: [9, 4] }, // (9 + 2 − 3) / 1 = 8 + 1, (8 − 2) / 2 = 3 + 1
  ])('maxpool2d %o matches exactly', async ({ out, ...p }) => {
    const [B, C, H, W] = [2, 3, 9, 8];
    const x = normal(B * C * H * W);
    const { compiled, y } = await runChain([C, H, W], [['p', 'maxpool2d', p]], x);
    const expected = await ref({ op: 'maxpool2d', params: { kernel: p.kernel as never, stride: (p.stride ?? p.kernel) as never, padding: p.padding as never }, inputs: { x: wire(x, [B, C, H, W]) } });
    expect(B * C * out[0]! * out[1]!, 'the reference has as many values').toBe(expected.length);
    expect(compiled.outputShape).toEqual([B, C, ...out]);
    expectExact(y, Float64Array.from(expected, Math.fround), 'maxpool2d');
  });

  it.each([
    { kernel: 2, padding: 0 },
    { kernel: 3, stride: 2, padding: 1 },
    { kernel: 3, stride: 1, padding: 1 },
  ])('avgpool2d %o (count_include_pad as PyTorch)', async (p) => {
    const [B, C, H, W] = [2, 3, 9, 8];
    const x = normal(B * C * H * W);
    const { y } = await runChain([C, H, W], [['p', 'avgpool2d', p]], x);
    const expected = await ref({ op: 'avgpool2d', params: { kernel: p.kernel, stride: p.stride ?? p.kernel, padding: p.padding }, inputs: { x: wire(x, [B, C, H, W]) } });
    expectClose(y, expected, 1e-5, meanAbs(expected), 'avgpool2d');
  });

  it.each([true, false])('linear on tokens [N, D] (bias %s)', async (bias) => {
    const [B, N, D, O] = [3, 5, 48, 20];
    const x = normal(B * N * D);
    const w = normal(O * D, 0.1);
    const b = normal(O);
    const { y } = await runChain([N, D], [['fc', 'linear', { outFeatures: O, bias }]], x, { 'fc.weight': w, ...(bias ? { 'fc.bias': b } : {}) }, B, 'vector');
    const expected = await ref({ op: 'linear', inputs: { x: wire(x, [B, N, D]) }, weights: { weight: wire(w, [O, D]), ...(bias ? { bias: wire(b, [O]) } : {}) } });
    expectClose(y, expected, 1e-5, meanAbs(expected), 'linear');
  });

  // On the merged T·B batch after direct encoding (so ORT folds the BN into the conv): the mean
  // over T of identical steps is the single-step result.
  it('direct encoding → conv2d → batchnorm2d on the T·B-merged batch', async () => {
    const [B, C, H, W, O] = [2, 3, 8, 8, 8];
    const x = normal(B * C * H * W);
    const w = normal(O * C * 9, 0.3);
    const bn = { weight: uniform(O, 0.5, 2), bias: normal(O), running_mean: normal(O, 0.5), running_var: uniform(O, 0.2, 3) };
    const steps: Step[] = [
      ['enc', 'direct_encoder'],
      ['c', 'conv2d', { outChannels: O }],
      ['bn', 'batchnorm2d'],
    ];
    const { compiled, y } = await runChain([C, H, W], steps, x, { 'c.weight': w, ...prefixed('bn', bn) }, B);
    expect(compiled.inputShape).toEqual([B, C, H, W]);
    const conv = await ref({ op: 'conv2d', params: { padding: 1 }, inputs: { x: wire(x, [B, C, H, W]) }, weights: { weight: wire(w, [O, C, 3, 3]) } });
    const res = await runTorchRef({
      op: 'batchnorm',
      dtype: 'float64',
      params: { training: false },
      inputs: { x: toWire(conv, [B, O, H, W]) },
      weights: { weight: wire(bn.weight, [O]), bias: wire(bn.bias, [O]) },
      buffers: { running_mean: wire(bn.running_mean, [O]), running_var: wire(bn.running_var, [O]) },
    });
    const expected = fromWire(res.outputs.y!).data;
    expectClose(y, expected, 1e-5, meanAbs(expected), 'conv → bn');
  });
});

function prefixed(node: string, values: Record<string, Float32Array>): Record<string, Float32Array> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${node}.${k}`, v]));
}

