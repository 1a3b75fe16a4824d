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
