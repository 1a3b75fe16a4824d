/** Matrix products and convolution. */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import { broadcastShapes, type Primitive } from '../primitive.js';
import { sumTo, transposeLast } from '../vjp.js';
import { mutated } from '../../mutation.js';

/** Batched matrix product with numpy semantics over the leading dims. */
export const matmul: Primitive<Record<string, never>> = {
  rowwise: (_a, ranks, data) => !(data.includes(1) && ranks[1]! < 3),
  fires: false,
  shape: ([a, b]) => {
    const as = a!.shape;
    const bs = b!.shape;
    if (as.length < 2 || bs.length < 2) throw new Error('matmul needs rank >= 2 operands');
    const k = as[as.length - 1]!;
    if (bs[bs.length - 2] !== k) throw new Error(`matmul inner dims differ: [${as.join(',')}] x [${bs.join(',')}]`);
    const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
    return [{ shape: [...batch, as[as.length - 2]!, bs[bs.length - 1]!] }];
  },
  emit: (e, io) => e.nodeTo('MatMul', io.inputs, io.outputs),
  vjp: (b, { inputs: [x, y] }, [g]) => {
    const xs = b.shape(x!);
    const ys = b.shape(y!);
    const dx = sumTo(b, b.op1('matmul', [g!, transposeLast(b, y!)]), xs);
    if (ys.length === 2 && xs.length > 2) {
      // a shared 2-D right operand: one matmul over all rows instead of a batch of them and a sum
      const k = xs[xs.length - 1]!;
      const rows = xs.slice(0, -1).reduce((n, d) => n * d, 1);
      const x2 = b.op1('reshape', [x!], { shape: [rows, k] });
      const g2 = b.op1('reshape', [g!], { shape: [rows, ys[1]!] });
      return [dx, b.op1('matmul', [b.op1('transpose', [x2], { perm: [1, 0] }), g2])];
    }
    return [dx, sumTo(b, b.op1('matmul', [transposeLast(b, x!), g!]), ys)];
  },
};

/** y = x·Wᵀ (+ b) on a 2-D x [M, in] with W [out, in] as PyTorch stores Linear weights. */
export const linear: Primitive<Record<string, never>> = {
  rowwise: true,
  fires: false,
  shape: ([x, w, b]) => {
    const [m, k] = x!.shape;
    const [n, k2] = w!.shape;
    if (x!.shape.length !== 2 || w!.shape.length !== 2 || k !== k2) {
      throw new Error(`linear: x [${x!.shape.join(',')}] and weight [${w!.shape.join(',')}] do not fit`);
    }
    if (b && (b.shape.length !== 1 || b.shape[0] !== n)) throw new Error('linear: bias must be [out]');
    return [{ shape: [m!, n!] }];
  },
  emit: (e, io) => e.nodeTo('Gemm', io.inputs, io.outputs, { transB: 1 }),
  vjp: (b, { inputs: [x, w, bias] }, [g]) => {
    const grads = [
      b.op1('matmul', [g!, w!]),
      b.op1('matmul', [b.op1('transpose', [g!], { perm: [1, 0] }), x!]),
      ...(bias === undefined ? [] : [b.op1('reduce_sum', [g!], { axes: [0], keepdims: false })]),
    ];
    return mutated('vjp-nan') ? grads.map((d) => b.op1('scale', [d], { factor: Number.NaN })) : grads;
  },
};

export interface Conv2dAttrs {
  readonly stride: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
}

export function convOutSize(size: number, k: number, stride: number, padBegin: number, padEnd: number, dilation = 1): number {
  return Math.floor((size + padBegin + padEnd - dilation * (k - 1) - 1) / stride) + 1;
}

