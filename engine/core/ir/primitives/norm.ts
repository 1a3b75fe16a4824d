/** Normalisations and softmax. */
import { numelOf, type Primitive } from '../primitive.js';

/** Axes other than the channel axis 1, and the [1, C, 1, ...] shape per-channel values broadcast in. */
function channelLayout(shape: readonly number[]): { axes: number[]; kept: number[]; count: number } {
  const axes = shape.map((_, i) => i).filter((i) => i !== 1);
  return { axes, kept: shape.map((d, i) => (i === 1 ? d : 1)), count: numelOf(shape) / shape[1]! };
}

/**
 * BatchNorm with fixed statistics (inference): x [M, C, ...], weight/bias/mean/var [C].
 * Training graphs use `batchnorm_train` (batch statistics) instead.
 */
export const batchnorm: Primitive<{ eps: number }> = {
  shape: ([x, w]) => {
    if (x!.shape[1] !== w!.shape[0]) throw new Error(`batchnorm: ${x!.shape[1]} channels but ${w!.shape[0]} parameters`);
    return [{ shape: x!.shape }];
  },
  emit: (e, io, a) => e.nodeTo('BatchNormalization', io.inputs, io.outputs, { epsilon: { float: a.eps } }),
  vjp: (b, { inputs: [x, w, , mean, vr], attrs }, [g]) => b.op('batchnorm_grad', [g!, x!, w!, mean!, vr!], attrs),
};

