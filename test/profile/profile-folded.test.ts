// The profile of a model with a linear chain on spikes (RepConv's conv1×1 → BN-and-pad →
// depthwise 3×3 → conv1×1 → BN): each row carries its MACs as built and, where the chain changes
// them, as deployed (folded); the `paper` convention charges the deployed model, the one folded
// 3×3 conv at the chain input's firing rate; syops and NeuroBench keep charging the layers as built.
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../engine/core/document/builder.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { foldedMacsChange } from '../../engine/core/graph/linear-chains.js';
import type { TensorActivity } from '../../engine/core/profile/activity.js';
import { profileModel } from '../../engine/core/profile/profile.js';
import { buildTemplate } from '../../templates/index.js';

const [T, C, O, H, W] = [2, 4, 3, 5, 5];

/** image → direct encoding → conv → LIF (spikes) → the RepConv chain → LIF → output. */
function repConvDoc(): GraphDocument {
  const g = new GraphBuilder();
  const enc = g.add('enc', 'direct_encoder', {}, g.add('x', 'input'));
  const s = g.add('lif0', 'lif', {}, g.add('conv0', 'conv2d', { outChannels: C }, enc));
  const y = g.chain(s, [
    ['c1', 'conv2d', { outChannels: C, kernel: 1, padding: 0 }],
    ['bnp', 'bn_pad'],
    ['dw', 'conv2d', { outChannels: C, kernel: 3, padding: 0, groups: C }],
    ['pw', 'conv2d', { outChannels: O, kernel: 1, padding: 0 }],
    ['bn', 'batchnorm2d'],
  ]);
  g.add('y', 'output', {}, g.add('lif1', 'lif', {}, y));
  return { format: 'snn-studio/graph', version: 1, name: 'rep', timeSteps: T, input: { shape: [2, H, W], kind: 'image' }, ...g.body() } as GraphDocument;
}

const act = (perStep: number[]): TensorActivity => ({ perStep, nonzeroPerStep: perStep });

describe('profile with a folded chain, hand-computed', () => {
  const doc = repConvDoc();
  const analysis = analyseDocument(doc);
  // lif0 fires 20 % then 40 %: the chain's input rate is 0.3
  const p = profileModel(doc, analysis, { activity: new Map([['lif0:out', act([0.2, 0.4])], ['lif1:out', act([0.5, 0.5])]]) });
  const row = (id: string) => p.rows.find((r) => r.id === id)!;
  // as built: c1 C·C, dw 9·C, pw C·O per pixel; folded: one 3×3 conv C→O, 9·C·O per pixel; 25 pixels, T steps
  const built = { c1: T * 25 * C * C, dw: T * 25 * 9 * C, pw: T * 25 * C * O };
  const folded = T * 25 * 9 * C * O;

  it('rows give the MACs as built, and the deployed MACs where the chain changes them: all on its first layer', () => {
    expect([row('c1').macs, row('dw').macs, row('pw').macs]).toEqual([built.c1, built.dw, built.pw]);
    expect(row('c1').foldedMacs).toBe(folded);
    expect(row('dw').foldedMacs).toBe(0);
    expect(row('pw').foldedMacs).toBe(0);
    expect(row('conv0').foldedMacs).toBeUndefined();
    expect(row('lif1').foldedMacs).toBeUndefined();
    expect(p.totals.macs).toBe(row('conv0').macs + built.c1 + built.dw + built.pw);
    expect(p.totals.foldedMacs).toBe(row('conv0').macs + folded);
  });

  it('paper charges the folded conv at the chain input\'s rate; syops and NeuroBench charge the layers as built', () => {
    expect(row('c1').energy.paper.macs).toBe(0);
    expect(row('c1').energy.paper.acs).toBeCloseTo(0.3 * folded, 9);
    expect(row('dw').energy.paper).toMatchObject({ macs: 0, acs: 0 });
    expect(row('pw').energy.paper).toMatchObject({ macs: 0, acs: 0 });
    // as built, dw and pw read analog values: MACs at 100 %
    expect(row('c1').energy.syops.acs).toBeCloseTo(0.3 * built.c1, 9);
    expect(row('dw').energy.syops).toMatchObject({ macs: built.dw, acs: 0 });
    expect(row('pw').energy.neurobench).toMatchObject({ macs: built.pw, acs: 0 });
    // the first conv reads the encoded image: MAC once under paper
    expect(p.totals.energy.paper.macs).toBe(row('conv0').macs / T);
    expect(p.totals.energy.paper.acs).toBeCloseTo(0.3 * folded, 9);
  });
});

describe('foldedMacsChange on a deep preset', () => {
  it('Meta-SpikeFormer tiny: the deployed MACs of the top-level rows sum to the analysis\'s folded total, and every RepConv block\'s row changes', () => {
    const a = analyseDocument(buildTemplate('meta-spikeformer', 'tiny'));
    const change = foldedMacsChange(a.foldedChains);
    const deployed = a.body.nodes.reduce((s, n) => s + n.macs + (change.get(n.id) ?? 0), 0);
    expect(a.foldedChains.length).toBeGreaterThan(0);
    expect(deployed).toBe(a.foldedMacs);
    expect(a.foldedMacs).not.toBe(a.macs);
    // each chain's first layer holds its folded MACs; its other layers deploy as nothing
    for (const c of a.foldedChains) {
      const first = c.layers[0]!.join('.');
      expect(c.layerMacs[0]! + change.get(first)!).toBe(c.foldedMacs);
      for (const ids of c.layers.slice(1)) expect(c.layerMacs[c.layers.indexOf(ids)]! + change.get(ids.join('.'))!).toBe(0);
    }
  });
});
