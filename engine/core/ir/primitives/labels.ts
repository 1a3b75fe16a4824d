/** Class labels: one-hot targets and the argmax/equality behind an accuracy count. No gradients flow into labels. */
import type { Primitive } from '../primitive.js';

/** labels int64 [B] → float [B, classes] with `on` at the label and `off` elsewhere (label smoothing folds into on/off). */
export const onehot: Primitive<{ classes: number; on: number; off: number }> = {
  rowwise: false,
  fires: false,
  shape: ([labels], a) => {
    if (labels!.dtype !== 'int64' || labels!.shape.length !== 1) throw new Error('onehot takes int64 labels [B]');
    return [{ shape: [labels!.shape[0]!, a.classes] }];
  },
  emit: (e, io, a) => e.nodeTo('OneHot', [io.inputs[0]!, e.ints([a.classes]), e.floats([a.off, a.on], [2])], io.outputs, { axis: -1 }),
};

/** Index of the largest entry along the last axis (the first one on ties). */
export const argmax: Primitive<Record<string, never>> = {
  rowwise: false,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape.slice(0, -1), dtype: 'int64' }],
  emit: (e, io) => e.nodeTo('ArgMax', io.inputs, io.outputs, { axis: -1, keepdims: 0 }),
};

/** 1 where a == b, else 0, as floats (counts of equal integer entries are sums of it). */
export const equal: Primitive<Record<string, never>> = {
  rowwise: false,
  fires: false,
  shape: ([a, b]) => {
    if (a!.shape.join() !== b!.shape.join()) throw new Error('equal: shapes differ');
    return [{ shape: a!.shape }];
  },
  emit: (e, io) => e.nodeTo('Cast', [e.node1('Equal', io.inputs)], io.outputs, { to: 1 }),
};
