/**
 * Names of the training step's inputs and outputs. A step's output `updated:<x>` is fed back as
 * input `<x>` of the next step; optimizer state is named as in checkpoints (`optim.<slot>.<param>`).
 */
export const STEP_INPUT = 'input';
export const STEP_LABELS = 'labels';
export const STEP_LR = 'lr';
/** The 1-based number of this step, as a float (Adam's bias corrections use it). */
export const STEP_COUNT = 'step';
export const STEP_LOSS = 'loss';
export const STEP_CORRECT = 'correct';
export const STEP_GRAD_NORM = 'grad_norm';
export const EVAL_LOGITS = 'logits';

const UPDATED = 'updated:';
const SPIKES = 'spikes:';

/** The output that carries the next value of a parameter, buffer or optimizer state. */
export function updatedName(name: string): string {
  return `${UPDATED}${name}`;
}

export function isUpdatedName(name: string): boolean {
  return name.startsWith(UPDATED);
}

export function updatedTarget(output: string): string {
  return output.slice(UPDATED.length);
}

/** Optimizer state of one parameter; the same key the checkpoint module writes. */
export function optimizerStateName(slot: string, param: string): string {
  return `optim.${slot}.${param}`;
}

/** The output that counts the spikes of one spiking layer. */
export function spikesName(layer: string): string {
  return `${SPIKES}${layer}`;
}