/** x [N, Cin, H, W], w [Cout, Cin/groups, kh, kw], b [Cout]. */
export const conv2d: Primitive<Conv2dAttrs> = {
  rowwise: true,
  fires: false,
  shape: ([x, w, b], a) => {
    const [n, c, h, wd] = x!.shape;
    const [co, ci, kh, kw] = w!.shape;
    if (x!.shape.length !== 4 || w!.shape.length !== 4) throw new Error('conv2d needs 4-D input and weight');
    if (c !== ci! * a.groups) throw new Error(`conv2d: input has ${c} channels, weight expects ${ci! * a.groups}`);
    if (b && b.shape[0] !== co) throw new Error('conv2d: bias size differs from output channels');
    const oh = convOutSize(h!, kh!, a.stride[0], a.pads[0], a.pads[2], a.dilation[0]);
    const ow = convOutSize(wd!, kw!, a.stride[1], a.pads[1], a.pads[3], a.dilation[1]);
    if (oh < 1 || ow < 1) throw new Error('conv2d: output would be empty');
    return [{ shape: [n!, co!, oh, ow] }];
  },
  emit: (e, io, a) => {
    const [, , kh, kw] = io.inShapes[1]!;
    e.nodeTo('Conv', io.inputs, io.outputs, {
      kernel_shape: [kh!, kw!],
      strides: [...a.stride],
      pads: [a.pads[0], a.pads[1], a.pads[2], a.pads[3]],
      dilations: [...a.dilation],
      group: a.groups,
    });
  },
  vjp: (b, { inputs: [x, w, bias], attrs }, [g]) => [
    b.op1('conv2d_input_grad', [g!, w!], { ...attrs, inputShape: b.shape(x!) }),
    b.op1('conv2d_weight_grad', [x!, g!], { ...attrs, weightShape: b.shape(w!) }),
    ...(bias === undefined ? [] : [b.op1('reduce_sum', [g!], { axes: [0, 2, 3], keepdims: false })]),
  ],
};

/**
 * How the input gradient of a conv is computed (notes/ort-training.md): a Conv with flipped,
 * transposed weights scales with threads; ConvTranspose is faster on one thread and is the only
 * form for strides > 1. `auto` takes the flipped Conv wherever it applies.
 */
export type ConvInputGradForm = 'auto' | 'flipped_conv' | 'conv_transpose';

export interface Conv2dInputGradAttrs extends Conv2dAttrs {
  readonly inputShape: readonly number[];
  readonly form?: ConvInputGradForm;
}

/** dL/dx of conv2d: inputs g [N, Cout, Ho, Wo] and w; output [N, Cin, H, W]. */
export const conv2d_input_grad: Primitive<Conv2dInputGradAttrs> = {
  rowwise: false,
  fires: false,
  shape: (_ins, a) => [{ shape: a.inputShape }],
  emit: (e, io, a) => {
    const [g, w] = io.inputs as [string, string];
    const [, , kh, kw] = io.inShapes[1]!;
    const flippedPads = flippedConvPads(a, kh!, kw!);
    if (a.form !== 'conv_transpose' && flippedPads) emitFlippedConv(e, g, w, io.inShapes[1]!, flippedPads, a, io.outputs[0]!);
    else emitConvTranspose(e, g, w, io.inShapes[0]!, [kh!, kw!], a, io.outputs[0]!);
  },
};

/** Pads of the stride-1 conv that maps dY back onto x's grid, or undefined where none exists. */
function flippedConvPads(a: Conv2dInputGradAttrs, kh: number, kw: number): number[] | undefined {
  if (a.stride[0] !== 1 || a.stride[1] !== 1) return undefined;
  const eh = a.dilation[0] * (kh - 1);
  const ew = a.dilation[1] * (kw - 1);
  const pads = [eh - a.pads[0], ew - a.pads[1], eh - a.pads[2], ew - a.pads[3]];
  return pads.every((p) => p >= 0) ? pads : undefined;
}

