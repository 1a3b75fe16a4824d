/**
 * The value-kind analysis describes the deployed model: a chain of linear layers fed by binary
 * spikes (RepConv's conv1×1 → BN-and-pad → depthwise 3×3 → conv1×1 → BN, SepConv's depthwise →
 * pointwise → BN) folds into one conv on spikes, so its layers are spike-driven as a whole; MACs
 * are counted as built and as folded. A layer fed spike counts accumulates up to k ACs per input.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { spikeDrivenSummary } from '../../engine/core/graph/summary.js';
import { formatProblem } from '../../engine/core/problems.js';
import { GraphBuilder, type PortRef } from '../../templates/builder.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';

const T = 4;

function doc(g: GraphBuilder, shape: number[]): GraphDocument {
  return { format: 'snn-studio/graph', version: 1, name: 't', timeSteps: T, input: { shape, kind: 'image' }, nodes: [...g.nodes], edges: [...g.edges] };
}

/** input → encoder → conv → LIF: binary spikes [C,H,W]. */
function spikes(c: number): [GraphBuilder, PortRef] {
  const g = new GraphBuilder();
  const enc = g.add('enc', 'direct_encoder', {}, g.add('x', 'input'));
  return [g, g.add('lif0', 'lif', {}, g.add('conv0', 'conv2d', { outChannels: c }, enc))];
}

describe('a linear chain fed by spikes', () => {
  const [C, O, H, W] = [6, 5, 7, 7];

  it('conv1×1 → BN-and-pad → depthwise 3×3 → conv1×1 → BN folds into one 3×3 conv on spikes, MACs as built and folded', () => {
    const [g, s] = spikes(C);
    const y = g.chain(s, [
      ['c1', 'conv2d', { outChannels: C, kernel: 1, padding: 0 }],
      ['bnp', 'bn_pad'],
      ['dw', 'conv2d', { outChannels: C, kernel: 3, padding: 0, groups: C }],
      ['pw', 'conv2d', { outChannels: O, kernel: 1, padding: 0 }],
      ['bn', 'batchnorm2d'],
    ]);
    g.add('y', 'output', {}, g.add('lif1', 'lif', {}, y));
    const a = analyseDocument(doc(g, [3, H, W]));
    expect(a.problems.filter((p) => p.code === 'not-spike-driven').map(formatProblem)).toEqual([]);
    expect(a.foldedChains).toHaveLength(1);
    const c = a.foldedChains[0]!;
    expect(c.layers.map((l) => l.join('/'))).toEqual(['c1', 'bnp', 'dw', 'pw', 'bn']);
    expect(c.form).toMatchObject({ kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], inChannels: C, outChannels: O, groups: 1 });
    const built = T * (C * C * H * W + 9 * C * H * W + C * O * H * W);
    const folded = T * O * H * W * C * 9;
    expect([c.builtMacs, c.foldedMacs]).toEqual([built, folded]);
    const conv0 = a.body.byId.get('conv0')!.macs;
    expect(a.macs).toBe(conv0 + built);
    expect(a.foldedMacs).toBe(conv0 + folded);
    // the encoded image's conv is analog; everything after the neuron is spike-driven once folded
    expect(a.spikeMacs).toBe(folded);
    const f = a.problems.filter((p) => p.code === 'folds-on-spikes');
    expect(f.map(formatProblem)).toEqual([`info: nodes[4] "c1": "c1" → "bnp" → "dw" → "pw" → "bn" fold to one 3×3 conv, 6→5, on spikes: spike-driven once folded (${(folded / 1e3).toFixed(1)} k MACs folded, ${(built / 1e3).toFixed(1)} k as built)`]);
  });

  it('stops at a neuron, at a branch and at a padded conv after a biased layer (not exact there)', () => {
    const [g, s] = spikes(C);
    const c1 = g.add('c1', 'conv2d', { outChannels: C, kernel: 1, padding: 0 }, s);
    const bn = g.add('bn', 'batchnorm2d', {}, c1);
    // a zero-padded 3×3 after BN: the border reads BN(0), not 0, so the pair does not fold
    const c2 = g.add('c2', 'conv2d', { outChannels: C, kernel: 3, padding: 1 }, bn);
    const l = g.add('lif1', 'lif', {}, c2);
    const c3 = g.add('c3', 'conv2d', { outChannels: C, kernel: 1, padding: 0 }, l);
    // c3's output read twice: a branch, not a chain
    const c4 = g.add('c4', 'conv2d', { outChannels: C, kernel: 1, padding: 0 }, c3);
    g.add('y', 'output', {}, g.add('sum', 'membrane_add', {}, { a: c4, b: c3 }));
    const a = analyseDocument(doc(g, [3, H, W]));
    expect(a.foldedChains).toEqual([]);
    expect(a.problems.filter((p) => p.code === 'not-spike-driven').map((p) => p.nodeId)).toEqual(['c2', 'c4']);
  });
});

