// The reference's template heads (torch_ref.py, op head_tail) against values worked out by hand from
// the spec, one small case per form, so that head-wiring.test.ts compares the engine with readouts
// that are themselves checked. The LIF is τ 2, threshold 1, hard reset to 0, H = V + (X − V)/2.

import { afterAll, describe, expect, it } from 'vitest';
import { skipping } from '../helpers/skip.js';
import { fromWire, runTorchRef, stopTorchRef, toWireF64, torchSkipReason, type TorchRefParams, type WireArray } from '../helpers/torch.js';

type Form = TorchRefParams['head_tail'];

async function tail(params: Form, x: { values: number[]; shape: number[] }, weights: Record<string, [number[], number[]]>, buffers: Record<string, [number[], number[]]> = {}) {
  const wire = (o: Record<string, [number[], number[]]>): Record<string, WireArray> => Object.fromEntries(Object.entries(o).map(([k, [v, s]]) => [k, toWireF64(v, s)]));
  const res = await runTorchRef({ op: 'head_tail', params, inputs: { x: toWireF64(x.values, x.shape) }, weights: wire(weights), buffers: wire(buffers), dtype: 'float64' });
  return { logits: Array.from(fromWire(res.outputs.logits!).data), margin: res.outputs.margin ? Array.from(fromWire(res.outputs.margin).data) : null };
}

const close = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a, `[${i}]`).toBeCloseTo(expected[i]!, 12));
};

