/**
 * The evaluation model: the document lowered for inference (BN on running statistics, no
 * dropout) with parameters as graph inputs, so it shares the training run's parameter tensors.
 * Outputs the time-averaged logits and, per spiking layer, spike counts per sample (so a padded
 * last batch can be left out of the firing rates).
 */
import type { GraphDocument } from '../document/schema.js';
import type { GraphAnalysis } from '../graph/infer.js';
import { IrBuilder } from '../ir/builder.js';
import type { IrGraph } from '../ir/types.js';
import { lowerDocument } from '../lower/lower.js';
import { meanOverTime } from './loss.js';
import { EVAL_LOGITS, spikesName } from './names.js';
import { spikeLayers } from './spike-layers.js';

export interface EvalGraph {
  readonly graph: IrGraph;
  readonly inputShape: readonly number[];
  readonly spikeLayers: readonly { readonly name: string; readonly output: string; readonly elementsPerSample: number }[];
}

export function buildEvalGraph(doc: GraphDocument, analysis: GraphAnalysis, batch: number): EvalGraph {
  const lowered = lowerDocument(doc, analysis, { batch, mode: 'infer' });
  const b = IrBuilder.from(lowered.graph);
  const T = doc.timeSteps;
  const out = lowered.output.type.timed ? meanOverTime(b, lowered.output.value, T, batch) : lowered.output.value;
  b.output(EVAL_LOGITS, out);
  // spike tensors are time-major with the batch next ([T, B·…] or [T·B, …]): per-sample sums
  const layers = spikeLayers(lowered.graph).map((l) => {
    const perSample = l.elements / batch;
    const split = b.op1('reshape', [l.value], { shape: [T, batch, perSample / T] });
    b.output(spikesName(l.name), b.op1('reduce_sum', [split], { axes: [0, 2], keepdims: false }));
    return { name: l.name, output: spikesName(l.name), elementsPerSample: perSample };
  });
  return { graph: b.build(), inputShape: b.shape(lowered.input.value), spikeLayers: layers };
}
