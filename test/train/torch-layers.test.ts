// Layer blocks, as the catalogue lowers them in train mode, and the losses against PyTorch autograd
// (test/reference/torch_ref.py, float64): outputs and every gradient within 1e-4 relative; BN's
// running statistics too. The last tests chain conv → BN → LIF → max-pool (the spiking CNN stage)
// and conv → BN → max-pool → LIF (CML) through our autodiff against the same chain differentiated
// op by op in PyTorch.
import { afterAll, describe, expect, it } from 'vitest';
import { buildLoss } from '../../engine/core/train/loss.js';
import { updatedName } from '../../engine/core/train/names.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, toWireI64, torchSkipReason, type TorchRefRequest } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { lowerBlock, lowerCtx, timed } from './helpers/blocks.js';
import { expectClose } from './helpers/compare.js';
import { numel, openGraph, random, uniform, withGradients } from './helpers/ir-session.js';

const T = 2;
const B = 3;
const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const wire = (a: ArrayLike<number>, shape: readonly number[]) => toWire(f64(a), shape);
const data = (r: { outputs: Record<string, Parameters<typeof fromWire>[0]> }, k: string) => fromWire(r.outputs[k]!).data;

/** One block on x [T·B, ...sample]; returns our outputs (y, g0 = dx, g:<param>, updated:…) for given params and cotangent. */
async function runBlock(id: string, params: Record<string, unknown>, sample: readonly number[], x: Float32Array, values: Record<string, Float32Array>, cot: Float32Array, kind: 'analog' | 'spikes' = 'analog') {
  const { graph } = withGradients([{ shape: [T * B, ...sample] }], (b, [xv]) => lowerBlock(lowerCtx(b, T, B), 'm', id, params, { value: xv!, type: timed(sample, kind) }).value, { params: true });
  const runner = await openGraph(graph);
  const feeds: Record<string, Float32Array> = { x0: x, r: cot };
  for (const p of graph.params) feeds[p.name] = values[p.name.slice(2)]!;
  const out = await runner.run(feeds);
  await runner.close();
  return out;
}