function emitFlippedConv(e: OnnxEmitter, g: string, w: string, ws: readonly number[], pads: number[], a: Conv2dAttrs, out: string): void {
  const [co, cig, kh, kw] = ws as [number, number, number, number];
  const big = -(2 ** 31);
  const flipped = e.node1('Slice', [w, e.ints([-1, -1]), e.ints([big, big]), e.ints([2, 3]), e.ints([-1, -1])]);
  // [Cout, Cin/g, kh, kw] → [Cin, Cout/g, kh, kw]: swap the channel roles within each group
  const wt =
    a.groups === 1
      ? e.node1('Transpose', [flipped], { perm: [1, 0, 2, 3] })
      : e.reshape(e.node1('Transpose', [e.reshape(flipped, [a.groups, co / a.groups, cig, kh, kw])], { perm: [0, 2, 1, 3, 4] }), [cig * a.groups, co / a.groups, kh, kw]);
  e.nodeTo('Conv', [g, wt], [out], { kernel_shape: [kh, kw], strides: [1, 1], pads, dilations: [...a.dilation], group: a.groups });
}

function emitConvTranspose(e: OnnxEmitter, g: string, w: string, gs: readonly number[], k: [number, number], a: Conv2dInputGradAttrs, out: string): void {
  const [, , ho, wo] = gs as [number, number, number, number];
  const [, , h, wd] = a.inputShape as [number, number, number, number];
  // output_padding restores the rows/cols a strided forward conv dropped
  const full = (o: number, i: 0 | 1) => (o - 1) * a.stride[i] + a.dilation[i] * (k[i] - 1) + 1 - a.pads[i] - a.pads[i + 2]!;
  e.nodeTo('ConvTranspose', [g, w], [out], {
    kernel_shape: k,
    strides: [...a.stride],
    pads: [...a.pads],
    dilations: [...a.dilation],
    group: a.groups,
    output_padding: [h - full(ho, 0), wd - full(wo, 1)],
  });
}

export interface Conv2dWeightGradAttrs extends Conv2dAttrs {
  readonly weightShape: readonly number[];
  /** How the columns are formed: by size (`auto`, the default), or always one offset at a time. */
  readonly columns?: 'auto' | 'offsets';
}

/**
 * Column tensors up to this many floats (64 MB) are built by one Conv; larger ones by a Slice per
 * kernel offset, which never holds more than one offset's columns at a time.
 */
const IM2COL_CONV_MAX = 16 * 2 ** 20;

/**
 * dW through columns built by ONE grouped Conv whose kernels are one-hot (channel c·k² + o of the
 * output is channel c shifted to offset o; the conv applies stride, padding and dilation itself),
 * then one batched MatMul with dY and a sum over the batch. On the spiking CNN's second layer
 * (x [256,32,14,14]) that took 15-17 ms against 20-22 ms for a Pad and nine strided Slices with a
 * MatMul each: short rows make those Slices slow copies. On SPS-sized maps ([128,64,32,32]) the
 * per-offset form is as fast and holds one offset's columns instead of all nine (300 MB there).
 */
function emitIm2colConvWeightGrad(
  e: OnnxEmitter,
  x: string,
  dy: string,
  xs: readonly number[],
  [ho, wo]: [number, number],
  [kh, kw]: [number, number],
  a: Conv2dWeightGradAttrs,
  out: string,
): void {
  const [n, ci] = xs as [number, number];
  const k = kh * kw;
  const oneHot = new Float32Array(ci * k * k);
  for (let c = 0; c < ci; c++) for (let o = 0; o < k; o++) oneHot[(c * k + o) * k + o] = 1;
  const kernel = e.fresh('im2col_kernel');
  e.initializer({ name: kernel, dims: [ci * k, 1, kh, kw], dataType: 'float32', data: oneHot });
  const cols = e.node1('Conv', [x, kernel], { kernel_shape: [kh, kw], strides: [...a.stride], pads: [...a.pads], dilations: [...a.dilation], group: ci });
  const grouped = e.reshape(cols, [n, a.groups, (ci / a.groups) * k, ho * wo]);
  const prod = e.node1('MatMul', [dy, e.node1('Transpose', [grouped], { perm: [0, 1, 3, 2] })]);
  e.nodeTo('Reshape', [e.node1('ReduceSum', [prod, e.ints([0])], { keepdims: 0 }), e.ints(a.weightShape)], [out]);
}

