/**
 * A deep model folded and unfolded, compared layer by layer. In a whole deep model one spike that
 * the fold's rounding flips at a threshold changes every layer after it, so here every neuron layer
 * of the folded model reads the unfolded model's spikes instead of its own: the IR's neuron outputs
 * are cut from their readers, which read graph inputs fed with the reference run's spikes. Each
 * neuron layer of the folded model then has the same input spikes as the reference and must give
 * the same spikes, except where the reference charge lies within the fold's own rounding of the
 * threshold (the first step a neuron differs at must be such a step; later steps of that neuron
 * follow from its different reset); the model's outputs (logits), computed from the same spikes, agree to
 * 1e-5 of their scale.
 */
import { expect } from 'vitest';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { primitive } from '../../../engine/core/ir/primitives/index.js';
import type { IrGraph, IrNode } from '../../../engine/core/ir/types.js';
import { foldLinearChains, type FoldMode } from '../../../engine/core/optimize/fold-linear-chains.js';
import { Rng } from '../../../engine/core/rng.js';
import { expectWithin } from '../../helpers/close.js';
import { openGraph } from '../../train/helpers/ir-session.js';
import { expectRelClose, prepared } from './fold.js';

interface NeuronLayer {
  readonly k: number;
  readonly node: IrNode;
}

/** `graph` with every neuron's spikes and input as outputs (`spk:k`, `x:k`), and, when `forced`, its readers fed from inputs `ref:k`. */
function tapped(graph: IrGraph, forced: boolean): { graph: IrGraph; layers: NeuronLayer[] } {
  const layers = graph.nodes.filter((n) => primitive(n.op).fires).map((node, k) => ({ k, node }));
  const values = [...graph.values];
  const inputs = [...graph.inputs];
  const swap = new Map<number, number>();
  if (forced) {
    for (const { k, node } of layers) {
      const s = node.outputs[0]!;
      const id = values.length;
      values.push({ ...graph.values[s]!, id });
      inputs.push({ name: `ref:${k}`, value: id });
      swap.set(s, id);
    }
  }
  const nodes = graph.nodes.map((n) => ({ ...n, inputs: n.inputs.map((v) => swap.get(v) ?? v) }));
  const outputs = [...graph.outputs, ...layers.flatMap(({ k, node }) => [{ name: `spk:${k}`, value: node.outputs[0]! }, { name: `x:${k}`, value: node.inputs[0]! }])];
  return { graph: { ...graph, values, inputs, nodes, outputs }, layers };
}

async function runGraph(graph: IrGraph, params: ReadonlyMap<string, Float32Array>, feeds: Record<string, Float32Array>): Promise<Record<string, Float32Array>> {
  const g = await openGraph(graph, params);
  try {
    return await g.run(feeds);
  } finally {
    await g.close();
  }
}

/** The preset's LIF (V_reset 0, decay_input, hard reset) on input x [rows, M] (rows 1: repeated `steps` times): its charges H [T, M] in float64. */
function lifCharges(x: Float32Array, rows: number, node: IrNode): Float64Array {
  const a = node.attrs as { charge: string; tau: number; decayInput: boolean; vReset: number | null; threshold: number; postResetDecay: number; steps?: number };
  // the rows this preset uses; another neuron would need its own charge here
  expect({ charge: a.charge, decayInput: a.decayInput, vReset: a.vReset, postResetDecay: a.postResetDecay }).toEqual({ charge: 'lif', decayInput: true, vReset: 0, postResetDecay: 1 });
  const m = x.length / rows;
  const T = a.steps ?? rows;
  const h = new Float64Array(T * m);
  for (let j = 0; j < m; j++) {
    let v = 0;
    for (let t = 0; t < T; t++) {
      const xt = x[(rows === 1 ? 0 : t) * m + j]!;
      const ht = v + (xt - v) / a.tau;
      h[t * m + j] = ht;
      v = ht >= a.threshold ? 0 : ht;
    }
  }
  return h;
}

