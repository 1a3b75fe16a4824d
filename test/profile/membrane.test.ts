/**
 * Membrane traces from the model's own neuron op (its profile form) against the neuron recursions
 * written out here step by step, on small graphs with chosen weights: LIF with a hard and a soft
 * reset, the adaptive threshold of ALIF, and a parallel spiking neuron's one matrix product.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { Rng } from '../../engine/core/rng.js';
import { mostActive } from '../../engine/runtime/profile/membrane.js';
import { profileRun } from '../../engine/runtime/profile/profile-run.js';
import { sampleView } from '../../engine/runtime/profile/raster.js';
import { GraphBuilder } from '../../templates/builder.js';
import { smallGraph } from './small-graph.js';

/** A LIF (decay_input) step by step: H = V + (X − (V − v_r))/τ; fire H ≥ θ; hard reset to v_r, or soft (V = H − θ·S). */
function lifReference(x: readonly number[], p: { tau: number; threshold: number; vReset: number | null }): { h: number[]; s: number[] } {
  const h: number[] = [];
  const s: number[] = [];
  let v = p.vReset ?? 0;
  for (const xt of x) {
    const ht = v + (xt - (v - (p.vReset ?? 0))) / p.tau;
    const st = ht >= p.threshold ? 1 : 0;
    h.push(ht);
    s.push(st);
    v = p.vReset === null ? ht - st * p.threshold : st ? p.vReset : ht;
  }
  return { h, s };
}

/** ALIF: the LIF charge, fire when H ≥ θ + A, A ← (1 − 1/τ_a)·A + β·S, hard reset to 0. */
function alifReference(x: readonly number[], p: { tau: number; threshold: number; beta: number; tauAdapt: number }): { h: number[]; s: number[]; theta: number[] } {
  const h: number[] = [];
  const s: number[] = [];
  const theta: number[] = [];
  let v = 0;
  let a = 0;
  for (const xt of x) {
    const ht = v + (xt - v) / p.tau;
    const st = ht >= p.threshold + a ? 1 : 0;
    h.push(ht);
    s.push(st);
    theta.push(p.threshold + a);
    v = st ? 0 : ht;
    a = (1 - 1 / p.tauAdapt) * a + p.beta * st;
  }
  return { h, s, theta };
}

/** input [F] → direct encoder → linear(F → N, no bias) → the neuron → mean over T. */
function vectorGraph(F: number, N: number, T: number, neuron: [string, Record<string, unknown>]): GraphDocument {
  const g = new GraphBuilder();
  const x = g.add('input', 'input');
  const y = g.chain(x, [
    ['encoder', 'direct_encoder', {}],
    ['fc', 'linear', { outFeatures: N, bias: false }],
    ['neuron', neuron[0], neuron[1]],
    ['mean_t', 'mean_time', {}],
  ]);
  g.add('output', 'output', {}, y);
  return { format: 'snn-studio/graph', version: 1, name: 'membrane graph', timeSteps: T, input: { shape: [F], kind: 'vector' }, ...g.body() } as GraphDocument;
}

/** W·x for a row-major [N, F] weight. */
function charges(w: Float32Array, x: Float32Array, N: number, F: number): number[] {
  return Array.from({ length: N }, (_, n) => {
    let acc = 0;
    for (let f = 0; f < F; f++) acc += w[n * F + f]! * x[f]!;
    return Math.fround(acc);
  });
}

const column = (m: readonly (readonly number[])[], k: number) => m.map((row) => row[k]!);

