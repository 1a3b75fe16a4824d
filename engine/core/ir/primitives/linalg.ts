/** Matrix products and convolution. */
import { broadcastShapes, type Primitive } from '../primitive.js';

/** Batched matrix product with numpy semantics over the leading dims. */
export const matmul: Primitive<Record<string, never>> = {
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
};

/** y = x·Wᵀ (+ b) on a 2-D x [M, in] with W [out, in] as PyTorch stores Linear weights. */
export const linear: Primitive<Record<string, never>> = {
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
};
