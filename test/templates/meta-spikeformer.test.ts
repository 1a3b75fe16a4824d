/**
 * Meta-SpikeFormer presets (spec §5.9): parameter counts from the released layer list, written out
 * here independently of the builder, against the README's 55 M (metaspikformer_8_512) and the 31.3 M
 * quoted for 8-384; the stage layout; the distilled 8-512's two heads; a forward pass for tiny, and
 * for tiny with the distillation head (ImageNet sizes run in imagenet-forward.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { metaGraph, metaModelOf, metaSpikeformer } from '../../templates/meta-spikeformer.js';
import { forwardOnce } from '../helpers/forward.js';
import { describeForwardPasses, describePresets, expectForward, expectValid, relativeGap } from './helpers.js';

const conv = (cin: number, cout: number, k: number, bias = false) => cin * cout * k * k + (bias ? cout : 0);
const bn = (c: number) => 2 * c;
const linear = (inF: number, outF: number) => inF * outF + outF;
/** A depthwise k×k conv on c channels (one filter per channel, no bias). */
const depthwise = (c: number, k: number) => c * k * k;

/** (LIF →) Conv k×k with bias → BN. */
const downsample = (cin: number, cout: number, k: number) => conv(cin, cout, k, true) + bn(cout);
/** SepConv (1×1 C→2C, BN, depthwise 7×7, 1×1 2C→C, BN), then the 3×3 conv MLP C→4C→C with BNs. */
const convBlock = (c: number) =>
  conv(c, 2 * c, 1) + bn(2 * c) + depthwise(2 * c, 7) + conv(2 * c, c, 1) + bn(c) + conv(c, 4 * c, 3) + bn(4 * c) + conv(4 * c, c, 3) + bn(c);
/** RepConv(C→C): 1×1, BN (+pad), depthwise 3×3, 1×1, BN. */
const repConv = (c: number) => conv(c, c, 1) + bn(c) + depthwise(c, 3) + conv(c, c, 1) + bn(c);
/** q, k, v and the projection are RepConv + BN; the MLP is 1×1 convs with bias C→4C→C with BNs. */
const attentionBlock = (c: number) => 4 * (repConv(c) + bn(c)) + linear(c, 4 * c) + bn(4 * c) + linear(4 * c, c) + bn(c);

/** Blocks per stage: conv blocks after downsample1_2 and downsample2, attention blocks in stages 3 and 4 (paper: 1, 2, 6, 2). */
function metaCount([d1, d2, d3, d4]: readonly [number, number, number, number], inChannels: number, classes: number, [c1, c2, a3, a4] = [1, 2, 6, 2]): number {
  return (
    downsample(inChannels, d1 / 2, 7) +
    convBlock(d1 / 2) +
    downsample(d1 / 2, d1, 3) +
    c1 * convBlock(d1) +
    downsample(d1, d2, 3) +
    c2 * convBlock(d2) +
    downsample(d2, d3, 3) +
    a3 * attentionBlock(d3) +
    downsample(d3, d4, 3) +
    a4 * attentionBlock(d4) +
    linear(d4, classes)
  );
}

const COUNTS = {
  '8-384': metaCount([96, 192, 384, 480], 3, 1000),
  '8-512': metaCount([128, 256, 512, 640], 3, 1000),
  '8-768': metaCount([192, 384, 768, 960], 3, 1000),
};
/** The knowledge-distilled checkpoint's second head: Linear(D4 → classes). */
const distillationHead = (d4: number, classes: number) => linear(d4, classes);

describe('meta-spikeformer: the released layer list', () => {
  it('8-384: 31,333,864 parameters, within 0.5 % of the quoted 31.3 M', () => {
    expect(COUNTS['8-384']).toBe(31_333_864);
    expect(relativeGap(COUNTS['8-384'], 31.3e6)).toBeLessThan(0.005);
  });

  it('8-512: 55,350,248 parameters with one head, the README\'s "55 M" to its two figures; the distilled checkpoint\'s second head (+641,000) makes 55,991,248, which rounds to 56 M', () => {
    expect(COUNTS['8-512']).toBe(55_350_248);
    expect(Math.abs(COUNTS['8-512'] - 55e6)).toBeLessThanOrEqual(0.5e6);
    expect(distillationHead(640, 1000)).toBe(641_000);
    expect(COUNTS['8-512'] + distillationHead(640, 1000)).toBe(55_991_248);
    expect(Math.round((COUNTS['8-512'] + distillationHead(640, 1000)) / 1e6)).toBe(56);
  });

  it('8-768: 123,741,160 parameters (no count reported)', () => {
    expect(COUNTS['8-768']).toBe(123_741_160);
  });
});

const TINY = metaCount([16, 32, 32, 32], 1, 10, [1, 1, 1, 1]);

// 8-512 is the distilled checkpoint (80.0 %), built with its distillation head
describePresets(metaSpikeformer, {
  exact: { ...COUNTS, '8-512': COUNTS['8-512'] + distillationHead(640, 1000), '8-384-t1': COUNTS['8-384'], tiny: TINY },
});

