/** Normalisations and softmax. */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import { numelOf, type Primitive } from '../primitive.js';
import { columnSum } from './column-sum.js';

/** Axes other than the channel axis 1, and the element count per channel. */
function channelLayout(shape: readonly number[]): { axes: number[]; count: number } {
  return { axes: shape.map((_, i) => i).filter((i) => i !== 1), count: numelOf(shape) / shape[1]! };
}

/**
 * x·scale + bias per channel (axis 1), scale and bias [C]. On [N, C, L] ORT's broadcasting Mul and
 * Add take a slow path (a middle-axis broadcast: 4x slower than one pass, measured), while
 * BatchNormalization with mean 0, variance 1 and ε 0 computes exactly the same affine in one fast
 * pass; on [M, C] the row broadcast is the fast one and BatchNormalization the slow one.
 */
function channelAffine(e: OnnxEmitter, x: string, rank: number, scale: string | undefined, bias: string | undefined, c: number, out?: string): string {
  if (rank >= 3) {
    const ins = [x, scale ?? e.floats(new Array<number>(c).fill(1), [c]), bias ?? e.floats(new Array<number>(c).fill(0), [c]), e.floats(new Array<number>(c).fill(0), [c]), e.floats(new Array<number>(c).fill(1), [c])];
    const name = out ?? e.fresh('affine');
    e.nodeTo('BatchNormalization', ins, [name], { epsilon: { float: 0 } });
    return name;
  }
  const scaled = scale ? e.node1('Mul', [x, scale]) : x;
  if (!bias) return out ? (e.nodeTo('Identity', [scaled], [out]), out) : scaled;
  const name = out ?? e.fresh('affine');
  e.nodeTo('Add', [scaled, bias], [name]);
  return name;
}

/**
 * Σ per channel (axis 1) of a tensor of this shape: [M, C] by rows folded into wide columns
 * (column-sum.ts), [N, C, ...] by ONE ReduceSum over the other axes.
 */
function channelSum(e: OnnxEmitter, x: string, shape: readonly number[], out?: string): string {
  if (shape.length === 2) return columnSum(e, x, shape[0]!, shape[1]!, out);
  const name = out ?? e.fresh('chsum');
  e.nodeTo('ReduceSum', [x, e.ints(channelLayout(shape).axes)], [name], { keepdims: 0 });
  return name;
}

/** x − mean per channel, the same fast way (BatchNormalization with the mean, variance 1, ε 0). */
function channelCenter(e: OnnxEmitter, x: string, rank: number, mean: string, c: number, out: string): void {
  if (rank >= 3) e.nodeTo('BatchNormalization', [x, e.floats(new Array<number>(c).fill(1), [c]), e.floats(new Array<number>(c).fill(0), [c]), mean, e.floats(new Array<number>(c).fill(1), [c])], [out], { epsilon: { float: 0 } });
  else e.nodeTo('Sub', [x, mean], [out]);
}

/**
 * BatchNorm with fixed statistics (inference): x [M, C, ...], weight/bias/mean/var [C].
 * Training graphs use `batchnorm_train` (batch statistics) instead.
 */