describe.skipIf(skipping('torch-layers: layer blocks and losses vs PyTorch autograd', torchSkipReason))('layer blocks and losses vs PyTorch autograd', () => {
  afterAll(() => stopTorchRef());
  const rnd = random(3);

  it.each([
    ['3×3, pad 1, bias', { outChannels: 4, kernel: 3, padding: 1, bias: true }, [1, 1]],
    ['3×3, stride 2, pad 1', { outChannels: 5, kernel: 3, stride: 2, padding: 1 }, [2, 1]],
    ['1×1, groups 2', { outChannels: 4, kernel: 1, padding: 0, groups: 2 }, [1, 0]],
    ['7×7 depthwise, pad 3', { outChannels: 4, kernel: 7, padding: 3, groups: 4 }, [1, 3]],
    ['3×3 depthwise, stride 2, pad 1', { outChannels: 4, kernel: 3, stride: 2, padding: 1, groups: 4 }, [2, 1]],
  ] as const)('conv2d block: %s', async (_n, params, [stride, pad]) => {
    const cin = 4;
    const x = uniform(T * B * cin * 7 * 7, rnd);
    const groups = 'groups' in params ? params.groups : 1;
    const k = params.kernel;
    const w = uniform(params.outChannels * (cin / groups) * k * k, rnd);
    const bias = uniform(params.outChannels, rnd);
    const hasBias = 'bias' in params && params.bias;
    const req: TorchRefRequest = {
      op: 'conv2d',
      dtype: 'float64',
      params: { stride, padding: pad, groups },
      inputs: { x: wire(x, [T * B, cin, 7, 7]) },
      weights: { weight: wire(w, [params.outChannels, cin / groups, k, k]), ...(hasBias ? { bias: wire(bias, [params.outChannels]) } : {}) },
    };
    const ref0 = await runTorchRef(req);
    const yShape = fromWire(ref0.outputs.y!).shape;
    const cot = uniform(numel(yShape), rnd);
    const ref = await runTorchRef({ ...req, grad: { y: wire(cot, yShape) } });
    const ours = await runBlock('conv2d', params, [cin, 7, 7], x, { weight: w, bias }, cot);
    expectClose(ours.y!, data(ref, 'y'), 'y');
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.x!).data, 'dx');
    expectClose(ours['g:m.weight']!, fromWire(ref.grads!.weights.weight!).data, 'dW');
    if (hasBias) expectClose(ours['g:m.bias']!, fromWire(ref.grads!.weights.bias!).data, 'db');
  });

  it.each([
    ['batchnorm2d on [T,B,C,H,W]', 'batchnorm2d', [3, 4, 5], (s: readonly number[]) => [T * B, ...s]],
    ['batchnorm1d on tokens [T,B,N,D] (2-D [T·B·N, D])', 'batchnorm1d', [6, 4], (s: readonly number[]) => [T * B * s[0]!, s[1]!]],
  ] as const)('%s: batch statistics, gradients and running statistics', async (_n, id, sample, torchShape) => {
    const c = id === 'batchnorm2d' ? sample[0]! : sample[1]!;
    const n = T * B * numel(sample);
    const x = uniform(n, rnd, -2, 3);
    const values = { weight: uniform(c, rnd, 0.5, 1.5), bias: uniform(c, rnd), running_mean: uniform(c, rnd), running_var: uniform(c, rnd, 0.5, 2) };
    const cot = uniform(n, rnd);
    const ours = await runBlock(id, {}, sample, x, values, cot);
    // our x is [T·B, N, D] for tokens; torch's batchnorm takes [M, C]: same memory
    const ref = await runTorchRef({
      op: 'batchnorm',
      dtype: 'float64',
      params: { training: true, momentum: 0.1, eps: 1e-5 },
      inputs: { x: wire(x, torchShape(sample)) },
      weights: { weight: wire(values.weight, [c]), bias: wire(values.bias, [c]) },
      buffers: { running_mean: wire(values.running_mean, [c]), running_var: wire(values.running_var, [c]) },
      grad: { y: wire(cot, torchShape(sample)) },
    });
    expectClose(ours.y!, data(ref, 'y'), 'y');
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.x!).data, 'dx');
    expectClose(ours['g:m.weight']!, fromWire(ref.grads!.weights.weight!).data, 'dγ');
    expectClose(ours['g:m.bias']!, fromWire(ref.grads!.weights.bias!).data, 'dβ');
    expectClose(ours[updatedName('m.running_mean')]!, data(ref, 'running_mean'), 'running mean');
    expectClose(ours[updatedName('m.running_var')]!, data(ref, 'running_var'), 'running var (unbiased)');
  });

  it('maxpool2d block on binary spike maps (ties everywhere): each window’s gradient goes to its first maximum, as PyTorch', async () => {
    const sample = [3, 6, 6];
    const x = Float32Array.from({ length: T * B * numel(sample) }, () => (rnd() < 0.35 ? 1 : 0));
    const cot = uniform(T * B * 3 * 3 * 3, rnd);
    const ours = await runBlock('maxpool2d', { kernel: 2 }, sample, x, {}, cot, 'spikes');
    const ref = await runTorchRef({ op: 'maxpool2d', dtype: 'float64', params: { kernel: 2 }, inputs: { x: wire(x, [T * B, ...sample]) }, grad: { y: wire(cot, [T * B, 3, 3, 3]) } });
    let tiedWindows = 0;
    for (let i = 0; i < x.length; i += 4) tiedWindows += x[i]! + x[i + 1]! > 1 ? 1 : 0;
    expect(tiedWindows).toBeGreaterThan(0);
    expect(Array.from(ours.y!)).toEqual(Array.from(data(ref, 'y')));
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.x!).data, 'dx');
  });

  it('maxpool2d 3×3 stride 2 pad 1 on spike maps (ties, and inputs that win two overlapping windows): gradients add up as in PyTorch', async () => {
    const sample = [2, 7, 7];
    const x = Float32Array.from({ length: T * B * numel(sample) }, () => (rnd() < 0.3 ? 1 : 0));
    const cot = uniform(T * B * 2 * 4 * 4, rnd);
    const params = { kernel: 3, stride: 2, padding: 1 };
    const ours = await runBlock('maxpool2d', params, sample, x, {}, cot, 'spikes');
    const ref = await runTorchRef({ op: 'maxpool2d', dtype: 'float64', params, inputs: { x: wire(x, [T * B, ...sample]) }, grad: { y: wire(cot, [T * B, 2, 4, 4]) } });
    // some input is the argmax of more than one window: its gradient is a sum
    const idx = Array.from(fromWire(ref.outputs.indices!).data);
    const planeOf = (k: number) => Math.floor(k / 16);
    const wins = new Map<string, number>();
    idx.forEach((v, k) => wins.set(`${planeOf(k)}:${v}`, (wins.get(`${planeOf(k)}:${v}`) ?? 0) + 1));
    expect([...wins.values()].some((n) => n > 1)).toBe(true);
    expect(Array.from(ours.y!)).toEqual(Array.from(data(ref, 'y')));
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.x!).data, 'dx');
  });

  it('linear block on tokens', async () => {
    const x = uniform(T * B * 5 * 6, rnd);
    const values = { weight: uniform(4 * 6, rnd), bias: uniform(4, rnd) };
    const cot = uniform(T * B * 5 * 4, rnd);
    const ours = await runBlock('linear', { outFeatures: 4 }, [5, 6], x, values, cot);
    const ref = await runTorchRef({ op: 'linear', dtype: 'float64', inputs: { x: wire(x, [T * B * 5, 6]) }, weights: { weight: wire(values.weight, [4, 6]), bias: wire(values.bias, [4]) }, grad: { y: wire(cot, [T * B * 5, 4]) } });
    expectClose(ours.y!, data(ref, 'y'), 'y');
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.x!).data, 'dx');
    expectClose(ours['g:m.weight']!, fromWire(ref.grads!.weights.weight!).data, 'dW');
    expectClose(ours['g:m.bias']!, fromWire(ref.grads!.weights.bias!).data, 'db');
  });

  it.each([
    ['cross-entropy, label smoothing 0.1', 'ce'],
    ['TET (λ 1e-3, φ 1)', 'tet'],
  ] as const)('%s: loss and dL/dlogits', async (_n, kind) => {
    const classes = 5;
    const rows = kind === 'tet' ? T * B : B;
    const logits = uniform(rows * classes, rnd, -3, 3);
    const labels = [2, 0, 4];
    const spec = kind === 'ce' ? ({ kind: 'ce', labelSmoothing: 0.1 } as const) : ({ kind: 'tet', lambda: 1e-3, means: 1, labelSmoothing: 0 } as const);
    const { graph } = withGradients([{ shape: [rows, classes] }, { shape: [B], dtype: 'int64' }], (bb, [xv, yv]) => buildLoss(bb, { value: xv!, timed: kind === 'tet' }, yv!, spec, T).loss);
    const runner = await openGraph(graph);
    const ours = await runner.run({ x0: logits, x1: BigInt64Array.from(labels, (v) => BigInt(v)), r: Float32Array.of(1) });
    await runner.close();
    const ref =
      kind === 'ce'
        ? await runTorchRef({ op: 'cross_entropy', dtype: 'float64', params: { label_smoothing: 0.1 }, inputs: { logits: wire(logits, [B, classes]), labels: toWireI64(labels, [B]) }, grad: { loss: wire([1], []) } })
        : await runTorchRef({ op: 'tet_loss', dtype: 'float64', params: { lambda: 1e-3, means: 1 }, inputs: { logits: wire(logits, [T, B, classes]), labels: toWireI64(labels, [B]) }, grad: { loss: wire([1], []) } });
    expectClose(ours.y!, data(ref, 'loss'), 'loss');
    expectClose(ours.g0!, fromWire(ref.grads!.inputs.logits!).data, 'dL/dlogits');
  });

  it.each([
    ['the spiking CNN stage conv → BN → LIF → max-pool 2', 'lif_pool'],
    ['the CML stage conv → BN → max-pool(3,2,1) → LIF (pooling membranes, overlapping windows)', 'pool_lif'],
  ] as const)('%s (blocks, our autodiff) equals PyTorch op by op', async (_n, order) => {
    const sample = [2, 6, 6];
    const c = 4;
    const pool = order === 'lif_pool' ? { kernel: 2 } : { kernel: 3, stride: 2, padding: 1 };
    const pooled = 3; // 6×6 → 3×3 either way
    for (let seed = 1; seed < 40; seed++) {
      const r = random(seed);
      const x = uniform(T * B * numel(sample), r, -1, 2);
      const values = { 'conv.weight': uniform(c * 2 * 9, r, -0.5, 0.5), 'bn.weight': uniform(c, r, 0.8, 1.6), 'bn.bias': uniform(c, r, 0, 0.6), 'bn.running_mean': new Float32Array(c), 'bn.running_var': new Float32Array(c).fill(1) };
      // torch forward, op by op
      const conv = await runTorchRef({ op: 'conv2d', dtype: 'float64', params: { padding: 1 }, inputs: { x: wire(x, [T * B, ...sample]) }, weights: { weight: wire(values['conv.weight'], [c, 2, 3, 3]) } });
      const bnReq = (y1: Float64Array, grad?: Float64Array): TorchRefRequest => ({
        op: 'batchnorm',
        dtype: 'float64',
        inputs: { x: toWire(y1, [T * B, c, 6, 6]) },
        weights: { weight: wire(values['bn.weight'], [c]), bias: wire(values['bn.bias'], [c]) },
        ...(grad ? { grad: { y: toWire(grad, [T * B, c, 6, 6]) } } : {}),
      });
      const poolReq = (v: Float64Array, side: number, grad?: Float64Array): TorchRefRequest => ({
        op: 'maxpool2d',
        dtype: 'float64',
        params: pool,
        inputs: { x: toWire(v, [T * B, c, side, side]) },
        ...(grad ? { grad: { y: toWire(grad, [T * B, c, pooled, pooled]) } } : {}),
      });
      const lifReq = (v: Float64Array, grad?: Float64Array): TorchRefRequest => ({
        op: 'lif',
        dtype: 'float64',
        params: { tau: 2, detach_reset: true },
        inputs: { x: toWire(v, [T, v.length / T]) },
        ...(grad ? { grad: { spikes: toWire(grad, [T, v.length / T]) } } : {}),
      });
      const y1 = data(conv, 'y');
      const y2 = data(await runTorchRef(bnReq(y1)), 'y');
      const lifIn = order === 'lif_pool' ? y2 : data(await runTorchRef(poolReq(y2, 6)), 'y');
      const lif = await runTorchRef(lifReq(lifIn));
      // keep the charge away from the threshold: float32 and float64 must fire alike
      if (data(lif, 'h').some((v) => Math.abs(v - 1) < 1e-3)) continue;
      const cot = f64(uniform(T * B * c * pooled * pooled, r));
      let out: Float64Array;
      let dY2: Float64Array;
      if (order === 'lif_pool') {
        const back = await runTorchRef(poolReq(data(lif, 'spikes'), 6, cot));
        out = data(back, 'y');
        dY2 = fromWire((await runTorchRef(lifReq(lifIn, fromWire(back.grads!.inputs.x!).data))).grads!.inputs.x!).data;
      } else {
        out = data(lif, 'spikes');
        const dPooled = fromWire((await runTorchRef(lifReq(lifIn, cot))).grads!.inputs.x!).data;
        dY2 = fromWire((await runTorchRef(poolReq(y2, 6, dPooled))).grads!.inputs.x!).data;
      }
      const bnBack = await runTorchRef(bnReq(y1, dY2));
      const dY1 = fromWire(bnBack.grads!.inputs.x!).data;
      const convBack = await runTorchRef({ op: 'conv2d', dtype: 'float64', params: { padding: 1 }, inputs: { x: wire(x, [T * B, ...sample]) }, weights: { weight: wire(values['conv.weight'], [c, 2, 3, 3]) }, grad: { y: toWire(dY1, [T * B, c, 6, 6]) } });

      const { graph } = withGradients(
        [{ shape: [T * B, ...sample] }],
        (b, [xv]) => {
          const ctx = lowerCtx(b, T, B);
          let v = { value: xv!, type: timed(sample) };
          v = lowerBlock(ctx, 'conv', 'conv2d', { outChannels: c, kernel: 3, padding: 1 }, v);
          v = lowerBlock(ctx, 'bn', 'batchnorm2d', {}, v);
          if (order === 'lif_pool') return lowerBlock(ctx, 'pool', 'maxpool2d', pool, lowerBlock(ctx, 'lif', 'lif', { tau: 2 }, v)).value;
          return lowerBlock(ctx, 'lif', 'lif', { tau: 2 }, lowerBlock(ctx, 'pool', 'maxpool2d', pool, v)).value;
        },
        { params: true },
      );
      const runner = await openGraph(graph);
      const ours = await runner.run({ x0: x, r: Float32Array.from(cot), ...values });
      await runner.close();
      expect(Array.from(ours.y!)).toEqual(Array.from(out));
      expectClose(ours.g0!, fromWire(convBack.grads!.inputs.x!).data, 'dx');
      expectClose(ours['g:conv.weight']!, fromWire(convBack.grads!.weights.weight!).data, 'dW conv');
      expectClose(ours['g:bn.weight']!, fromWire(bnBack.grads!.weights.weight!).data, 'dγ');
      expectClose(ours['g:bn.bias']!, fromWire(bnBack.grads!.weights.bias!).data, 'dβ');
      return;
    }
    throw new Error('no seed kept the charge away from the threshold');
  });
});