describe('meta-spikeformer: layout', () => {
  const doc = metaSpikeformer.build(metaSpikeformer.presets.find((p) => p.name === '8-512')!);
  const a = analyseDocument(doc);

  it('conv blocks 1-1-2 at 56/28 px, attention blocks 6-2 at 14 px; down-sampling 7×7 s2 first (no LIF), 3×3 s1 last', () => {
    const blocks = doc.nodes.filter((n) => n.block === 'ms_conv_block' || n.block === 'meta_block');
    expect(blocks.map((n) => [n.block, n.params!.dim])).toEqual([
      ['ms_conv_block', 64],
      ['ms_conv_block', 128],
      ['ms_conv_block', 256],
      ['ms_conv_block', 256],
      ...Array(6).fill(['meta_block', 512]),
      ...Array(2).fill(['meta_block', 640]),
    ]);
    expect(blocks.map((n) => a.body.byId.get(n.id)!.outputs.out!.shape[1])).toEqual([112, 56, 28, 28, ...Array(8).fill(14)]);
    const downs = doc.nodes.filter((n) => n.block === 'ms_downsample');
    expect(downs[0]!.params).toMatchObject({ kernel: 7, stride: 2, first: true });
    expect(downs.at(-1)!.params).toMatchObject({ kernel: 3, stride: 1 });
    expect(new Set(doc.nodes.filter((n) => n.block === 'meta_block').map((n) => n.params!.heads))).toEqual(new Set([8]));
  });

  it('RepConv pads its first BN with BN(0); the distilled 8-512 has the released two heads: head and head_kd both on the head LIF\'s spikes, logits averaged', () => {
    const block = a.body.byId.get(doc.nodes.find((n) => n.block === 'meta_block')!.id)!;
    const q = block.inner!.byId.get('q_conv')!;
    expect(q.inner!.nodes.map((n) => n.block.id)).toEqual(['input', 'conv2d', 'bn_pad', 'conv2d', 'conv2d', 'batchnorm2d', 'output']);
    const blockOf = (id: string) => doc.nodes.find((n) => n.id === id)!.block;
    const source = (id: string) => doc.edges.filter((e) => e.target === id).map((e) => e.source);
    expect(['mean_tokens', 'head_lif', 'head', 'head_kd', 'heads', 'heads_mean'].map(blockOf)).toEqual(['global_avgpool', 'lif', 'head', 'head', 'concat', 'mean_tokens']);
    expect([source('head'), source('head_kd'), source('output')]).toEqual([['head_lif'], ['head_lif'], ['heads_mean']]);
    expect(a.body.byId.get('head_kd')!.paramCount).toBe(distillationHead(640, 1000));
    expect(a.output).toEqual({ shape: [1000], timed: true, kind: 'analog' });
  });

  it('the presets without distillation keep spec §5.9\'s single head on LIF(token mean)', () => {
    for (const name of ['8-384', '8-384-t1', '8-768', 'tiny']) {
      const d = metaSpikeformer.build(metaSpikeformer.presets.find((p) => p.name === name)!);
      expect(d.nodes.filter((n) => n.block === 'head').map((n) => n.id), name).toEqual(['head']);
      expect(d.edges.filter((e) => e.target === 'head').map((e) => e.source), name).toEqual(['head_lif']);
    }
  });
});

describe('meta-spikeformer: the distillation head runs', () => {
  it('tiny with the distillation head: one more Linear(32→10), and a forward pass on ONNX Runtime', async () => {
    const tiny = metaSpikeformer.build(metaSpikeformer.presets.find((p) => p.name === 'tiny')!);
    const g = metaGraph({ ...metaModelOf('tiny'), distillationHead: true });
    const doc = { ...tiny, nodes: [...g.nodes], edges: [...g.edges] };
    expect(expectValid(doc, 10).paramCount).toBe(TINY + distillationHead(32, 10));
    await expectForward(doc, 10);
    // the same weights (initialised by name) read out through one head at a time: the logits are their mean
    const through = (id: string) => ({ ...doc, edges: doc.edges.map((e) => (e.target === 'output' ? { ...e, source: id } : e)) });
    const [both, main, kd] = await Promise.all([doc, through('head'), through('head_kd')].map((d) => forwardOnce(d, { bnGain: 20 })));
    expect(main!.logits.some((v, i) => v !== kd!.logits[i])).toBe(true);
    both!.logits.forEach((v, i) => {
      const mean = (main!.logits[i]! + kd!.logits[i]!) / 2;
      expect(Math.abs(v - mean), `logit ${i}: ${v} vs ${mean}`).toBeLessThanOrEqual(1e-6 * Math.abs(mean) + 1e-6);
    });
  });
});

describe('meta-spikeformer: tiny layout', () => {
  it('attention sees a 7×7 token map with 8 channels per head (a 2×2 map at 4 channels a head left it silent)', () => {
    const doc = metaSpikeformer.build(metaSpikeformer.presets.find((p) => p.name === 'tiny')!);
    const a = analyseDocument(doc);
    const attention = doc.nodes.filter((n) => n.block === 'meta_block');
    expect(attention.map((n) => a.body.byId.get(n.id)!.outputs.out!.shape.slice(1))).toEqual([
      [7, 7],
      [7, 7],
    ]);
    expect(attention.map((n) => (n.params!.dim as number) / (n.params!.heads as number))).toEqual([8, 8]);
  });
});

describeForwardPasses(metaSpikeformer);
