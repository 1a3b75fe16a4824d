/** QKFormer presets: the exact counts of the released logs, forward passes for CIFAR/DVS/tiny. */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { primitiveNodes } from '../../engine/core/export/walk.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { buildTemplate, parseTemplateRef } from '../../templates/index.js';
import { qkformer } from '../../templates/qkformer.js';
import { describeForwardPasses, describePresets } from './helpers.js';
import { bn, conv, linear, mlp, qkAttention, qkvAttention } from './param-arithmetic.js';

/**
 * HST-2-256 by the spec (§6.3 DVS, §6.1–6.2): the SPEDS-init embedding (3×3 convs without bias
 * 2 → 16 → 32 → 64 → 128 with BN, and the 1×1 stride-4 shortcut 32 → 128 with BN), one QKTA block
 * of dim 128, SPEDS 128 → 256 (3×3 128 → 256 and 256 → 256 with BN, the 1×1 stride-2 shortcut with
 * BN), one SSA block of dim 256, and the head. Only the MLP ratio and the classes vary.
 */
function hst2x256(mlpRatio: number, classes: number): number {
  const init = conv(2, 16, 3, false) + bn(16) + conv(16, 32, 3, false) + bn(32) + conv(32, 64, 3, false) + bn(64) + conv(64, 128, 3, false) + bn(128) + conv(32, 128, 1, false) + bn(128);
  const speds = conv(128, 256, 3, false) + bn(256) + conv(256, 256, 3, false) + bn(256) + conv(128, 256, 1, false) + bn(256);
  return init + qkAttention(128) + mlp(128, mlpRatio) + speds + qkvAttention(256) + mlp(256, mlpRatio) + linear(256, classes);
}

// CIFAR10-DVS (ratio 1, 10 classes): init 101,888 + QKTA 50,048 + MLP 33,536 + SPEDS 919,040
// + SSA 264,448 + MLP 132,608 + head 2,570 = 1,504,138, the released log's count, which checks the
// arithmetic. Gesture (the released code's ratio 4, 11 classes): the MLPs become 132,992 and
// 528,128 and the head 2,827: 1,999,371.
const dvsCount = hst2x256(1, 10);
const gestureCount = hst2x256(4, 11);

describePresets(qkformer, {
  // spec §6.3/§6.4: the parameter counts printed by the released training logs
  exact: {
    'hst-4-384': 6_706_234,
    'hst-4-384-cifar100': 6_740_884,
    'hst-10-768': 64_962_760,
    'hst-10-768-t1': 64_962_760,
    'hst-2-256': 1_504_138,
    'hst-2-256-t10': 1_504_138,
  },
  differs: {
    'hst-2-256-gesture': { count: gestureCount, why: 'the released Gesture code uses MLP ratio 4; the paper lists the ratio-1 count 1.50 M for both DVS sets' },
    'hst-2-256-gesture-t10': { count: gestureCount, why: 'as hst-2-256-gesture' },
  },
});

describe('qkformer: HST-2-256 parameter arithmetic', () => {
  it('the spec\'s layer-by-layer count gives the CIFAR10-DVS log\'s 1,504,138; with ratio 4 and 11 classes, 1,999,371', () => {
    expect([qkAttention(128), mlp(128, 1), qkvAttention(256), mlp(256, 1), linear(256, 10)]).toEqual([50_048, 33_536, 264_448, 132_608, 2_570]);
    expect(dvsCount).toBe(1_504_138);
    expect([mlp(128, 4), mlp(256, 4), linear(256, 11)]).toEqual([132_992, 528_128, 2_827]);
    expect(gestureCount).toBe(1_999_371);
  });
});

describe('qkformer: stage layout', () => {
  it('QKTA in stages 1–2 and SSA in stage 3; ImageNet has 1/2/7 blocks with 12 heads for 768', () => {
    const doc = qkformer.build(qkformer.presets.find((p) => p.name === 'hst-10-768')!);
    const blocks = doc.nodes.filter((n) => n.block === 'qkformer_block');
    expect(blocks.map((n) => n.params!.attention)).toEqual(['qkta', 'qkta', 'qkta', ...Array(7).fill('ssa')]);
    expect(blocks.map((n) => n.params!.dim)).toEqual([192, 384, 384, ...Array(7).fill(768)]);
    expect(new Set(blocks.map((n) => n.params!.heads))).toEqual(new Set([12]));
  });
});

describeForwardPasses(qkformer);

describe('qkformer: the released code\'s forms (option releasedCode)', () => {
  /** Every primitive neuron of a document whose walk is over the merged T·B rows, by path. */
  const mergedNeurons = (doc: GraphDocument): string[] =>
    primitiveNodes(analyseDocument(doc).body)
      .filter((p) => (p.node.params as { mergeRows?: boolean }).mergeRows === true)
      .map((p) => p.path);

  it.each(['hst-4-384', 'hst-10-768', 'hst-2-256', 'tiny'])('%s: exactly the SSA blocks\' projection LIF walks merged rows; the parameters are the same', (name) => {
    const preset = qkformer.presets.find((p) => p.name === name)!;
    const paper = buildTemplate('qkformer', name);
    const released = buildTemplate('qkformer', name, { releasedCode: true });
    const ssaBlocks = paper.nodes.filter((n) => n.block === 'qkformer_block' && n.params!.attention === 'ssa').map((n) => n.id);
    expect(ssaBlocks.length).toBeGreaterThan(0);
    expect(mergedNeurons(paper)).toEqual([]);
    expect(mergedNeurons(released)).toEqual(ssaBlocks.map((id) => `${id}.attn.proj_lif`));
    expect(analyseDocument(released).paramCount).toBe(analyseDocument(paper).paramCount);
    expect(released.name).toBe(`${preset.label} (released code)`);
    expect(released.meta!.templateOptions).toEqual({ releasedCode: true });
    expect(paper.meta!.templateOptions).toBeUndefined();
  });

  it('an option the template does not offer is refused by name; the CLI reference parses +options', () => {
    expect(() => buildTemplate('qkformer', 'tiny', { releasedcode: true })).toThrow('template "qkformer" has no option "releasedcode"; options: releasedCode');
    expect(() => buildTemplate('spikformer', 'tiny', { releasedCode: true })).toThrow('template "spikformer" has no option "releasedCode"; it takes no options');
    expect(parseTemplateRef('qkformer:hst-4-384+releasedCode')).toEqual({ id: 'qkformer', preset: 'hst-4-384', options: { releasedCode: true } });
    expect(parseTemplateRef('qkformer+releasedCode')).toEqual({ id: 'qkformer', options: { releasedCode: true } });
    expect(parseTemplateRef('spikformer:tiny')).toEqual({ id: 'spikformer', preset: 'tiny', options: {} });
  });
});
