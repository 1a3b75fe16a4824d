/** Normalisations. */
import type { Primitive } from '../primitive.js';

/**
 * BatchNorm with fixed statistics (inference): x [M, C, ...], weight/bias/mean/var [C].
 * Training-mode BN (batch statistics, running-stat update) is a separate op of the training compiler.
 */
export const batchnorm: Primitive<{ eps: number }> = {
  shape: ([x, w]) => {
    if (x!.shape[1] !== w!.shape[0]) throw new Error(`batchnorm: ${x!.shape[1]} channels but ${w!.shape[0]} parameters`);
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => e.nodeTo('BatchNormalization', io.inputs, io.outputs, { epsilon: { float: a.eps } }),
};

/** LayerNorm over the last dim: x [..., D], weight/bias [D]. */
export const layernorm: Primitive<{ eps: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('LayerNormalization', io.inputs, io.outputs, { axis: -1, epsilon: { float: a.eps } }),
};

export const softmax: Primitive<{ axis: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Softmax', io.inputs, io.outputs, { axis: a.axis }),
};