export interface LayerByLayer {
  readonly chains: number;
  readonly neurons: number;
  readonly firingRate: number;
  /** Neurons whose first differing step had its charge within the fold's rounding of θ. */
  readonly nearThreshold: number;
}

/** Folds `doc`'s seeded, firing inference graph in `mode` and checks it layer by layer against the unfolded one (expects inside). */
export async function foldLayerByLayer(doc: GraphDocument, mode: FoldMode): Promise<LayerByLayer> {
  const { graph, params } = prepared(doc, 7);
  const input = graph.inputs.find((i) => i.name === 'input')!;
  const rng = Rng.fromSeed(11);
  const x = Float32Array.from({ length: graph.values[input.value]!.shape.reduce((a, b) => a * b, 1) }, () => rng.uniform());
  const free = tapped(graph, false);
  const forced = tapped(graph, true);
  const folded = foldLinearChains(forced.graph, params, mode);
  expect(folded.chains, 'chains folded').toBeGreaterThan(0);
  const ref = await runGraph(free.graph, params, { input: x });
  const feeds: Record<string, Float32Array> = { input: x };
  for (const { k } of free.layers) feeds[`ref:${k}`] = ref[`spk:${k}`]!;
  // the cut changes nothing by itself: the unfolded model reading its own spikes back gives them again
  const same = await runGraph(forced.graph, params, feeds);
  // (element by element: toEqual on tens of millions of elements ran the heap out on 8-768)
  for (const { k } of free.layers) expectWithin(same[`spk:${k}`]!, ref[`spk:${k}`]!, () => 0, `layer ${k} unfolded, forced`, 'exact');
  const got = await runGraph(folded.graph, folded.params, feeds);
  // the model's own outputs (logits), each computed from the same spikes, differ by rounding only
  for (const o of graph.outputs) expectRelClose(got[o.name]!, ref[o.name]!, 1e-5, `output ${o.name}, folded against unfolded`);

  let neurons = 0;
  let fired = 0;
  let nearThreshold = 0;
  for (const { k, node } of free.layers) {
    const [s, s2, xr, x2] = [ref[`spk:${k}`]!, got[`spk:${k}`]!, ref[`x:${k}`]!, got[`x:${k}`]!];
    const rows = graph.values[node.inputs[0]!]!.shape[0]!;
    // how far the fold moved this layer's input: the charge moves no further (a convex mix of inputs over steps)
    let tol = 0;
    let scale = 0;
    for (let i = 0; i < xr.length; i++) {
      tol = Math.max(tol, Math.abs(x2[i]! - xr[i]!));
      scale = Math.max(scale, Math.abs(xr[i]!));
    }
    // and that is float rounding, not a different function
    expect(tol / scale, `layer ${k}: the folded input against the unfolded`).toBeLessThan(1e-5);
    const theta = (node.attrs as { threshold: number }).threshold;
    const h = lifCharges(xr, rows, node);
    const m = xr.length / rows;
    const T = h.length / m;
    for (let j = 0; j < m; j++) {
      neurons++;
      for (let t = 0; t < T; t++) {
        fired += s[t * m + j]!;
        if (s[t * m + j] === s2[t * m + j]) continue;
        // the first step this neuron differs at: its charge must sit within the fold's rounding of θ
        expect(Math.abs(h[t * m + j]! - theta), `layer ${k} neuron ${j} step ${t}: charge ${h[t * m + j]} against θ ${theta}, fold moved inputs by ≤ ${tol}`).toBeLessThanOrEqual(2 * tol + 1e-6);
        nearThreshold++;
        break;
      }
    }
  }
  // the comparison is on a model that fires, and a flip stays the rare exception
  expect(fired / (neurons * doc.timeSteps)).toBeGreaterThan(0.05);
  expect(nearThreshold / neurons).toBeLessThan(1e-3);
  return { chains: folded.chains, neurons, firingRate: fired / (neurons * doc.timeSteps), nearThreshold };
}
