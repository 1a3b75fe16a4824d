/**
 * The spiking layers of a lowered graph (every op whose primitive row `fires`), named by
 * the document node they were lowered from, for firing rates in training and evaluation.
 */
import { countRows, numelOf } from '../ir/primitive.js';
import { primitive } from '../ir/primitives/index.js';
import type { IrBuilder } from '../ir/builder.js';
import type { IrGraph } from '../ir/types.js';

export interface SpikeLayer {
  /** The document node's dotted path (`block1.attn.q_lif`), with `#2`… where a node fires twice. */
  readonly name: string;
  /** The spike tensor in the forward graph. */
  readonly value: number;
  /** Its element count over all T·B (a firing rate is count / elements). */
  readonly elements: number;
}

export function spikeLayers(graph: IrGraph): SpikeLayer[] {
  const seen = new Map<string, number>();
  const layers: SpikeLayer[] = [];
  for (const n of graph.nodes) {
    if (!primitive(n.op).fires) continue;
    const base = n.scope || n.op;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    const value = n.outputs[0]!;
    layers.push({ name: k === 1 ? base : `${base}#${k}`, value, elements: numelOf(graph.values[value]!.shape) });
  }
  return layers;
}

/**
 * Σ of a spike tensor, for a step's spike count. ORT reduces a whole tensor to a scalar on one
 * thread (3.1 ms for layer 1 of the training bench's CNN); summing the rows of a [rows, n/rows]
 * view first uses every thread (1.8 ms). The partial sums are integers, exact in float32 up to
 * 2^24, so below that the order of the sums cannot change a count (and above it the row sums
 * round less than one long sum did).
 */
export function spikeCount(b: IrBuilder, value: number): number {
  const shape = b.shape(value);
  const n = numelOf(shape);
  const rows = countRows(n);
  if (rows === undefined) return b.op1('reduce_sum', [value], { axes: shape.map((_, i) => i), keepdims: false });
  const perRow = b.op1('reduce_sum', [b.op1('reshape', [value], { shape: [rows, n / rows] })], { axes: [1], keepdims: false });
  return b.op1('reduce_sum', [perRow], { axes: [0], keepdims: false });
}
