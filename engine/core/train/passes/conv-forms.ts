/**
 * Picks the form of each conv input gradient for the thread count the step will run on
 * (notes/ort-training.md): ConvTranspose wins on one thread, the flipped-weight Conv scales with
 * more. Both compute the same gradient; the pass only changes an attribute.
 */
import type { ConvInputGradForm } from '../../ir/primitives/linalg.js';
import type { IrGraph } from '../../ir/types.js';

export function chooseConvGradForms(graph: IrGraph, threads: number): IrGraph {
  const form: ConvInputGradForm = threads <= 1 ? 'conv_transpose' : 'auto';
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.op === 'conv2d_input_grad' ? { ...n, attrs: { ...n.attrs, form } } : n)),
  };
}
