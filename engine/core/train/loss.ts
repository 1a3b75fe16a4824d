/**
 * Losses on the model output, built from IR primitives so that autodiff derives their gradients:
 * cross-entropy with label smoothing on time-averaged logits (timm's recipe), TET on per-step
 * logits (spec §5.7), and MSE between firing rates and one-hot targets (SpikingJelly's examples).
 */
import type { IrBuilder } from '../ir/builder.js';

export type LossSpec =
  | { readonly kind: 'ce'; readonly labelSmoothing: number }
  | { readonly kind: 'tet'; readonly lambda: number; readonly means: number; readonly labelSmoothing: number }
  | { readonly kind: 'mse_rate' };

export interface ModelOutput {
  /** [B, C], or [T·B, C] when the head runs per time step. */
  readonly value: number;
  readonly timed: boolean;
}

export interface LossValues {
  readonly loss: number;
  /** How many of the batch the time-averaged output classifies right (a float scalar). */
  readonly correct: number;
}

export function buildLoss(b: IrBuilder, out: ModelOutput, labels: number, spec: LossSpec, timeSteps: number): LossValues {
  const shape = b.shape(out.value);
  if (shape.length !== 2) throw new Error(`the loss needs class scores [B, C]; the model output is [${out.timed ? 'T,' : ''}B,${shape.slice(1).join(',')}]`);
  const classes = shape[1]!;
  const batch = b.shape(labels)[0]!;
  const averaged = out.timed ? meanOverTime(b, out.value, timeSteps, batch) : out.value;
  const correct = b.op1('reduce_sum', [b.op1('equal', [b.op1('argmax', [averaged]), labels])], { axes: [0], keepdims: false });
  let loss: number;
  switch (spec.kind) {
    case 'ce':
      loss = crossEntropy(b, averaged, labels, classes, spec.labelSmoothing);
      break;
    case 'tet': {
      if (!out.timed) throw new Error('TET needs per-step logits: end the model with a head on a timed input, without a mean over T');
      // CE over all T·B rows with the labels broadcast over T equals (1/T)·Σ_t CE(O_t, y)
      const ce = crossEntropy(b, out.value, labels, classes, spec.labelSmoothing, timeSteps);
      const dev = b.op1('shift', [out.value], { offset: -spec.means });
      const mse = b.op1('reduce_mean', [b.op1('mul', [dev, dev])], { axes: [0, 1], keepdims: false });
      loss = b.op1('add', [b.op1('scale', [ce], { factor: 1 - spec.lambda }), b.op1('scale', [mse], { factor: spec.lambda })]);
      break;
    }
    case 'mse_rate': {
      const target = b.op1('onehot', [labels], { classes, on: 1, off: 0 });
      const dev = b.op1('sub', [averaged, target]);
      loss = b.op1('reduce_mean', [b.op1('mul', [dev, dev])], { axes: [0, 1], keepdims: false });
      break;
    }
  }
  return { loss, correct };
}

/** [T·B, C] → [B, C]. */
export function meanOverTime(b: IrBuilder, v: number, timeSteps: number, batch: number): number {
  const c = b.shape(v)[1]!;
  return b.op1('reduce_mean', [b.op1('reshape', [v], { shape: [timeSteps, batch, c] })], { axes: [0], keepdims: false });
}

/**
 * Mean over rows of −Σ_c t_c·log p_c with t = (1 − ε)·onehot + ε/C (PyTorch's label_smoothing).
 * With `steps`, logits are [steps·B, C] and each step is scored against the same labels.
 */
function crossEntropy(b: IrBuilder, logits: number, labels: number, classes: number, smoothing: number, steps = 1): number {
  const rows = b.shape(logits)[0]!;
  const logp = b.op1('log_softmax', [logits], { axis: 1 });
  const target = b.op1('onehot', [labels], { classes, on: 1 - smoothing + smoothing / classes, off: smoothing / classes });
  const scored = steps === 1 ? logp : b.op1('reshape', [logp], { shape: [steps, rows / steps, classes] });
  const total = b.op1('reduce_sum', [b.op1('mul', [scored, target])], { axes: steps === 1 ? [0, 1] : [0, 1, 2], keepdims: false });
  return b.op1('scale', [total], { factor: -1 / rows });
}
