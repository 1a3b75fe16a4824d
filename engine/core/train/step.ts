/**
 * The training step as one IR graph: the document lowered in train mode (batch-statistics BN,
 * dropout), the loss and accuracy count, the backward pass from autodiff, the optimizer update,
 * and the rewrite passes. Inputs: the batch, labels, learning rate, step count, parameters and
 * optimizer state; outputs: loss, correct count, the next parameters/state/BN statistics
 * (`updated:<name>`) and per-layer spike counts (`spikes:<layer>`).
 */
import type { GraphDocument } from '../document/schema.js';
import type { GraphAnalysis } from '../graph/infer.js';
import { gradients } from '../autodiff/gradients.js';
import { IrBuilder } from '../ir/builder.js';
import type { IrGraph, IrParam } from '../ir/types.js';
import { lowerDocument } from '../lower/lower.js';
import { buildLoss, type LossSpec } from './loss.js';
import { STEP_CORRECT, STEP_COUNT, STEP_GRAD_NORM, STEP_LABELS, STEP_LOSS, STEP_LR, isUpdatedName, spikesName, updatedName, updatedTarget } from './names.js';
import { applyOptimizer, type OptimizerSpec } from './optimizer.js';
import { chooseConvGradForms } from './passes/conv-forms.js';
import { hoistRepeats } from '../optimize/hoist-repeats.js';
import { poolSteps } from '../optimize/pool-steps.js';
import { pruneGraph } from '../optimize/prune.js';
import { spikeCount, spikeLayers } from './spike-layers.js';
import { foldChargeGain } from './passes/fold-charge-gain.js';
import { NOISE_PREFIX } from '../lower/context.js';

export interface TrainStepOptions {
  readonly batch: number;
  readonly seed?: number;
  readonly loss: LossSpec;
  readonly optimizer: OptimizerSpec;
  /** Clip gradients to this global L2 norm. */
  readonly gradClip?: number;
  /** Threads the step will run on; picks the conv-gradient forms (default 2). */
  readonly threads?: number;
  /** Run the layers over a T-repeated input once on B (default true; exact). */
  readonly hoistRepeats?: boolean;
  /** Fold a LIF's 1/τ input gain into the BatchNorm before it (default true; exact for τ = 2^k). */
  readonly foldChargeGain?: boolean;
  /** Max-pool each step of a neuron's spikes inside the neuron (default true; exact: optimize/pool-steps). */
  readonly poolSteps?: boolean;
}

export interface StepSpikeLayer {
  readonly name: string;
  /** The step output holding the layer's spike count over the batch. */
  readonly output: string;
  readonly elements: number;
}

export interface TrainStepGraph {
  readonly graph: IrGraph;
  readonly batch: number;
  readonly timeSteps: number;
  /** The `input` tensor's shape ([B, ...] for images, [T·B, ...] for event frames). */
  readonly inputShape: readonly number[];
  /** Parameters and buffers, fed as graph inputs; initialise them from `init`. */
  readonly params: readonly (IrParam & { readonly shape: readonly number[] })[];
  /** Optimizer state inputs (zeros at step 1): name → shape. */
  readonly state: ReadonlyMap<string, readonly number[]>;
  /** Input name → the output that carries its value for the next step. */
  readonly feedback: ReadonlyMap<string, string>;
  readonly spikeLayers: readonly StepSpikeLayer[];
  readonly hasGradNorm: boolean;
  /** Noise inputs (rate encoding, dropout): uniform [0, 1) the host draws for every step. */
  readonly noise: readonly { readonly name: string; readonly shape: readonly number[] }[];
}

export function buildTrainStep(doc: GraphDocument, analysis: GraphAnalysis, o: TrainStepOptions): TrainStepGraph {
  const lowered = lowerDocument(doc, analysis, { batch: o.batch, mode: 'train', seed: o.seed ?? 0 });
  const b = IrBuilder.from(lowered.graph);
  const labels = b.input(STEP_LABELS, [o.batch], 'int64');
  const lr = b.input(STEP_LR, []);
  const step = b.input(STEP_COUNT, []);
  const { loss, correct } = buildLoss(b, { value: lowered.output.value, timed: lowered.output.type.timed }, labels, o.loss, doc.timeSteps);
  b.output(STEP_LOSS, loss);
  b.output(STEP_CORRECT, correct);
  const layers = spikeLayers(lowered.graph).map((l) => {
    b.output(spikesName(l.name), spikeCount(b, l.value));
    return { name: l.name, output: spikesName(l.name), elements: l.elements };
  });

  let forward = b.build();
  if (o.hoistRepeats ?? true) forward = hoistRepeats(forward);
  // pruned first: a dead reader left by hoisting would keep a BN output from looking single-use
  if (o.foldChargeGain ?? true) forward = foldChargeGain(pruneGraph(forward));
  if (o.poolSteps ?? true) forward = poolSteps(forward, { training: true }).graph;
  const lossValue = forward.outputs.find((out) => out.name === STEP_LOSS)!.value;
  const trainable = forward.params.filter((p) => p.role !== 'buffer');
  const diff = gradients(forward, lossValue, trainable.map((p) => p.value));
  const opt = applyOptimizer(diff.builder, trainable, diff.grads, o.optimizer, { lr, step }, o.gradClip);
  for (const [name, value] of opt.updates) diff.builder.output(updatedName(name), value);
  if (opt.gradNorm !== undefined) diff.builder.output(STEP_GRAD_NORM, opt.gradNorm);

  const graph = pruneGraph(chooseConvGradForms(diff.builder.build(), o.threads ?? 2));
  const feedback = new Map<string, string>();
  for (const out of graph.outputs) if (isUpdatedName(out.name)) feedback.set(updatedTarget(out.name), out.name);
  return {
    graph,
    batch: o.batch,
    timeSteps: doc.timeSteps,
    inputShape: graph.values[lowered.input.value]!.shape,
    params: graph.params.map((p) => ({ ...p, shape: graph.values[p.value]!.shape })),
    state: opt.state,
    feedback,
    spikeLayers: layers,
    hasGradNorm: opt.gradNorm !== undefined,
    noise: graph.inputs.filter((i) => i.name.startsWith(NOISE_PREFIX)).map((i) => ({ name: i.name, shape: graph.values[i.value]!.shape })),
  };
}
