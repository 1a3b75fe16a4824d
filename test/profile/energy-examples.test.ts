/**
 * Spec §2's worked numbers, from the templates' own analysis and chosen firing rates.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument, type BodyInfo, type NodeInfo } from '../../engine/core/graph/infer.js';
import { measuredTensors, type TensorActivity } from '../../engine/core/profile/activity.js';
import { profileModel } from '../../engine/core/profile/profile.js';
import { buildTemplate } from '../../templates/index.js';

/** Every spike tensor at one firing rate (spike counts at `countMean` spikes per element). */
function uniform(doc: GraphDocument, analysis: ReturnType<typeof analyseDocument>, rate: number, countMean = rate): Map<string, TensorActivity> {
  const T = doc.timeSteps;
  return new Map(
    measuredTensors(analysis, { timeSteps: T, input: doc.input }).map((t) => {
      const r = t.type.kind === 'counts' ? countMean : rate;
      const analog = t.type.kind === 'analog' || t.type.kind === 'membrane';
      return [t.key, { perStep: Array<number>(T).fill(r), nonzeroPerStep: Array<number>(T).fill(analog ? 1 : Math.min(r, 1)) }];
    }),
  );
}

function synapticLeaves(body: BodyInfo): NodeInfo[] {
  return body.nodes.flatMap((n) => (n.inner ? synapticLeaves(n.inner) : n.macs > 0 ? [n] : []));
}

describe('CML-Spikingformer-8-768 (spec §2 worked example)', () => {
  const doc = buildTemplate('cml-spikingformer', '8-768');
  const analysis = analyseDocument(doc);
  // only the first conv (the image) and the head (membrane mean) are not spike-driven: MACs under syops
  const leaves = synapticLeaves(analysis.body);
  const nonSpike = leaves.filter((n) => n.synapticKind !== 'spikes' && n.block.id !== 'ssa_core');

  it('has the image conv and the head as its only MAC layers, 0.521 G MACs charged T times', () => {
    expect(nonSpike.map((n) => n.block.id)).toEqual(['conv2d', 'head']);
    const conv1 = 3 * 96 * 9 * 224 * 224;
    expect(nonSpike[0]!.macs).toBe(conv1 * doc.timeSteps);
    expect(nonSpike[1]!.macs).toBe(768 * 1000);
  });

  it('with the firing rates giving 15.455 G AC reproduces 16.31 mJ under syops', () => {
    // every spike layer's ACs are rate × its MACs (the SSA term too when fr_K = fr_V = fr_Q)
    const rate = 15.455e9 / analysis.spikeMacs;
    const p = profileModel(doc, analysis, { activity: uniform(doc, analysis, rate) });
    const e = p.totals.energy.syops;
    expect((e.macs / 1e9).toFixed(3)).toBe('0.521');
    expect(e.acs / 1e9).toBeCloseTo(15.455, 9);
    expect(e.mj.toFixed(2)).toBe('16.31');
    // the paper convention charges the first conv once: 3/4 of its MACs fewer
    expect(p.totals.energy.paper.macs).toBeCloseTo(nonSpike[0]!.macs / 4 + 768_000, 3);
  });
});

describe("Spikformer-8-768: the strict tool's figure against the papers' (spec §2, 'Consequence for Spikformer')", () => {
  const doc = buildTemplate('spikformer', '8-768');
  const analysis = analyseDocument(doc);
  const T = doc.timeSteps;
  const leaves = synapticLeaves(analysis.body);
  const countLayers = leaves.filter((n) => n.synapticKind === 'counts');
  const conv1 = leaves.find((n) => n.synapticKind === 'analog' && n.block.id === 'conv2d')!;

  it('reads spike counts in every Q/K/V and MLP fc1 (the residual stream of spike adds)', () => {
    expect(countLayers.map((n) => n.id)).toEqual(Array.from({ length: 8 }, () => ['q_linear', 'k_linear', 'v_linear', 'fc1_linear']).flat());
  });

  it('syops − paper = the count layers at 100 % MAC instead of AC at their rate, plus the first conv charged T−1 more times', () => {
    const rate = 0.15;
    const countMean = 0.3; // spike adds: up to 17 spikes per element in an 8-block stream
    const p = profileModel(doc, analysis, { activity: uniform(doc, analysis, rate, countMean) });
    const countMacs = countLayers.reduce((s, n) => s + n.macs, 0);
    const gapPj = 4.6 * countMacs - 0.9 * countMean * countMacs + 4.6 * conv1.macs * (1 - 1 / T);
    expect(p.totals.energy.syops.pj - p.totals.energy.paper.pj).toBeCloseTo(gapPj, -3);
    expect(p.totals.energy.syops.mj).toBeGreaterThan(p.totals.energy.paper.mj);
  });

  it('under the strict rule the count layers alone cost 25.9 G MAC = 119.1 mJ, whatever the firing rates', () => {
    // The published strict figure (32.07 mJ against 21.48) is below this floor, so it cannot come
    // from charging these layers' full T·FLOPs as MACs; what the authors' run counted differently
    // is not recoverable from the spec. The convention reports the rule as the tool states it.
    const countMacs = countLayers.reduce((s, n) => s + n.macs, 0);
    expect((countMacs / 1e9).toFixed(1)).toBe('25.9');
    const p = profileModel(doc, analysis, { activity: uniform(doc, analysis, 0, 0) });
    expect(p.totals.energy.syops.mj).toBeCloseTo(4.6e-9 * (countMacs + conv1.macs) + 4.6e-9 * 768_000, 6);
    expect(p.totals.energy.syops.mj.toFixed(1)).toBe('121.5');
  });
});
