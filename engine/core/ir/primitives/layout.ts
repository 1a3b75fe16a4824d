/** Shape and layout primitives, and reductions. */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import { numelOf, type EmitIo, type Primitive } from '../primitive.js';
import { keptShape, normAxes, sumTo } from '../vjp.js';
import { columnSum, foldedRows } from './column-sum.js';

export const reshape: Primitive<{ shape: readonly number[] }> = {
  rowwise: false,
  fires: false,
  shape: ([x], a) => {
    if (numelOf(x!.shape) !== numelOf(a.shape)) {
      throw new Error(`reshape [${x!.shape.join(',')}] → [${a.shape.join(',')}] changes the element count`);
    }
    return [{ shape: a.shape, dtype: x!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Reshape', [io.inputs[0]!, e.ints(a.shape)], io.outputs),
  vjp: (b, { inputs: [x] }, [g]) => [b.op1('reshape', [g!], { shape: b.shape(x!) })],
};

export const transpose: Primitive<{ perm: readonly number[] }> = {
  rowwise: (a) => a.perm[0] === 0,
  fires: false,
  shape: ([x], a) => {
    if (a.perm.length !== x!.shape.length) throw new Error('transpose: perm rank differs from input rank');
    return [{ shape: a.perm.map((p) => x!.shape[p]!), dtype: x!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Transpose', io.inputs, io.outputs, { perm: [...a.perm] }),
  vjp: (b, { attrs }, [g]) => {
    const inverse = new Array<number>(attrs.perm.length);
    attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [b.op1('transpose', [g!], { perm: inverse })];
  },
};

export const concat: Primitive<{ axis: number }> = {
  rowwise: (a) => a.axis !== 0,
  fires: false,
  shape: (xs, a) => {
    const first = xs[0]!.shape;
    const out = [...first];
    out[a.axis] = xs.reduce((n, x) => n + x.shape[a.axis]!, 0);
    for (const x of xs) {
      if (x.shape.length !== first.length || x.shape.some((d, i) => i !== a.axis && d !== first[i])) {
        throw new Error('concat: shapes differ outside the concatenation axis');
      }
    }
    return [{ shape: out, dtype: xs[0]!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Concat', io.inputs, io.outputs, { axis: a.axis }),
  vjp: (b, { inputs, attrs }, [g]) => {
    let at = 0;
    return inputs.map((x) => {
      const len = b.shape(x)[attrs.axis]!;
      const part = b.op1('slice', [g!], { axis: attrs.axis, start: at, end: at + len });
      at += len;
      return part;
    });
  },
};

/** Static slice [start, end) along one axis. */
export const slice: Primitive<{ axis: number; start: number; end: number }> = {
  rowwise: (a) => a.axis !== 0,
  fires: false,
  shape: ([x], a) => {
    const out = [...x!.shape];
    out[a.axis] = a.end - a.start;
    return [{ shape: out, dtype: x!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Slice', [io.inputs[0]!, e.ints([a.start]), e.ints([a.end]), e.ints([a.axis])], io.outputs),
  vjp: (b, { inputs: [x], attrs }, [g]) => {
    const s = b.shape(x!);
    const pads = new Array<number>(2 * s.length).fill(0);
    pads[attrs.axis] = attrs.start;
    pads[s.length + attrs.axis] = s[attrs.axis]! - attrs.end;
    return [b.op1('pad', [g!], { pads })];
  },
};

/** Zero padding; `pads` in ONNX order (all begins, then all ends). Its VJP slices the pads off. */
export const pad: Primitive<{ pads: readonly number[] }> = {
  rowwise: (a, ranks, data) => a.pads[0] === 0 && a.pads[ranks[data[0]!]!] === 0,
  fires: false,
  shape: ([x], a) => {
    const r = x!.shape.length;
    if (a.pads.length !== 2 * r) throw new Error(`pad: ${a.pads.length} pads for rank ${r}`);
    return [{ shape: x!.shape.map((d, i) => d + a.pads[i]! + a.pads[r + i]!), dtype: x!.dtype }];
  },
  emit: (e, io, a) => e.nodeTo('Pad', [io.inputs[0]!, e.ints(a.pads)], io.outputs, { mode: 'constant' }),
  vjp: (b, { inputs: [x], attrs }, [g]) => {
    const s = b.shape(x!);
    let out = g!;
    s.forEach((d, i) => {
      const begin = attrs.pads[i]!;
      if (begin !== 0 || attrs.pads[s.length + i] !== 0) out = b.op1('slice', [out], { axis: i, start: begin, end: begin + d });
    });
    return [out];
  },
};

/** Broadcast to a larger static shape. */
export const expand: Primitive<{ shape: readonly number[] }> = {
  rowwise: false,
  fires: false,
  shape: ([x], a) => [{ shape: a.shape, dtype: x!.dtype }],
  emit: (e, io, a) => e.nodeTo('Expand', [io.inputs[0]!, e.ints(a.shape)], io.outputs),
  vjp: (b, { inputs: [x] }, [g]) => [sumTo(b, g!, b.shape(x!))],
};

function reduced(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const norm = normAxes(axes, shape.length);
  return keepdims ? shape.map((d, i) => (norm.includes(i) ? 1 : d)) : shape.filter((_, i) => !norm.includes(i));
}

type ReduceAttrs = { axes: readonly number[]; keepdims: boolean };

/**
 * Where a reduction runs over the leading axes only (and keeps some), and enough rows of few
 * enough columns that folding them pays (column-sum.ts: a Linear's bias gradient, a mean over
 * tokens), the rows it sums; otherwise undefined, and the reduction is one ONNX node.
 */
function leadingRows(shape: readonly number[], axes: readonly number[]): number | undefined {
  const norm = [...new Set(normAxes(axes, shape.length))].sort((a, b) => a - b);
  if (norm.length === 0 || norm.length >= shape.length || norm.some((a, i) => a !== i)) return undefined;
  const rows = numelOf(shape.slice(0, norm.length));
  return foldedRows(rows, numelOf(shape) / rows) > 1 ? rows : undefined;
}

/** The column sum of the input's leading `rows`, finished (a mean's scale) and shaped as the output. */
function emitLeadingSum(e: OnnxEmitter, io: EmitIo, rows: number, finish: (sum: string) => string): void {
  const sum = columnSum(e, io.inputs[0]!, rows, numelOf(io.inShapes[0]!) / rows);
  e.nodeTo('Reshape', [finish(sum), e.ints(io.outShapes[0]!)], io.outputs);
}

/** Broadcasts a reduction's gradient back over the reduced axes. */
function spread(b: Parameters<NonNullable<Primitive['vjp']>>[0], g: number, x: number, attrs: ReduceAttrs): number {
  const s = b.shape(x);
  return b.op1('expand', [b.op1('reshape', [g], { shape: keptShape(s, attrs.axes) })], { shape: s });
}

export const reduce_mean: Primitive<ReduceAttrs> = {
  rowwise: (a, ranks, data) => a.axes.every((x) => (x + ranks[data[0]!]!) % ranks[data[0]!]! !== 0),
  fires: false,
  shape: ([x], a) => [{ shape: reduced(x!.shape, a.axes, a.keepdims) }],
  emit: (e, io, a) => {
    const rows = leadingRows(io.inShapes[0]!, a.axes);
    if (rows === undefined) e.nodeTo('ReduceMean', io.inputs, io.outputs, { axes: [...a.axes], keepdims: a.keepdims ? 1 : 0 });
    else emitLeadingSum(e, io, rows, (sum) => e.node1('Mul', [sum, e.scalar(1 / rows)]));
  },
  vjp: (b, { inputs: [x], outputs: [y], attrs }, [g]) => {
    const count = numelOf(b.shape(x!)) / numelOf(b.shape(y!));
    return [spread(b, b.op1('scale', [g!], { factor: 1 / count }), x!, attrs)];
  },
};

export const reduce_sum: Primitive<ReduceAttrs> = {
  rowwise: (a, ranks, data) => a.axes.every((x) => (x + ranks[data[0]!]!) % ranks[data[0]!]! !== 0),
  fires: false,
  shape: ([x], a) => [{ shape: reduced(x!.shape, a.axes, a.keepdims) }],
  emit: (e, io, a) => {
    const rows = leadingRows(io.inShapes[0]!, a.axes);
    if (rows === undefined) e.nodeTo('ReduceSum', [io.inputs[0]!, e.ints(a.axes)], io.outputs, { keepdims: a.keepdims ? 1 : 0 });
    else emitLeadingSum(e, io, rows, (sum) => sum);
  },
  vjp: (b, { inputs: [x], attrs }, [g]) => [spread(b, g!, x!, attrs)],
};
