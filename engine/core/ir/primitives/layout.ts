/** Shape and layout primitives, and reductions. */
import { numelOf, type Primitive } from '../primitive.js';

export const reshape: Primitive<{ shape: readonly number[] }> = {
  shape: ([x], a) => {
    if (numelOf(x!.shape) !== numelOf(a.shape)) {
      throw new Error(`reshape [${x!.shape.join(',')}] → [${a.shape.join(',')}] changes the element count`);
    }
    return [{ shape: a.shape, dtype: x!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Reshape', [io.inputs[0]!, e.ints(a.shape)], io.outputs),
};

export const transpose: Primitive<{ perm: readonly number[] }> = {
  shape: ([x], a) => {
    if (a.perm.length !== x!.shape.length) throw new Error('transpose: perm rank differs from input rank');
    return [{ shape: a.perm.map((p) => x!.shape[p]!) }];
  },
  emit: (e, io, a) => e.nodeTo('Transpose', io.inputs, io.outputs, { perm: [...a.perm] }),
};

export const concat: Primitive<{ axis: number }> = {
  shape: (xs, a) => {
    const first = xs[0]!.shape;
    const out = [...first];
    out[a.axis] = xs.reduce((n, x) => n + x.shape[a.axis]!, 0);
    for (const x of xs) {
      if (x.shape.length !== first.length || x.shape.some((d, i) => i !== a.axis && d !== first[i])) {
        throw new Error('concat: shapes differ outside the concatenation axis');
      }
    }
    return [{ shape: out }];
  },
  emit: (e, io, a) => e.nodeTo('Concat', io.inputs, io.outputs, { axis: a.axis }),
};

/** Static slice [start, end) along one axis. */
export const slice: Primitive<{ axis: number; start: number; end: number }> = {
  shape: ([x], a) => {
    const out = [...x!.shape];
    out[a.axis] = a.end - a.start;
    return [{ shape: out }];
  },
  emit: (e, io, a) => e.nodeTo('Slice', [io.inputs[0]!, e.ints([a.start]), e.ints([a.end]), e.ints([a.axis])], io.outputs),
};

/** Broadcast to a larger static shape. */
export const expand: Primitive<{ shape: readonly number[] }> = {
  shape: (_x, a) => [{ shape: a.shape }],
  emit: (e, io, a) => e.nodeTo('Expand', [io.inputs[0]!, e.ints(a.shape)], io.outputs),
};

function reduced(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const norm = axes.map((ax) => (ax < 0 ? ax + shape.length : ax));
  return keepdims ? shape.map((d, i) => (norm.includes(i) ? 1 : d)) : shape.filter((_, i) => !norm.includes(i));
}

export const reduce_mean: Primitive<{ axes: readonly number[]; keepdims: boolean }> = {
  shape: ([x], a) => [{ shape: reduced(x!.shape, a.axes, a.keepdims) }],
  emit: (e, io, a) => e.nodeTo('ReduceMean', io.inputs, io.outputs, { axes: [...a.axes], keepdims: a.keepdims ? 1 : 0 }),
};

export const reduce_sum: Primitive<{ axes: readonly number[]; keepdims: boolean }> = {
  shape: ([x], a) => [{ shape: reduced(x!.shape, a.axes, a.keepdims) }],
  emit: (e, io, a) => e.nodeTo('ReduceSum', [io.inputs[0]!, e.ints(a.axes)], io.outputs, { keepdims: a.keepdims ? 1 : 0 }),
};
