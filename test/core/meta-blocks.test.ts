/**
 * Meta-SpikeFormer's RepConv composite (Conv1×1 → BN padded with BN(0) → depthwise 3×3 → Conv1×1 →
 * BN), compiled from a document and run on ONNX Runtime, against the same chain of PyTorch
 * reference ops (conv2d, batchnorm in eval mode) with the pad value taken from the reference BN of a
 * zero input. Real-valued everywhere, so 1e-5 relative.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { Rng } from '../../engine/core/rng.js';
import { runDocumentRaw } from '../helpers/run-blocks.js';
import { fromWire, runTorchRef, stopTorchRef, toWire, torchSkipReason, type WireArray } from '../helpers/torch.js';
import { skipping } from '../helpers/skip.js';
import { expectClose, meanAbs } from './helpers/compare.js';

const [B, C, O, H, W] = [2, 6, 5, 7, 7];

function repconvDoc(): GraphDocument {
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'repconv',
    timeSteps: 1,
    input: { shape: [C, H, W], kind: 'events' },
    nodes: [
      { id: 'x', block: 'input' },
      { id: 'b', block: 'repconv', params: { inChannels: C, outChannels: O } },
      { id: 'y', block: 'output' },
    ],
    edges: [
      { source: 'x', target: 'b' },
      { source: 'b', target: 'y' },
    ],
  };
}

describe('repconv', () => {
  it('keeps the map size: the BN padding feeds an unpadded depthwise 3×3', () => {
    const a = analyseDocument(repconvDoc());
    expect(a.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(a.output?.shape).toEqual([O, H, W]);
    // conv1×1 C², BN 2C, depthwise 9C, conv1×1 C·O, BN 2O
    expect(a.paramCount).toBe(C * C + 2 * C + 9 * C + C * O + 2 * O);
  });
});

describe.skipIf(skipping('meta-blocks: repconv vs the PyTorch reference ops', torchSkipReason))('repconv vs the PyTorch reference ops', () => {
  afterAll(() => stopTorchRef());

  it('matches conv → BN → pad with BN(0) → depthwise conv → conv → BN to 1e-5', async () => {
    const rng = Rng.fromSeed(3);
    const draw = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
    const bn = (c: number) => ({ weight: draw(c, 0.5, 2), bias: draw(c, -1, 1), running_mean: draw(c, -0.5, 0.5), running_var: draw(c, 0.5, 2) });
    const stats = { bn_pad: bn(C), bn: bn(O) };
    const overrides = new Map<string, Float32Array>();
    for (const [node, s] of Object.entries(stats)) for (const [k, v] of Object.entries(s)) overrides.set(`b.${node}.${k}`, v);
    const x = draw(B * C * H * W, -1, 1);
    const { output, params } = await runDocumentRaw(repconvDoc(), B, x, overrides);

    const run = async (op: 'conv2d' | 'batchnorm', input: WireArray, p: Record<string, unknown>, weights: Record<string, WireArray>, buffers: Record<string, WireArray> = {}) =>
      fromWire((await runTorchRef({ op, params: p as never, inputs: { x: input }, weights, buffers, dtype: 'float32' })).outputs.y!);
    const wire = (name: string, shape: number[]) => toWire(params.get(name)!, shape);
    const bnRef = (x: WireArray, node: 'bn_pad' | 'bn', c: number) =>
      run('batchnorm', x, { training: false }, { weight: wire(`b.${node}.weight`, [c]), bias: wire(`b.${node}.bias`, [c]) }, { running_mean: wire(`b.${node}.running_mean`, [c]), running_var: wire(`b.${node}.running_var`, [c]) });

    const a = await run('conv2d', toWire(x, [B, C, H, W]), {}, { weight: wire('b.conv1x1.weight', [C, C, 1, 1]) });
    const normed = await bnRef(toWire(Float32Array.from(a.data), [B, C, H, W]), 'bn_pad', C);
    const fill = (await bnRef(toWire(new Float32Array(C), [1, C, 1, 1]), 'bn_pad', C)).data;
    const padded = new Float32Array(B * C * (H + 2) * (W + 2));
    for (let n = 0; n < B; n++) {
      for (let c = 0; c < C; c++) {
        for (let i = 0; i < H + 2; i++) {
          for (let j = 0; j < W + 2; j++) {
            const inside = i >= 1 && i <= H && j >= 1 && j <= W;
            padded[((n * C + c) * (H + 2) + i) * (W + 2) + j] = inside ? normed.data[((n * C + c) * H + i - 1) * W + j - 1]! : fill[c]!;
          }
        }
      }
    }
    const dw = await run('conv2d', toWire(padded, [B, C, H + 2, W + 2]), { groups: C }, { weight: wire('b.dwconv.weight', [C, 1, 3, 3]) });
    const pw = await run('conv2d', toWire(Float32Array.from(dw.data), [B, C, H, W]), {}, { weight: wire('b.pwconv.weight', [O, C, 1, 1]) });
    const want = await bnRef(toWire(Float32Array.from(pw.data), [B, O, H, W]), 'bn', O);
    expectClose(output, want.data, 1e-5, meanAbs(want.data), 'repconv output');
  });
});