/** Backward of inference BN (frozen statistics): dx, dweight, dbias. */
export const batchnorm_grad: Primitive<{ eps: number }> = {
  shape: ([g, , w]) => [{ shape: g!.shape }, { shape: w!.shape }, { shape: w!.shape }],
  emit: (e, io, a) => {
    const [g, x, w, mean, vr] = io.inputs as [string, string, string, string, string];
    const { axes, kept } = channelLayout(io.inShapes[0]!);
    const inv = e.node1('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [vr, e.scalar(a.eps)])])]);
    const invK = e.reshape(inv, kept);
    const xhat = e.node1('Mul', [e.node1('Sub', [x, e.reshape(mean, kept)]), invK]);
    e.nodeTo('Mul', [g, e.reshape(e.node1('Mul', [w, inv]), kept)], [io.outputs[0]!]);
    e.nodeTo('ReduceSum', [e.node1('Mul', [g, xhat]), e.ints(axes)], [io.outputs[1]!], { keepdims: 0 });
    e.nodeTo('ReduceSum', [g, e.ints(axes)], [io.outputs[2]!], { keepdims: 0 });
  },
};

/**
 * BatchNorm with batch statistics (training): x [M, C] or [N, C, L] — minimal rank, because ORT
 * reduces a 4-D token layout many times slower (notes/ort-training.md). Outputs y, the batch mean
 * and biased variance [C] (for the running statistics), and what the VJP reads: x − mean and
 * 1/√(var + ε). Written out by hand because ONNX BatchNormalization does not return the latter.
 */
export const batchnorm_train: Primitive<{ eps: number }> = {
  shape: ([x, w]) => {
    if (x!.shape[1] !== w!.shape[0]) throw new Error(`batchnorm_train: ${x!.shape[1]} channels but ${w!.shape[0]} parameters`);
    const c = [x!.shape[1]!];
    return [{ shape: x!.shape }, { shape: c }, { shape: c }, { shape: x!.shape }, { shape: c }];
  },
  emit: (e, io, a) => {
    const [x, w, bias] = io.inputs as [string, string, string];
    const [y, meanOut, varOut, xcOut, invOut] = io.outputs as [string, string, string, string, string];
    const { axes, kept, count } = channelLayout(io.inShapes[0]!);
    const c = [kept[1]!];
    const mean = e.node1('ReduceMean', [x], { axes, keepdims: 1 });
    e.nodeTo('Sub', [x, mean], [xcOut]);
    // ReduceSum of a product, not ReduceSumSquare: ORT has no fast path for the latter (10x slower on [M, C])
    const vr = e.node1('Mul', [e.node1('ReduceSum', [e.node1('Mul', [xcOut, xcOut]), e.ints(axes)], { keepdims: 1 }), e.scalar(1 / count)]);
    const inv = e.node1('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [vr, e.scalar(a.eps)])])]);
    // y = xc·(γ/σ) + β: the per-channel factor is formed on [C], so two passes touch the big tensor
    const factor = e.node1('Mul', [inv, e.reshape(w, kept)]);
    e.nodeTo('Add', [e.node1('Mul', [xcOut, factor]), e.reshape(bias, kept)], [y]);
    e.nodeTo('Reshape', [mean, e.ints(c)], [meanOut]);
    e.nodeTo('Reshape', [vr, e.ints(c)], [varOut]);
    e.nodeTo('Reshape', [inv, e.ints(c)], [invOut]);
  },
  vjp: (b, { inputs: [, w], outputs: [, , , xc, inv] }, [g]) => {
    const [dx, dw, db] = b.op('batchnorm_train_grad', [g!, xc!, inv!, w!]);
    return [dx, dw, db];
  },
};

/**
 * Backward of batch-statistics BN in few passes over the big tensor (two reductions, then
 * dx = g·k1 + xc·k2 + k3 with per-channel k's):
 * dx = γ·inv·(g − Σg/n − x̂·Σ(g·x̂)/n), x̂ = xc·inv.
 */
export const batchnorm_train_grad: Primitive<Record<string, never>> = {
  shape: ([g, , inv]) => [{ shape: g!.shape }, { shape: inv!.shape }, { shape: inv!.shape }],
  emit: (e, io) => {
    const [g, xc, inv, w] = io.inputs as [string, string, string, string];
    const [dx, dw, db] = io.outputs as [string, string, string];
    const { axes, kept, count } = channelLayout(io.inShapes[0]!);
    const c = [kept[1]!];
    const sg = e.node1('ReduceSum', [g, e.ints(axes)], { keepdims: 1 });
    const sgx = e.node1('ReduceSum', [e.node1('Mul', [g, xc]), e.ints(axes)], { keepdims: 1 });
    const invK = e.reshape(inv, kept);
    const k1 = e.node1('Mul', [invK, e.reshape(w, kept)]);
    e.nodeTo('Reshape', [sg, e.ints(c)], [db]);
    e.nodeTo('Reshape', [e.node1('Mul', [sgx, invK]), e.ints(c)], [dw]);
    const k2 = e.node1('Mul', [e.node1('Mul', [k1, e.node1('Mul', [invK, invK])]), e.node1('Mul', [sgx, e.scalar(-1 / count)])]);
    const k3 = e.node1('Mul', [k1, e.node1('Mul', [sg, e.scalar(-1 / count)])]);
    e.nodeTo('Add', [e.node1('Add', [e.node1('Mul', [g, k1]), e.node1('Mul', [xc, k2])]), k3], [dx]);
  },
};

/** LayerNorm over the last dim: x [..., D], weight/bias [D]. */
export const layernorm: Primitive<{ eps: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('LayerNormalization', io.inputs, io.outputs, { axis: -1, epsilon: { float: a.eps } }),
  vjp: (b, { inputs: [x, w, bias], attrs }, [g]) => {
    const [dx, dw, db] = b.op('layernorm_grad', [g!, x!, w!], attrs);
    return bias === undefined ? [dx, dw] : [dx, dw, db];
  },
};

/** Backward of LayerNorm, recomputing the row statistics (cheap next to a second saved tensor). */
export const layernorm_grad: Primitive<{ eps: number }> = {
  shape: ([g, , w]) => [{ shape: g!.shape }, { shape: w!.shape }, { shape: w!.shape }],
  emit: (e, io, a) => {
    const [g, x, w] = io.inputs as [string, string, string];
    const rank = io.inShapes[0]!.length;
    const lead = Array.from({ length: rank - 1 }, (_, i) => i);
    const rowMean = (v: string) => e.node1('ReduceMean', [v], { axes: [-1], keepdims: 1 });
    const xc = e.node1('Sub', [x, rowMean(x)]);
    const inv = e.node1('Reciprocal', [e.node1('Sqrt', [e.node1('Add', [rowMean(e.node1('Mul', [xc, xc])), e.scalar(a.eps)])])]);
    const xhat = e.node1('Mul', [xc, inv]);
    const gx = e.node1('Mul', [g, w]);
    const inner = e.node1('Sub', [e.node1('Sub', [gx, rowMean(gx)]), e.node1('Mul', [xhat, rowMean(e.node1('Mul', [gx, xhat]))])]);
    e.nodeTo('Mul', [inner, inv], [io.outputs[0]!]);
    e.nodeTo('ReduceSum', [e.node1('Mul', [g, xhat]), e.ints(lead)], [io.outputs[1]!], { keepdims: 0 });
    e.nodeTo('ReduceSum', [g, e.ints(lead)], [io.outputs[2]!], { keepdims: 0 });
  },
};

export const softmax: Primitive<{ axis: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('Softmax', io.inputs, io.outputs, { axis: a.axis }),
  vjp: (b, { outputs: [y], attrs }, [g]) => {
    const dot = b.op1('reduce_sum', [b.op1('mul', [g!, y!])], { axes: [attrs.axis], keepdims: true });
    return [b.op1('mul', [y!, b.op1('sub', [g!, dot])])];
  },
};

/** log(softmax(x)) in one stable op; the cross-entropy losses are built on it. */
export const log_softmax: Primitive<{ axis: number }> = {
  shape: ([x]) => [{ shape: x!.shape }],
  emit: (e, io, a) => e.nodeTo('LogSoftmax', io.inputs, io.outputs, { axis: a.axis }),
  vjp: (b, { outputs: [y], attrs }, [g]) => {
    const total = b.op1('reduce_sum', [g!], { axes: [attrs.axis], keepdims: true });
    return [b.op1('sub', [g!, b.op1('mul', [b.op1('exp', [y!]), total])])];
  },
};