describe('membrane traces', () => {
  it('the small graph: lif1 charges 1.5, 1.5 on a 3.0 pixel and 0.75, 1.125 on a 1.5 pixel (τ 2, θ 1, hard reset)', async () => {
    const conv = new Float32Array(18);
    conv[4] = 1;
    conv[13] = 0.5;
    const params = new Map([
      ['conv.weight', conv],
      ['fc.weight', new Float32Array(96)],
    ]);
    const image = Float32Array.from({ length: 16 }, (_, i) => (i < 4 ? 3 : i < 8 ? 1.5 : 0.5));
    const view = await sampleView(smallGraph(), [], image, { params, threads: 1, membrane: { node: 'lif1', neurons: [0, 4, 8, 16] } });
    const m = view.membrane!;
    expect(m.tensor).toBe('lif1:out');
    expect(m.neurons).toBe(32);
    expect(m.threshold).toBe(1);
    expect(m.thresholds).toBeUndefined();
    // neuron 16 is channel 1's first pixel: half of 3.0
    expect(m.membrane).toEqual([
      [1.5, 0.75, 0.25, 0.75],
      [1.5, 1.125, 0.375, 1.125],
    ]);
    expect(m.spikes).toEqual([
      [1, 0, 0, 0],
      [1, 1, 0, 1],
    ]);
  });

  for (const vReset of [0, null, -0.25] as const) {
    it(`a LIF over T = 12 (τ 3, θ 0.8, ${vReset === null ? 'soft reset' : `hard reset to ${vReset}`}) equals its recursion on random charges`, async () => {
      const F = 6;
      const N = 5;
      const T = 12;
      const doc = vectorGraph(F, N, T, ['lif', { tau: 3, threshold: 0.8, vReset }]);
      const rng = Rng.fromSeed(7);
      const w = Float32Array.from({ length: N * F }, () => 2 * rng.uniform() - 1);
      const x = Float32Array.from({ length: F }, () => 3 * rng.uniform());
      const view = await sampleView(doc, [], x, { params: new Map([['fc.weight', w]]), threads: 1, membrane: { node: 'neuron', neurons: [0, 1, 2, 3, 4] } });
      const m = view.membrane!;
      const X = charges(w, x, N, F);
      let fired = 0;
      for (let k = 0; k < N; k++) {
        const ref = lifReference(Array(T).fill(X[k]), { tau: 3, threshold: 0.8, vReset });
        const got = column(m.membrane, k);
        got.forEach((h, t) => expect(h).toBeCloseTo(ref.h[t]!, 5));
        expect(column(m.spikes, k)).toEqual(ref.s);
        fired += ref.s.reduce((a, b) => a + b, 0);
      }
      expect(fired).toBeGreaterThan(0); // the weights make some of them fire: the resets are exercised
    });
  }

  it('an ALIF reports its moving threshold θ + A[t] beside the charge, both equal to the recursion', async () => {
    const T = 10;
    const doc = vectorGraph(2, 2, T, ['alif', { tau: 2, threshold: 0.5, beta: 0.3, tauAdapt: 4 }]);
    const w = Float32Array.of(1, 0, 0, 1);
    const x = Float32Array.of(1.2, 0.7);
    const view = await sampleView(doc, [], x, { params: new Map([['fc.weight', w]]), threads: 1, membrane: { node: 'neuron', neurons: [0, 1] } });
    const m = view.membrane!;
    for (let k = 0; k < 2; k++) {
      const ref = alifReference(Array(T).fill(x[k]), { tau: 2, threshold: 0.5, beta: 0.3, tauAdapt: 4 });
      column(m.membrane, k).forEach((h, t) => expect(h).toBeCloseTo(ref.h[t]!, 5));
      column(m.thresholds!, k).forEach((th, t) => expect(th).toBeCloseTo(ref.theta[t]!, 5));
      expect(column(m.spikes, k)).toEqual(ref.s);
      expect(new Set(ref.theta).size).toBeGreaterThan(1); // the threshold did move
    }
  });

  it('a parallel spiking neuron: its charge H = W·X + b over all steps, fired at 0', async () => {
    const T = 4;
    const doc = vectorGraph(2, 2, T, ['psn', {}]);
    const fc = Float32Array.of(1, 0, 0, 1);
    const x = Float32Array.of(0.5, -0.25);
    // W[t][j]: row t mixes the T copies of the (direct-encoded, so constant) input
    const w = Float32Array.from({ length: T * T }, (_, i) => ((i % 5) - 2) / 4);
    const b = Float32Array.of(0.1, -0.2, 0.3, 0);
    const params = new Map([
      ['fc.weight', fc],
      ['neuron.weight', w],
      ['neuron.bias', b],
    ]);
    const view = await sampleView(doc, [], x, { params, threads: 1, membrane: { node: 'neuron', neurons: [0, 1] } });
    const m = view.membrane!;
    expect(m.threshold).toBe(0);
    for (let k = 0; k < 2; k++) {
      for (let t = 0; t < T; t++) {
        let h = b[t]!;
        for (let j = 0; j < T; j++) h += w[t * T + j]! * x[k]!;
        expect(m.membrane[t]![k]).toBeCloseTo(h, 6);
        expect(m.spikes[t]![k]).toBe(h >= 0 ? 1 : 0);
      }
    }
  });

  it('traces by default the neurons that fired most, then those charged highest, then the lowest index', () => {
    // T = 2, M = 5: neuron 3 fires twice, 1 and 4 once; of the silent ones 2 came nearest (0.9)
    const spikes = Float32Array.of(0, 1, 0, 1, 0, 0, 0, 0, 1, 1);
    const charge = Float32Array.of(0.1, 1.2, 0.9, 1.5, 0.3, 0.2, 0.5, 0.7, 1.1, 1.0);
    expect(mostActive(spikes, charge, 2, 5, 2)).toEqual([1, 3]);
    expect(mostActive(spikes, charge, 2, 5, 4)).toEqual([1, 2, 3, 4]);
    // 1 and 4 fired once each, 1 peaked at 1.2 and 4 at 1.0
    expect(mostActive(spikes, charge, 2, 5, 3)).toEqual([1, 3, 4]);
    expect(mostActive(new Float32Array(4), Float32Array.of(0, 0, 0.5, -1), 1, 4, 2)).toEqual([0, 2]);
  });

  it('profileRun shows the sample asked for: its rasters and trace differ from sample 0, and bad requests are refused by name', async () => {
    const doc = smallGraph();
    const conv = new Float32Array(18);
    conv[4] = 1;
    conv[13] = 0.5;
    const params = new Map([
      ['conv.weight', conv],
      ['fc.weight', new Float32Array(96)],
    ]);
    const bright = Float32Array.from({ length: 16 }, (_, i) => (i < 4 ? 3 : 0.5));
    const dark = new Float32Array(16).fill(0.25);
    const batches = () => [{ x: Float32Array.of(...bright, ...dark, ...bright), size: 3 }];
    const opts = { batch: 3, samples: 3, params, threads: 1 };
    const first = await profileRun(doc, batches(), { ...opts, membrane: { node: 'lif1' } });
    const second = await profileRun(doc, batches(), { ...opts, sample: 1, membrane: { node: 'lif1' } });
    expect(first.sample).toBe(0);
    expect(second.sample).toBe(1);
    const lif1 = (r: typeof first) => r.rasters.find((x) => x.tensor === 'lif1:out')!.spikes.flat();
    expect(lif1(first).some((s) => s === 1)).toBe(true);
    expect(lif1(second).every((s) => s === 0)).toBe(true); // 0.25 charges 0.125, 0.1875: never fires
    expect(first.membrane!.shown).toEqual([0, 1, 2, 3]); // the 3.0 pixels fire at both steps
    expect(second.membrane!.membrane[0]![0]).toBeCloseTo(0.125, 6);

    await expect(profileRun(doc, batches(), { ...opts, sample: 3 })).rejects.toThrow(/sample 3 is not among the 3 samples profiled/);
    await expect(profileRun(doc, batches(), { ...opts, membrane: { node: 'conv' } })).rejects.toThrow(/"conv" \(conv2d\) is not a neuron layer/);
    await expect(profileRun(doc, batches(), { ...opts, membrane: { node: 'lif9' } })).rejects.toThrow(/no node "lif9"/);
    await expect(profileRun(doc, batches(), { ...opts, membrane: { node: 'lif2', neurons: [3] } })).rejects.toThrow(/neuron 3 is not in "lif2" \(its 3 neurons are 0 to 2\)/);
  });
});