describe("Meta-SpikeFormer's templates", () => {
  const presets = listTemplates().find((t) => t.id === 'meta-spikeformer')!.presets.map((p) => p.name);

  it.each(presets)('%s: no "not spike-driven" finding inside a RepConv or a SepConv; each RepConv folds on spikes', (preset) => {
    const a = analyseDocument(buildTemplate('meta-spikeformer', preset));
    const inner = (p: { nodeId?: string; inner?: readonly string[] }) => [p.nodeId, ...(p.inner ?? [])].join('/');
    expect(a.problems.filter((p) => p.code === 'not-spike-driven').map(inner)).toEqual([]);
    const repconvs = a.problems.filter((p) => p.code === 'folds-on-spikes' && p.message.includes('RepConv'));
    // four RepConvs (q, k, v, projection) per attention block
    const blocks = a.body.nodes.filter((n) => n.block.id === 'meta_block').length;
    expect(repconvs).toHaveLength(4 * blocks);
    expect(a.spikeMacs).toBeLessThanOrEqual(a.foldedMacs);
  });

  it('8-384: "RepConv folds to one 3×3 conv, 384→384, on spikes", with both MAC counts', () => {
    const a = analyseDocument(buildTemplate('meta-spikeformer', '8-384'));
    const q = a.problems.find((p) => p.code === 'folds-on-spikes' && p.nodeId === 'block3_1' && p.inner?.[0] === 'q_conv')!;
    expect(formatProblem(q)).toMatch(/^info: nodes\[\d+\] "block3_1" › nodes\[\d+\] "q_conv" › nodes\[\d+\] "conv1x1": RepConv "q_conv" and "q_bn" fold to one 3×3 conv, 384→384, on spikes: spike-driven once folded \(1\.04 G MACs folded, 233\.9 M as built\)$/);
    // 14×14 tokens at T=4: folded 384·384·9 MACs per output, as built 384² + 9·384 + 384²
    const chain = a.foldedChains.find((c) => c.layers[0]!.join('/') === 'block3_1/q_conv/conv1x1')!;
    expect(chain.foldedMacs).toBe(4 * 14 * 14 * 384 * 384 * 9);
    expect(chain.builtMacs).toBe(4 * 14 * 14 * (384 * 384 + 9 * 384 + 384 * 384));
    expect(a.foldedMacs).toBeGreaterThan(a.macs);
  });
});

describe('layers fed spike counts', () => {
  it('accumulate counts, with the bound the spike-add residuals give (Spikformer: 2 after one add, 3 after two)', () => {
    const a = analyseDocument(buildTemplate('spikformer', '4-384'));
    const counts = a.problems.filter((p) => p.code === 'macs-on-counts');
    expect(counts).toHaveLength(16);
    for (const p of counts) expect(p.severity).toBe('info');
    const q = counts.find((p) => p.inner?.join('/') === 'attn/q_linear' && p.nodeId === 'block1')!;
    expect(formatProblem(q)).toBe('info: nodes[3] "block1" › nodes[1] "attn" › nodes[1] "q_linear": accumulates counts (up to 2 ACs per input): it reads spike counts, not binary spikes');
    const fc1 = counts.find((p) => p.inner?.join('/') === 'mlp/fc1_linear' && p.nodeId === 'block1')!;
    expect(fc1.message).toContain('up to 3 ACs per input');
    expect(spikeDrivenSummary(a)?.text).toBe('72% of MACs spike-driven; 16 layers read spike counts');
  });
});
