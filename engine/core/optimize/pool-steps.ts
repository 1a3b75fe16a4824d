/**
 * A pool that reads a neuron's spikes pools each step inside the neuron, before the steps are
 * stacked (NeuronAttrs.pooled). Pooling works sample by sample, and the stack puts step t's samples
 * at rows t·N … (t + 1)·N − 1 of the map the pool reads, so pooling the steps one by one and
 * stacking the results is the same arithmetic on the same windows: exact. What it saves is the
 * stack of full-size spike maps — in inference also ONNX Runtime's blocked-layout reorder of it
 * (the LIF CNN at batch 64, 2 threads: 24–25 ms → 21–22 ms a run), in training also the split of
 * their full-size gradient, since the neuron's VJP unpools each step itself.
 *
 * The pattern is neuron → reshape to [T·N, C, H, W] → maxpool2d | avgpool2d, each value read once.
 * In a training step (max pools only: the VJP unpools by the saved indices) the spikes are also
 * read by the step's spike count, a chain of reshapes and sums down to a scalar: the neuron then
 * outputs that sum itself. A spike tensor read anywhere else (a profiler tap, a residual) keeps
 * its stack.
 */
import { indexGraph } from '../ir/graph-index.js';
import { numelOf } from '../ir/primitive.js';
import type { PoolAttrs } from '../ir/primitives/pool.js';
import type { IrGraph, IrNode, IrValue } from '../ir/types.js';
import type { NeuronAttrs, StepPool } from '../neurons/types.js';

const POOLS = new Set<string>(['maxpool2d', 'avgpool2d']);

export interface PoolStepsOptions {
  /** A training step's forward graph: max pools only, and the spike count taken into the neuron. */
  readonly training?: boolean;
}

export function poolSteps(graph: IrGraph, o: PoolStepsOptions = {}): { graph: IrGraph; pooled: number } {
  const { producer, uses } = indexGraph(graph);
  const readers = new Map<number, number[]>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((v) => readers.set(v, [...(readers.get(v) ?? []), i])));
  const nodes: (IrNode | undefined)[] = [...graph.nodes];
  const values: IrValue[] = [...graph.values];
  let pooled = 0;

  /** The nodes of a chain of reshapes and sums, from node `first` on, each value read once, down to a scalar; else undefined. */
  const countChain = (first: number): { at: number[]; total: number } | undefined => {
    const at: number[] = [];
    for (let i = first; ; ) {
      const n = graph.nodes[i]!;
      if (n.op !== 'reshape' && n.op !== 'reduce_sum') return undefined;
      at.push(i);
      const x = n.outputs[0]!;
      if (values[x]!.shape.length === 0) return n.op === 'reduce_sum' ? { at, total: x } : undefined;
      const r = readers.get(x) ?? [];
      if (r.length !== 1 || uses.get(x) !== 1) return undefined;
      i = r[0]!;
    }
  };

  graph.nodes.forEach((pool, pi) => {
    if (!(o.training ? pool.op === 'maxpool2d' : POOLS.has(pool.op)) || pool.outputs.length !== 1 || (pool.attrs as { save?: boolean }).save) return;
    const ri = producer.get(pool.inputs[0]!);
    const reshape = ri === undefined ? undefined : graph.nodes[ri];
    if (reshape?.op !== 'reshape' || uses.get(reshape.outputs[0]!) !== 1) return;
    const ni = producer.get(reshape.inputs[0]!);
    const neuron = ni === undefined ? undefined : graph.nodes[ni];
    if (neuron?.op !== 'neuron') return;
    const a = neuron.attrs as unknown as NeuronAttrs;
    if (a.save || a.membrane || a.pooled) return;
    const spikes = neuron.outputs[0]!;
    // the spikes' one other reader, in a training step, is its spike count
    const others = (readers.get(spikes) ?? []).filter((r) => r !== ri);
    const count = o.training && others.length === 1 && uses.get(spikes) === 2 ? countChain(others[0]!) : undefined;
    if (uses.get(spikes) !== 1 && !count) return;
    const [T, M] = values[spikes]!.shape as [number, number];
    const map = values[reshape.outputs[0]!]!.shape;
    if (map.length !== 4 || map[0]! % T !== 0 || numelOf(map) !== T * M) return;

    const step: StepPool = { op: pool.op as StepPool['op'], attrs: pool.attrs as unknown as PoolAttrs, map: [map[0]! / T, ...map.slice(1)], ...(count ? { count: true } : {}) };
    const out = values[pool.outputs[0]!]!.shape;
    const stacked = values.length;
    values.push({ id: stacked, shape: [T, numelOf(out) / T], dtype: 'float32' });
    nodes[ni!] = { ...neuron, outputs: [stacked, ...(count ? [count.total] : []), ...neuron.outputs.slice(1)], attrs: { ...neuron.attrs, pooled: step } };
    nodes[ri!] = undefined;
    for (const c of count?.at ?? []) nodes[c] = undefined;
    // the pool's output keeps its id, so every reader of it is untouched
    nodes[pi] = { op: 'reshape', inputs: [stacked], outputs: [pool.outputs[0]!], attrs: { shape: [...out] }, scope: pool.scope };
    pooled++;
  });

  return { graph: { ...graph, values, nodes: nodes.filter((n): n is IrNode => n !== undefined) }, pooled };
}
