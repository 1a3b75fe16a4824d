import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { measuredTensors, type TensorActivity } from '../../engine/core/profile/activity.js';
import { profileModel } from '../../engine/core/profile/profile.js';
import { smallGraph } from './small-graph.js';

const act = (perStep: number[], nonzeroPerStep = perStep): TensorActivity => ({ perStep, nonzeroPerStep });

describe('profile model: conv → LIF → linear → LIF, hand-computed', () => {
  const doc = smallGraph();
  const analysis = analyseDocument(doc);
  // lif1 fires 25 % then 50 % of its 32 neurons; lif2 1 of 3, then 2 of 3
  const activity = new Map([
    ['lif1:out', act([0.25, 0.5])],
    ['flatten:out', act([0.25, 0.5])],
    ['lif2:out', act([1 / 3, 2 / 3])],
  ]);
  const p = profileModel(doc, analysis, { activity });
  const row = (id: string) => p.rows.find((r) => r.id === id)!;

  it('measures the spike tensors, and the analog tensor a synapse reads (its nonzero share)', () => {
    expect(analysis.ok).toBe(true);
    expect(measuredTensors(analysis, { timeSteps: 2, input: doc.input }).map((t) => t.key)).toEqual(['encoder:out', 'lif1:out', 'flatten:out', 'lif2:out']);
  });

  it('counts dense MACs as info does: conv 16·9·2·T = 576, linear 32·3·T = 192', () => {
    expect(row('conv').macs).toBe(576);
    expect(row('fc').macs).toBe(192);
    expect(p.totals.macs).toBe(768);
    expect(p.totals.params).toBe(18 + 96 + 0);
  });

  it('reads and writes firing rates per step and averaged', () => {
    expect(row('fc').reads).toEqual([{ port: 'in', tensor: 'flatten:out', kind: 'spikes', rate: 0.375, perStep: [0.25, 0.5], nonzero: 0.375 }]);
    expect(row('lif2').writes[0]!.rate).toBeCloseTo(0.5, 12);
    expect(row('conv').reads[0]).toEqual({ port: 'in', tensor: 'encoder:out', kind: 'analog' });
  });

  it('paper: first conv MAC once (576/2), linear AC at its input rate (0.375·192)', () => {
    expect(row('conv').energy.paper).toMatchObject({ macs: 288, acs: 0 });
    expect(row('fc').energy.paper).toMatchObject({ macs: 0, acs: 72 });
    expect(p.totals.energy.paper.pj).toBeCloseTo(288 * 4.6 + 72 * 0.9, 9); // 1389.6 pJ
  });

  it('syops: first conv MAC T times, linear AC', () => {
    expect(row('conv').energy.syops).toMatchObject({ macs: 576, acs: 0 });
    expect(row('fc').energy.syops).toMatchObject({ macs: 0, acs: 72 });
    expect(p.totals.energy.syops.pj).toBeCloseTo(576 * 4.6 + 72 * 0.9, 9); // 2714.4 pJ
    expect(p.totals.energy.syops.mj).toBeCloseTo(2714.4e-9, 18);
  });

  it('neurobench: Dense, Eff_MACs on the analog image, Eff_ACs on nonzero spikes; membrane updates; sparsity', () => {
    expect(row('conv').synaptic).toEqual({ dense: 576, effMacs: 576, effAcs: 0 });
    expect(row('fc').synaptic).toEqual({ dense: 192, effMacs: 0, effAcs: 72 });
    expect(p.totals.synaptic).toEqual({ dense: 768, effMacs: 576, effAcs: 72 });
    expect(p.totals.energy.neurobench.pj).toBeCloseTo(576 * 4.6 + 72 * 0.9, 9);
    expect(row('lif1').membraneUpdates).toBe(64); // 2·4·4 neurons × T
    expect(row('lif2').membraneUpdates).toBe(6);
    expect(p.totals.membraneUpdates).toBe(70);
    expect(row('lif1').sparsity).toBeCloseTo(0.625, 12);
    expect(p.totals.activationSparsity).toBeCloseTo((0.625 * 64 + 0.5 * 6) / 70, 12);
  });

  it('neurobench counts the MACs on nonzero image values only; paper and syops do not look', () => {
    const sparseImage = profileModel(doc, analysis, { activity: new Map([...activity, ['encoder:out', act([0.1, 0.1], [0.75, 0.75])]]) });
    const conv = sparseImage.rows.find((r) => r.id === 'conv')!;
    expect(conv.reads[0]).toEqual({ port: 'in', tensor: 'encoder:out', kind: 'analog', nonzero: 0.75 });
    expect(conv.synaptic).toEqual({ dense: 576, effMacs: 432, effAcs: 0 });
    expect(conv.energy.syops.macs).toBe(576);
    expect(conv.energy.paper.macs).toBe(288);
  });

  it('neurobench counts only nonzero inputs where they differ from the mean (spike counts)', () => {
    // the same linear fed a count tensor: mean 0.5 spikes per element, but only 30 % nonzero
    const counts = profileModel(doc, analysis, { activity: new Map([...activity, ['flatten:out', act([0.5, 0.5], [0.3, 0.3])]]) });
    const fc = counts.rows.find((r) => r.id === 'fc')!;
    expect(fc.energy.paper.acs).toBeCloseTo(96, 9); // rate (mean) · 192
    expect(fc.energy.neurobench.acs).toBeCloseTo(0.3 * 192, 9); // binary kind: ACs on nonzero inputs
  });

  it('E_MAC and E_AC are settable', () => {
    const q = profileModel(doc, analysis, { activity, costs: { macPj: 3.1, acPj: 0.1 } });
    expect(q.totals.energy.paper.pj).toBeCloseTo(288 * 3.1 + 72 * 0.1, 9);
  });

  it('activation memory: per node bytes and the peak live set (conv out + lif1 out = 512 B)', () => {
    expect(row('conv').activationBytes).toBe(2 * 16 * 2 * 4);
    expect(row('mean_t').activationBytes).toBe(12);
    expect(p.totals.peakActivationBytes).toBe(512);
  });

  it('time per node comes from the ops under its scope', () => {
    const times = new Map([
      ['conv', 0.5],
      ['lif1', 0.25],
      ['', 0.125],
    ]);
    const t = profileModel(doc, analysis, { activity, times });
    expect(t.rows.find((r) => r.id === 'conv')!.timeMs).toBe(0.5);
    expect(t.rows.find((r) => r.id === 'fc')!.timeMs).toBe(0);
    expect(t.totals.timeMs).toBe(0.875);
    expect(t.totals.unattributedMs).toBe(0.125);
  });
});
