/**
 * A LIF (a row of the neuron table whose tricks include `foldsGain`) with decay_input charges H = (1 − 1/τ)·V + X/τ: one multiply by 1/τ over the whole
 * [T, M] input forward, and one more over its gradient backward. When X is a BatchNorm's output
 * (through reshapes, read by nothing else), that 1/τ folds into the BN's affine — γ/τ and β/τ are
 * [C] tensors — and the neuron becomes the same LIF without input decay (H = (1 − 1/τ)·V + X').
 * Only for a reset to 0 (hard or soft), where the two forms differ by nothing but where X is
 * scaled; bit-identical when τ is a power of two. Gradients for γ and β flow through the scale.
 */
import { IrBuilder } from '../../ir/builder.js';
import { indexGraph } from '../../ir/graph-index.js';
import type { IrGraph, IrNode } from '../../ir/types.js';
import { chargeRule } from '../../neurons/table.js';
import type { NeuronAttrs } from '../../neurons/types.js';

const BATCHNORMS = new Set(['batchnorm_train', 'batchnorm']);

export function foldChargeGain(graph: IrGraph): IrGraph {
  const { producer, uses } = indexGraph(graph);

  /** BN node index → the factor its affine takes; neuron node indices to rewrite. */
  const bnFactor = new Map<number, number>();
  const neurons = new Set<number>();
  graph.nodes.forEach((n, i) => {
    if (n.op !== 'neuron') return;
    const a = n.attrs as unknown as NeuronAttrs;
    if (!chargeRule(a.charge).tricks.foldsGain || !a.decayInput || (a.vReset ?? 0) !== 0 || !Number.isFinite(a.tau)) return;
    const bn = batchNormBehind(n.inputs[0]!);
    if (bn === undefined || bnFactor.has(bn)) return;
    bnFactor.set(bn, 1 / a.tau!);
    neurons.add(i);
  });
  if (neurons.size === 0) return graph;

  function batchNormBehind(x: number): number | undefined {
    for (let v = x; ; ) {
      const at = producer.get(v);
      if (at === undefined || uses.get(v) !== 1) return undefined;
      const node = graph.nodes[at]!;
      if (BATCHNORMS.has(node.op)) return node.outputs[0] === v ? at : undefined;
      if (node.op !== 'reshape') return undefined;
      v = node.inputs[0]!;
    }
  }

  const b = IrBuilder.from({ ...graph, nodes: [], outputs: [] });
  graph.nodes.forEach((node, i) => {
    b.withScope(node.scope, () => {
      const factor = bnFactor.get(i);
      let out: IrNode = node;
      if (factor !== undefined) {
        const [x, w, bias, ...rest] = node.inputs;
        const scaled = [w!, bias!].map((v) => b.op1('scale', [v], { factor }));
        out = { ...node, inputs: [x!, ...scaled, ...rest] };
      } else if (neurons.has(i)) {
        out = { ...node, attrs: { ...node.attrs, decayInput: false } };
      }
      b.append(out);
    });
  });
  for (const o of graph.outputs) b.output(o.name, o.value);
  return b.build();
}