/**
 * dL/dW of conv2d as im2col without the im2col tensor: for each of the kh·kw kernel offsets, the
 * shifted (strided) view of the padded input times dY, one batched MatMul per offset summed over N
 * — the batched-MatMul form measured fastest (notes/ort-training.md), minus the [N, Cin·kh·kw, Ho·Wo]
 * concatenation, which is a full extra copy and, on a 32×32 stem, hundreds of MB of peak memory.
 * Groups split the channels of both operands, so the result reshapes straight into
 * [Cout, Cin/g, kh, kw]. Columns small enough (IM2COL_CONV_MAX) are built whole by one Conv instead.
 */
export const conv2d_weight_grad: Primitive<Conv2dWeightGradAttrs> = {
  rowwise: false,
  fires: false,
  shape: (_ins, a) => [{ shape: a.weightShape }],
  emit: (e, io, a) => {
    const [x, g] = io.inputs as [string, string];
    const [n, ci] = io.inShapes[0] as [number, number, number, number];
    const [, co, ho, wo] = io.inShapes[1] as [number, number, number, number];
    const [, cig, kh, kw] = a.weightShape as [number, number, number, number];
    const padded = a.pads.some((p) => p !== 0) ? e.node1('Pad', [x, e.ints([0, 0, a.pads[0], a.pads[1], 0, 0, a.pads[2], a.pads[3]])], { mode: 'constant' }) : x;
    const [hp, wp] = [io.inShapes[0]![2]! + a.pads[0] + a.pads[2], io.inShapes[0]![3]! + a.pads[1] + a.pads[3]];
    // Depthwise: the offsets' products are 1×(Ho·Wo)·(Ho·Wo)×1 matmuls, N·C of them per offset (a 7×7
    // kernel made the Meta-SpikeFormer step spend most of its time in 49 Slices and MatMuls). There
    // the gradient is one grouped Conv instead: channel c of the padded input, its N samples as
    // input channels, correlated with channel c of dY as the kernel (dilated by the stride, stepped
    // by the dilation) gives dW[c] for every offset at once.
    const depthwise = a.groups === ci && co === ci && cig === 1;
    if (depthwise && convOutSize(hp, ho, a.dilation[0], 0, 0, a.stride[0]) === kh && convOutSize(wp, wo, a.dilation[1], 0, 0, a.stride[1]) === kw) {
      const input = e.reshape(e.node1('Transpose', [padded], { perm: [1, 0, 2, 3] }), [1, ci * n, hp, wp]);
      const kernel = e.node1('Transpose', [g], { perm: [1, 0, 2, 3] });
      const dw = e.node1('Conv', [input, kernel], { kernel_shape: [ho, wo], strides: [a.dilation[0], a.dilation[1]], dilations: [a.stride[0], a.stride[1]], pads: [0, 0, 0, 0], group: ci });
      e.nodeTo('Reshape', [dw, e.ints(a.weightShape)], io.outputs);
      return;
    }
    const dy = e.reshape(g, [n, a.groups, co / a.groups, ho * wo]);
    if (a.columns !== 'offsets' && n * ci * kh * kw * ho * wo <= IM2COL_CONV_MAX) {
      emitIm2colConvWeightGrad(e, x, dy, io.inShapes[0]!, [ho, wo], [kh, kw], a, io.outputs[0]!);
      return;
    }
    const perOffset: string[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const r = i * a.dilation[0];
        const c = j * a.dilation[1];
        const view = e.node1('Slice', [padded, e.ints([r, c]), e.ints([r + (ho - 1) * a.stride[0] + 1, c + (wo - 1) * a.stride[1] + 1]), e.ints([2, 3]), e.ints([...a.stride])]);
        const cols = e.reshape(view, [n, a.groups, ci / a.groups, ho * wo]);
        const prod = e.node1('MatMul', [dy, e.node1('Transpose', [cols], { perm: [0, 1, 3, 2] })]);
        perOffset.push(e.reshape(e.node1('ReduceSum', [prod, e.ints([0])], { keepdims: 0 }), [co, cig, 1]));
      }
    }
    const stacked = perOffset.length === 1 ? perOffset[0]! : e.node1('Concat', perOffset, { axis: 2 });
    e.nodeTo('Reshape', [stacked, e.ints(a.weightShape)], io.outputs);
  },
};
