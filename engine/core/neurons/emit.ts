/**
 * The shared fire / reset / BPTT emitter of the neuron table's rows. Fire is Θ(H − θ) with the
 * row's surrogate backward; reset is hard (to V_reset, through float keep-masks, never Where:
 * notes/ort-training.md) or soft (subtract θ). The charge comes from the row:
 *
 * - affine rows (no drive, no second state) charge H[t] = a·V[t−1] + X'[t] with X' = p·X + q
 *   computed once for all T: two elementwise ops a step, and the tricks the row allows (affine.ts);
 * - the other rows charge H = V + κ·(X + g(V)) with g an expression (expr.ts) and may carry an
 *   adaptive threshold; their BPTT reads ∂H[t]/∂V[t−1], saved by the forward (general.ts).
 *
 * The VJP is BPTT through the same recurrence with the surrogate derivative in place of Θ'.
 */
import type { OnnxEmitter } from '../onnx/emitter.js';
import { emitAffineGrad, emitAffineNeuron, splitSteps, stackSteps, type StackSteps, type UnstackSteps } from './affine.js';
import { emitGeneralGrad, emitGeneralNeuron, generalSavedSteps } from './general.js';
import { chargeRule } from './table.js';
import type { ChargeRule, NeuronAttrs } from './types.js';

export { stepsOf } from './types.js';

/** True where the row's charge is affine in V with no second state: the fast emission. */
function isAffine(row: ChargeRule): boolean {
  return row.drive === undefined && row.adaptation === undefined;
}

/** Whether the neuron op takes the row's learned parameter as its second input. */
export function hasLearnedRate(a: NeuronAttrs): boolean {
  return chargeRule(a.charge).rate === 'learned';
}

/**
 * What the training form saves, per step [1, M]: the charge H[t] for every step, then for a hard
 * reset the keep mask 1 − S[t] of every step but the last (the forward computes both anyway).
 * Kept per step, not concatenated: the backward walks the steps, so no copy and no split is needed.
 * A decayed-keep LIF saves the surrogate derivative g'(H[t] − θ) in place of H[t]: the backward
 * needs nothing else of H, and the forward computes it while H[t] is still in cache, where the
 * backward would read H back from memory (the step is memory-bound: notes/ort-training.md).
 * A row with a drive also saves ∂H[t]/∂V[t−1] for t ≥ 1 (where it is not a constant), and an
 * adaptive one its A[t] for t ≥ 1 (general.ts).
 */
export function savedSteps(T: number, a: NeuronAttrs): number {
  const row = chargeRule(a.charge);
  return isAffine(row) ? T + (a.vReset === null ? 0 : T - 1) : generalSavedSteps(T, a, row);
}

/** Outputs the profile form adds after the spikes: H, then for an adaptive row its threshold θ + A[t]. */
export function membraneOutputs(a: NeuronAttrs): number {
  if (!a.membrane) return 0;
  return chargeRule(a.charge).adaptation ? 2 : 1;
}

/**
 * `stackSpikes` writes the per-step spikes [1, M] to the spike output (default: one Concat; a
 * pooled neuron pools each step first).
 */
export function emitNeuron(e: OnnxEmitter, inputs: readonly string[], outputs: readonly string[], shape: readonly number[], a: NeuronAttrs, stackSpikes: StackSteps = stackSteps): void {
  const row = chargeRule(a.charge);
  if (isAffine(row)) emitAffineNeuron(e, inputs, outputs, shape, a, row, stackSpikes);
  else emitGeneralNeuron(e, inputs, outputs, shape, a, row, stackSpikes);
}

/** `unstack` reads dL/dS as per-step tensors [1, M] (default: one Split; a pooled neuron unpools each step). */
export function emitNeuronGrad(
  e: OnnxEmitter,
  inputs: readonly string[],
  outputs: readonly string[],
  inShapes: readonly (readonly number[])[],
  a: NeuronAttrs,
  unstack: UnstackSteps = splitSteps,
): void {
  const row = chargeRule(a.charge);
  if (isAffine(row)) emitAffineGrad(e, inputs, outputs, inShapes, a, row, unstack);
  else emitGeneralGrad(e, inputs, outputs, inShapes, a, row, unstack);
}
