// Whole documents lowered in train mode with the gradients of Σ y·r with respect to the input and
// every trainable parameter: for tests of composite blocks as the compiler builds them.
import { gradients } from '../../../engine/core/autodiff/gradients.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { analyseDocument } from '../../../engine/core/graph/infer.js';
import { IrBuilder } from '../../../engine/core/ir/builder.js';
import type { IrGraph } from '../../../engine/core/ir/types.js';
import { lowerDocument } from '../../../engine/core/lower/lower.js';
import { formatProblem } from '../../../engine/core/problems.js';
import { pruneGraph } from '../../../engine/core/optimize/prune.js';

/** Outputs: y, g:input, g:<param> and the lowering's own (BN statistics); inputs: input, r, parameters. */
export function documentWithGradients(doc: GraphDocument, batch: number): IrGraph {
  const analysis = analyseDocument(doc);
  if (!analysis.ok) throw new Error(analysis.problems.map(formatProblem).join('\n'));
  const lowered = lowerDocument(doc, analysis, { batch, mode: 'train' });
  const b = IrBuilder.from(lowered.graph);
  const y = lowered.output.value;
  const r = b.input('r', b.shape(y));
  const rank = b.shape(y).length;
  const loss = b.op1('reduce_sum', [b.op1('mul', [y, r])], { axes: Array.from({ length: rank }, (_, i) => i), keepdims: false });
  b.output('y', y);
  const forward = b.build();
  const params = forward.params.filter((p) => p.role !== 'buffer');
  const { builder, grads } = gradients(forward, loss, [lowered.input.value, ...params.map((p) => p.value)]);
  builder.output('g:input', grads.get(lowered.input.value)!);
  for (const p of params) {
    const g = grads.get(p.value);
    if (g !== undefined) builder.output(`g:${p.name}`, g);
  }
  return pruneGraph(builder.build());
}