export const batchnorm: Primitive<{ eps: number }> = {
  rowwise: true,
  fires: false,
  shape: ([x, w]) => {
    if (x!.shape[1] !== w!.shape[0]) throw new Error(`batchnorm: ${x!.shape[1]} channels but ${w!.shape[0]} parameters`);
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => e.nodeTo('BatchNormalization', io.inputs, io.outputs, { epsilon: { float: a.eps } }),
  vjp: (b, { inputs: [x, w, , mean, vr], attrs }, [g]) => b.op('batchnorm_grad', [g!, x!, w!, mean!, vr!], attrs),
};

/** Backward of inference BN (frozen statistics): dx, dweight, dbias. */
export const batchnorm_grad: Primitive<{ eps: number }> = {
  rowwise: false,
  fires: false,
  shape: ([g, , w]) => [{ shape: g!.shape }, { shape: w!.shape }, { shape: w!.shape }],
  emit: (e, io, a) => {
    const [g, x, w, mean, vr] = io.inputs as [string, string, string, string, string];
    const shape = io.inShapes[0]!;
    const c = shape[1]!;
    const inv = e.node1('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [vr, e.scalar(a.eps)])])]);
    const xc = e.fresh('xc');
    channelCenter(e, x, shape.length, mean, c, xc);
    channelAffine(e, g, shape.length, e.node1('Mul', [w, inv]), undefined, c, io.outputs[0]!);
    const sgx = channelSum(e, e.node1('Mul', [g, xc]), shape);
    e.nodeTo('Mul', [sgx, inv], [io.outputs[1]!]);
    channelSum(e, g, shape, io.outputs[2]!);
  },
};

/**
 * BatchNorm with batch statistics (training): x [M, C] or [N, C, L] — minimal rank, because ORT
 * reduces a 4-D token layout many times slower (notes/ort-training.md). Outputs y, the batch mean
 * and biased variance [C] (for the running statistics), 1/√(var + ε), and on [M, C] x − mean for
 * the VJP.
 *
 * On [N, C, L] one BatchNormalization in training mode with momentum 0 gives y, the batch mean and
 * the biased variance in one kernel (its "running" outputs are then the batch's own): 2.7 ms
 * against 9.1 ms written out by hand on [256, 64, 196], and no centred copy of x kept for the
 * backward, which reads x and the mean instead. On [M, C] that kernel is 2-3x slower than the
 * row-broadcast ops, so the token layout keeps them.
 */
export const batchnorm_train: Primitive<{ eps: number }> = {
  rowwise: true,
  fires: false,
  shape: ([x, w]) => {
    if (x!.shape[1] !== w!.shape[0]) throw new Error(`batchnorm_train: ${x!.shape[1]} channels but ${w!.shape[0]} parameters`);
    const c = [x!.shape[1]!];
    return [{ shape: x!.shape }, { shape: c }, { shape: c }, { shape: c }, ...(x!.shape.length === 2 ? [{ shape: x!.shape }] : [])];
  },
  emit: (e, io, a) => {
    const [x, w, bias] = io.inputs as [string, string, string];
    const [y, meanOut, varOut, invOut, xcOut] = io.outputs as [string, string, string, string, string | undefined];
    const shape = io.inShapes[0]!;
    const c = shape[1]!;
    if (shape.length >= 3) {
      // ORT writes the "running" outputs into the running inputs' buffers in place, and at load
      // time it merges initializers of equal content: a [C] zero constant fed here came back
      // holding the batch mean in every node that read zeros [C] (measured). So the running
      // inputs are computed (0·γ, 0·β: two values CSE cannot merge), buffers nothing else reads.
      const running = [e.node1('Mul', [w, e.scalar(0)]), e.node1('Mul', [bias, e.scalar(0)])];
      e.nodeTo('BatchNormalization', [x, w, bias, ...running], [y, meanOut, varOut], { epsilon: { float: a.eps }, momentum: { float: 0 }, training_mode: 1 });
      e.nodeTo('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [varOut, e.scalar(a.eps)])])], [invOut]);
      return;
    }
    e.nodeTo('Mul', [columnSum(e, x, shape[0]!, c), e.scalar(1 / shape[0]!)], [meanOut]);
    e.nodeTo('Sub', [x, meanOut], [xcOut!]);
    // Σ of a product, not ReduceSumSquare: ORT has no fast path for the latter (10x slower on [M, C])
    e.nodeTo('Mul', [columnSum(e, e.node1('Mul', [xcOut!, xcOut!]), shape[0]!, c), e.scalar(1 / shape[0]!)], [varOut]);
    e.nodeTo('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [varOut, e.scalar(a.eps)])])], [invOut]);
    channelAffine(e, xcOut!, 2, e.node1('Mul', [invOut, w]), bias, c, y);
  },
  vjp: (b, { inputs: [x, w], outputs: [, mean, , inv, xc] }, [g]) => {
    const [dx, dw, db] = xc === undefined ? b.op('batchnorm_train_grad', [g!, x!, inv!, w!, mean!]) : b.op('batchnorm_train_grad', [g!, xc, inv!, w!]);
    return [dx, dw, db];
  },
};

/**
 * Backward of batch-statistics BN in few passes over the big tensor (two reductions, then
 * dx = g·k1 + k3 + xc·k2 as two per-channel affines and an add, with k's per channel):
 * dx = γ·inv·(g − Σg/n − x̂·Σ(g·x̂)/n), x̂ = xc·inv. Reads xc = x − mean, or x itself when the
 * mean is the fifth input: Σ(g·xc) = Σ(g·x) − mean·Σg and xc·k2 = x·k2 − mean·k2, the mean
 * folded into [C] coefficients.
 */
export const batchnorm_train_grad: Primitive<Record<string, never>> = {
  rowwise: false,
  fires: false,
  shape: ([g, , inv]) => [{ shape: g!.shape }, { shape: inv!.shape }, { shape: inv!.shape }],
  emit: (e, io) => {
    const [g, xs, inv, w, mean] = io.inputs as [string, string, string, string, string | undefined];
    const [dx, dw, db] = io.outputs as [string, string, string];
    const shape = io.inShapes[0]!;
    const c = shape[1]!;
    const { count } = channelLayout(shape);
    channelSum(e, g, shape, db);
    const sgxs = channelSum(e, e.node1('Mul', [g, xs]), shape);
    const sgx = mean === undefined ? sgxs : e.node1('Sub', [sgxs, e.node1('Mul', [mean, db])]);
    e.nodeTo('Mul', [sgx, inv], [dw]);
    const k1 = e.node1('Mul', [inv, w]);
    const k2 = e.node1('Mul', [e.node1('Mul', [k1, e.node1('Mul', [inv, inv])]), e.node1('Mul', [sgx, e.scalar(-1 / count)])]);
    const k3c = e.node1('Mul', [k1, e.node1('Mul', [db, e.scalar(-1 / count)])]);
    const k3 = mean === undefined ? k3c : e.node1('Sub', [k3c, e.node1('Mul', [k2, mean])]);
    const rank = shape.length;
    e.nodeTo('Add', [channelAffine(e, g, rank, k1, k3, c), channelAffine(e, xs, rank, k2, undefined, c)], [dx]);
  },
};

/** LayerNorm over the last dim: x [..., D], weight/bias [D]. */
export const layernorm: Primitive<{ eps: number }> = {
  rowwise: true,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('LayerNormalization', io.inputs, io.outputs, { axis: -1, epsilon: { float: a.eps } }),
  vjp: (b, { inputs: [x, w, bias], attrs }, [g]) => {
    const [dx, dw, db] = b.op('layernorm_grad', [g!, x!, w!], attrs);
    return bias === undefined ? [dx, dw] : [dx, dw, db];
  },
};

/** Backward of LayerNorm, recomputing the row statistics (cheap next to a second saved tensor). */
export const layernorm_grad: Primitive<{ eps: number }> = {
  rowwise: false,
  fires: false,
  shape: ([g, , w]) => [{ shape: g!.shape }, { shape: w!.shape }, { shape: w!.shape }],
  emit: (e, io, a) => {
    const [g, x, w] = io.inputs as [string, string, string];
    const shape = io.inShapes[0]!;
    const d = shape[shape.length - 1]!;
    const rows = numelOf(shape) / d;
    const rowMean = (v: string) => e.node1('ReduceMean', [v], { axes: [-1], keepdims: 1 });
    const xc = e.node1('Sub', [x, rowMean(x)]);
    const inv = e.node1('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [rowMean(e.node1('Mul', [xc, xc])), e.scalar(a.eps)])])]);
    const xhat = e.node1('Mul', [xc, inv]);
    const gx = e.node1('Mul', [g, w]);
    const inner = e.node1('Sub', [e.node1('Sub', [gx, rowMean(gx)]), e.node1('Mul', [xhat, rowMean(e.node1('Mul', [gx, xhat]))])]);
    e.nodeTo('Mul', [inner, inv], [io.outputs[0]!]);
    columnSum(e, e.node1('Mul', [g, xhat]), rows, d, io.outputs[1]!);
    columnSum(e, g, rows, d, io.outputs[2]!);
  },
};

export const softmax: Primitive<{ axis: number }> = {
  rowwise: (a, ranks, data) => (a.axis + ranks[data[0]!]!) % ranks[data[0]!]! !== 0,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Softmax', io.inputs, io.outputs, { axis: a.axis }),
  vjp: (b, { outputs: [y], attrs }, [g]) => {
    const dot = b.op1('reduce_sum', [b.op1('mul', [g!, y!])], { axes: [attrs.axis], keepdims: true });
    return [b.op1('mul', [y!, b.op1('sub', [g!, dot])])];
  },
};

/** log(softmax(x)) in one stable op; the cross-entropy losses are built on it. */
export const log_softmax: Primitive<{ axis: number }> = {
  rowwise: (a, ranks, data) => (a.axis + ranks[data[0]!]!) % ranks[data[0]!]! !== 0,
  fires: false,
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('LogSoftmax', io.inputs, io.outputs, { axis: a.axis }),
  vjp: (b, { outputs: [y], attrs }, [g]) => {
    const total = b.op1('reduce_sum', [g!], { axes: [attrs.axis], keepdims: true });
    return [b.op1('sub', [g!, b.op1('mul', [b.op1('exp', [y!]), total])])];
  },
};
