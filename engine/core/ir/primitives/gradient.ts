/** Gradient plumbing. */
import type { Primitive } from '../primitive.js';

/** The identity forward; no gradient flows back (PyTorch's `.detach()`). */
export const stop_gradient: Primitive<Record<string, never>> = {
  rowwise: false,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
  emit: (e, io) => e.nodeTo('Identity', io.inputs, io.outputs),
  vjp: () => [undefined],
};
