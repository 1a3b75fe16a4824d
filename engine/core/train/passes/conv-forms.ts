/**
 * Picks the form of each conv gradient, a choice between fast forms of one op (notes/ort-training.md):
 *
 * - the input gradient by the thread count the step will run on: ConvTranspose wins on one thread,
 *   the flipped-weight Conv scales with more (an attribute of conv2d_input_grad);
 * - the weight gradient by shape (`convWeightGradForm`, whose thresholds sit with the forms): each
 *   conv2d_weight_grad becomes the row of its form.
 *
 * Every form computes the same gradient.
 */
import { convWeightGradForm, type Conv2dWeightGradAttrs } from '../../ir/primitives/conv-weight-grad.js';
import type { ConvInputGradForm } from '../../ir/primitives/linalg.js';
import type { IrGraph, IrNode } from '../../ir/types.js';

export function chooseConvGradForms(graph: IrGraph, threads: number): IrGraph {
  const form: ConvInputGradForm = threads <= 1 ? 'conv_transpose' : 'auto';
  const shape = (v: number) => graph.values[v]!.shape;
  const pick = (n: IrNode): IrNode => {
    if (n.op === 'conv2d_input_grad') return { ...n, attrs: { ...n.attrs, form } };
    if (n.op !== 'conv2d_weight_grad') return n;
    const chosen = convWeightGradForm(n.attrs as unknown as Conv2dWeightGradAttrs, shape(n.inputs[0]!), shape(n.inputs[1]!));
    return { ...n, op: `conv2d_weight_grad_${chosen}` };
  };
  return { ...graph, nodes: graph.nodes.map(pick) };
}