describe.skipIf(skipping('torch_ref: head_tail (template heads)', torchSkipReason))('torch_ref.py head_tail: each template readout by hand', () => {
  afterAll(() => stopTorchRef());

  // x [T=2, B=1, C=2, H=1, W=2]: token means c0 2.5, 0.5 and c1 0.4, 2.2. LIF: c0 H 1.25 (fires), 0.25;
  // c1 H 0.2, 0.2 + (2.2 − 0.2)/2 = 1.2 (fires): spikes [1,0] then [0,1].
  const metaX = { values: [2, 3, 0.2, 0.6, 0, 1, 2, 2.4], shape: [2, 1, 2, 1, 2] };
  const head: Record<string, [number[], number[]]> = { 'head.weight': [[1, 2, 3, 4], [2, 2]], 'head.bias': [[0.5, -0.5], [2]] };
  const headKd: Record<string, [number[], number[]]> = { 'head_kd.weight': [[10, 0, 0, 10], [2, 2]], 'head_kd.bias': [[0, 1], [2]] };

  it('meta: head on the LIF spikes, mean over T: ([1.5, 2.5] + [2.5, 3.5]) / 2', async () => {
    const r = await tail({ form: 'meta' }, metaX, head);
    close(r.logits, [2, 3]);
    close(r.margin!, [0.25, -0.8, -0.75, 0.2]);
  });

  it('meta with kd: head and head_kd both on the spikes, averaged: ([2, 3] + [5, 6]) / 2', async () => {
    const r = await tail({ form: 'meta', kd: true }, metaX, { ...head, ...headKd });
    close(r.logits, [3.5, 4.5]);
  });

  it('sdt: tokens [T=2, B=1, N=2, D=1], means 1.5 then 2 → H 0.75, 1.375 → spikes 0, 1 → 2s + 1 → mean 2', async () => {
    const r = await tail({ form: 'sdt' }, { values: [2, 1, 2, 2], shape: [2, 1, 2, 1] }, { 'head.weight': [[2], [1, 1]], 'head.bias': [[1], [1]] });
    close(r.logits, [2]);
    close(r.margin!, [-0.25, 0.375]);
  });

  it('spikformer: mean over tokens [0.5, 1] and [1, 1], over T [0.75, 1], then the Linear: 1.75', async () => {
    const r = await tail({ form: 'spikformer' }, { values: [1, 0, 0, 2, 2, 2, 0, 0], shape: [2, 1, 2, 2] }, { 'head.weight': [[1, 1], [1, 2]], 'head.bias': [[0], [1]] });
    close(r.logits, [1.75]);
    expect(r.margin).toBeNull();
  });

  it('cnn: max-pool 2 of [1, 0, 0, 0] is 1, then 3·1 + 1', async () => {
    const r = await tail({ form: 'cnn' }, { values: [1, 0, 0, 0], shape: [1, 1, 1, 2, 2] }, { 'fc.weight': [[3], [1, 1]], 'fc.bias': [[1], [1]] });
    close(r.logits, [4]);
  });

  it('psn_csnn: fc1 gives 1 at both steps; H = W·[1, 1] + b = [0.5, −0.25] → spikes 1, 0 → 2s + 1 → mean 2', async () => {
    const r = await tail({ form: 'psn_csnn' }, { values: [1, 0, 0, 1], shape: [2, 1, 1, 1, 2] }, {
      'fc1.weight': [[1, 1], [1, 2]],
      'fc1.bias': [[0], [1]],
      'psn.weight': [[1, 0, 0.5, -1], [2, 2]],
      'psn.bias': [[-0.5, 0.25], [2]],
      'head.weight': [[2], [1, 1]],
      'head.bias': [[1], [1]],
    });
    close(r.logits, [2]);
    close(r.margin!, [0.5, -0.25]);
  });

  it('psn_vgg: avg-pool 2 of [1, 1, 0, 0] is 0.5, then 4·0.5', async () => {
    const r = await tail({ form: 'psn_vgg' }, { values: [1, 1, 0, 0], shape: [1, 1, 1, 2, 2] }, { 'head.weight': [[4], [1, 1]], 'head.bias': [[0], [1]] });
    close(r.logits, [2]);
  });

  it('sew: global means 2.5 and 0, 2·mean per step, averaged over T: 2.5', async () => {
    const r = await tail({ form: 'sew' }, { values: [1, 2, 3, 4, 0, 0, 0, 0], shape: [2, 1, 1, 2, 2] }, { 'fc.weight': [[2], [1, 1]], 'fc.bias': [[0], [1]] });
    close(r.logits, [2.5]);
  });

  it('spikedhs: pooled 0.2, 0.2, 0.5 → m 0.2, 0.24, 0.548 (fires last) → Linear 2s + 0.5 → BN → mean over T', async () => {
    const r = await tail(
      { form: 'spikedhs' },
      { values: [0.1, 0.3, 0, 0.4, 0.5, 0.5], shape: [3, 1, 1, 1, 2] },
      { 'classifier.weight': [[2], [1, 1]], 'classifier.bias': [[0.5], [1]], 'bn.weight': [[2], [1]], 'bn.bias': [[1], [1]] },
      { 'bn.running_mean': [[0.5], [1]], 'bn.running_var': [[4], [1]] },
    );
    const bn = (y: number) => ((y - 0.5) / Math.sqrt(4 + 1e-5)) * 2 + 1;
    close(r.logits, [(bn(0.5) + bn(0.5) + bn(2.5)) / 3]);
    close(r.margin!, [-0.1, -0.06, 0.248]);
  });

  it('hybrid: one token, rates [2, 2] → LayerNorm [0, 0] + β [1, −1] → attention of one token is V → LayerNorm → Linear', async () => {
    const eye = [[1, 0, 0, 1], [2, 2]] as [number[], number[]];
    const zero = [[0, 0], [2]] as [number[], number[]];
    const r = await tail({ form: 'hybrid', heads: 1 }, { values: [1, 3, 3, 1], shape: [2, 1, 1, 2] }, {
      'norm1.weight': [[1, 1], [2]],
      'norm1.bias': [[1, -1], [2]],
      'attn.q.weight': eye,
      'attn.q.bias': zero,
      'attn.k.weight': eye,
      'attn.k.bias': zero,
      'attn.v.weight': eye,
      'attn.v.bias': zero,
      'attn.proj.weight': eye,
      'attn.proj.bias': zero,
      'norm2.weight': [[1, 1], [2]],
      'norm2.bias': zero,
      'head.weight': [[1, 0], [1, 2]],
      'head.bias': [[0], [1]],
    });
    close(r.logits, [1 / Math.sqrt(1 + 1e-5)]);
  });
});
