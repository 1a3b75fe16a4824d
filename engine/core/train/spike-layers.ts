/**
 * The spiking layers of a lowered graph (every op that fires: neurons and Heavisides), named by
 * the document node they were lowered from, for firing rates in training and evaluation.
 */
import { numelOf } from '../ir/primitive.js';
import type { IrGraph } from '../ir/types.js';

export interface SpikeLayer {
  /** The document node's dotted path (`block1.attn.q_lif`), with `#2`… where a node fires twice. */
  readonly name: string;
  /** The spike tensor in the forward graph. */
  readonly value: number;
  /** Its element count over all T·B (a firing rate is count / elements). */
  readonly elements: number;
}

const FIRING_OPS = new Set(['neuron', 'heaviside']);

export function spikeLayers(graph: IrGraph): SpikeLayer[] {
  const seen = new Map<string, number>();
  const layers: SpikeLayer[] = [];
  for (const n of graph.nodes) {
    if (!FIRING_OPS.has(n.op)) continue;
    const base = n.scope || n.op;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    const value = n.outputs[0]!;
    layers.push({ name: k === 1 ? base : `${base}#${k}`, value, elements: numelOf(graph.values[value]!.shape) });
  }
  return layers;
}
