/**
 * SpikeDHS presets (spec §8.1): parameter counts from the decoded architecture, written out here
 * independently of the builder (the spec marks the paper's counts [U], so these are the only
 * reference); the cell genotype and path; the spiking readout; forward passes for tiny and CIFAR10.
 */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { spikedhs } from '../../templates/spikedhs.js';
import { describeForwardPasses, describePresets } from './helpers.js';

const bn = (c: number) => 2 * c;
/** An edge op: Conv3×3 (no bias, as built) → BN, whose membrane contribution feeds a node neuron. */
const op = (cin: number, c: number) => cin * c * 9 + bn(c);
/** The decoded cell: node0, node1 each read s0 and s1; node2 reads node0 and node1 (C → C). */
const cell = (cPrevPrev: number, cPrev: number, c: number) => 2 * op(cPrevPrev, c) + 2 * op(cPrev, c) + 2 * op(c, c);

/** Stem Conv3×3 → BN (→ neuron) to 3·base; cells at C = base·2^level with 3·C outputs; Linear + BN readout. */
function spikedhsCount(inChannels: number, path: readonly number[], base: number, classes: number): number {
  let n = inChannels * 3 * base * 9 + bn(3 * base);
  let prevPrev = 3 * base;
  let prev = 3 * base;
  for (const level of path) {
    const c = base * 2 ** level;
    n += cell(prevPrev, prev, c);
    [prevPrev, prev] = [prev, 3 * c];
  }
  return n + prev * classes + classes + bn(classes);
}

const DECODED_PATH = [0, 0, 1, 1, 1, 2, 2, 2];

describePresets(spikedhs, {
  exact: {
    cifar10: spikedhsCount(3, DECODED_PATH, 48, 10),
    cifar100: spikedhsCount(3, DECODED_PATH, 48, 100),
    tiny: spikedhsCount(1, [0, 1, 1, 2], 4, 10),
  },
});

describe('spikedhs: the decoded network', () => {
  const build = (name: string) => spikedhs.build(spikedhs.presets.find((p) => p.name === name)!);

  it('counts 14,287,854 parameters on CIFAR10 (14,339,964 with the CIFAR100 readout)', () => {
    expect(spikedhsCount(3, DECODED_PATH, 48, 10)).toBe(14_287_854);
    expect(spikedhsCount(3, DECODED_PATH, 48, 100)).toBe(14_339_964);
  });

  it('runs the decoded path 32/16/8 with 144/288/576-channel cells, T = 6', () => {
    const doc = build('cifar10');
    const a = analyseDocument(doc);
    const cells = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => a.body.byId.get(`cell${i}`)!.outputs.out!.shape);
    expect(cells).toEqual([...Array(2).fill([144, 32, 32]), ...Array(3).fill([288, 16, 16]), ...Array(3).fill([576, 8, 8])]);
    expect(doc.timeSteps).toBe(6);
  });

  it('a cell is node0 = SN(s0, s1), node1 = SN(s0, s1), node2 = SN(node0, node1), concatenated to 3·C spikes', () => {
    const a = analyseDocument(build('cifar10'));
    const cell1 = a.body.byId.get('cell1')!;
    const inside = cell1.inner!;
    // node ← sum ← BN ← conv ← state, one BN and conv per edge op
    const sourceOf = (target: string) => inside.source.edges.find((e) => e.target === target)!.source;
    const inputsOf = (node: string) => {
      const sum = sourceOf(node);
      const bns = inside.source.edges.filter((e) => e.target === sum).map((e) => e.source);
      return bns.map((bnNode) => sourceOf(sourceOf(bnNode))).sort();
    };
    expect(inputsOf('node0')).toEqual(['s0', 's1']);
    expect(inputsOf('node1')).toEqual(['s0', 's1']);
    expect(inputsOf('node2')).toEqual(['node0', 'node1']);
    for (const node of ['node0', 'node1', 'node2']) expect(inside.byId.get(node)!.block.id).toBe('spikedhs_neuron');
    expect(cell1.outputs.out).toEqual({ shape: [144, 32, 32], timed: true, kind: 'spikes' });
  });

  it('reads out through a spiking global average pool, then Linear + BN averaged over T; no auxiliary head', () => {
    const doc = build('cifar100');
    const chain = ['global_pool', 'global_pool_sn', 'classifier', 'classifier_bn', 'mean_time'].map((id) => doc.nodes.find((n) => n.id === id)!.block);
    expect(chain).toEqual(['global_avgpool', 'spikedhs_neuron', 'linear', 'batchnorm1d', 'mean_time']);
    expect(doc.nodes.filter((n) => n.block === 'output')).toHaveLength(1);
    expect(analyseDocument(doc).output).toEqual({ shape: [100], timed: false, kind: 'analog' });
  });

  it('the stem fires with the SpikeDHS neuron whose Dspike sharpness DGS searches, starting at b = 3', () => {
    const stem = build('cifar10').nodes.find((n) => n.id === 'stem_sn')!;
    expect(stem).toMatchObject({ block: 'spikedhs_neuron', params: { surrogate: { name: 'dspike', b: 3, c: 0.3 } } });
  });
});

// CIFAR100 is the CIFAR10 network with a wider readout
describeForwardPasses(spikedhs, (p) => p.name === 'cifar100');
