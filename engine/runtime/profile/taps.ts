/**
 * The inference model's activity taps: for every measured tensor of the document, extra outputs
 * with its sum per time step and sample ([T, B]) and, except for binary spikes (where it is the
 * sum), its nonzero elements. The
 * reductions run inside ONNX Runtime, so a profile copies out a few numbers per layer instead of
 * whole spike tensors.
 */
import type { MeasuredTensor } from '../../core/profile/activity.js';
import type { IrBuilder } from '../../core/ir/builder.js';
import type { LoweredModel } from '../../core/lower/lower.js';
import { numel } from '../../core/tensor.js';

export interface ActivityTap {
  readonly key: string;
  /** Output holding Σ values per [step, sample]. */
  readonly sum: string;
  /** Output holding the nonzero count per [step, sample] (absent for spikes: there it is the sum). */
  readonly nonzero?: string;
  /** Elements of one sample at one step. */
  readonly elements: number;
  readonly steps: number;
}

export const TAP_PREFIX = 'profile:';

/** 1 where x ≠ 0: x > 0 for spike counts, (x > 0) + (−x > 0) for values of either sign. */
function nonzero(b: IrBuilder, x: number, nonNegative: boolean): number {
  const positive = (v: number) => b.op1('heaviside', [v], { threshold: 0, strict: true, surrogate: { name: 'sigmoid', alpha: 4 } });
  return nonNegative ? positive(x) : b.op1('add', [positive(x), positive(b.op1('neg', [x]))]);
}

/** The IR scope of the taps' own ops, so their time is told apart from the model's. */
export const TAP_SCOPE = 'profile:taps';

export function activityTaps(tensors: readonly MeasuredTensor[], timeSteps: number, batch: number): { taps: ActivityTap[]; add: (b: IrBuilder, lowered: LoweredModel) => void } {
  const taps: ActivityTap[] = tensors.map((t) => ({
    key: t.key,
    sum: `${TAP_PREFIX}sum:${t.key}`,
    ...(t.type.kind === 'spikes' ? {} : { nonzero: `${TAP_PREFIX}nonzero:${t.key}` }),
    elements: numel(t.type.shape),
    steps: t.type.timed ? timeSteps : 1,
  }));
  const add = (b: IrBuilder, lowered: LoweredModel): void => b.withScope(TAP_SCOPE, () => addTaps(b, lowered));
  const addTaps = (b: IrBuilder, lowered: LoweredModel): void => {
    for (const tap of taps) {
      const v = lowered.nodeOutputs.get(tap.key);
      if (!v) throw new Error(`profile: the lowered model has no tensor for ${tap.key}`);
      // time-major rows ([T·B, …] or [T, B·…]): a [steps, B, elements] view sums each sample's step
      const perSample = (x: number) => b.op1('reduce_sum', [b.op1('reshape', [x], { shape: [tap.steps, batch, tap.elements] })], { axes: [2], keepdims: false });
      b.output(tap.sum, perSample(v.value));
      if (tap.nonzero) b.output(tap.nonzero, perSample(nonzero(b, v.value, v.type.kind === 'counts')));
    }
  };
  return { taps, add };
}
