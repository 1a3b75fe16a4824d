/** Spatial pooling on [N, C, H, W]. */
import type { Primitive } from '../primitive.js';
import { convOutSize } from './linalg.js';

export interface PoolAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  /** AvgPool only: PyTorch's count_include_pad (default true). */
  readonly countIncludePad?: boolean;
}

export function poolShape(shape: readonly number[], a: PoolAttrs): number[] {
  const [n, c, h, w] = shape;
  if (shape.length !== 4) throw new Error('pooling needs a 4-D input');
  const oh = convOutSize(h!, a.kernel[0], a.stride[0], a.pads[0], a.pads[2]);
  const ow = convOutSize(w!, a.kernel[1], a.stride[1], a.pads[1], a.pads[3]);
  if (oh < 1 || ow < 1) throw new Error('pooling: output would be empty');
  return [n!, c!, oh, ow];
}

const poolAttrs = (a: PoolAttrs) => ({ kernel_shape: [...a.kernel], strides: [...a.stride], pads: [...a.pads] });

/**
 * Max pooling. The training form also outputs ONNX's argmax indices (flat over N·C·H·W; the first
 * maximum in scan order wins, as in PyTorch), so the backward routes each gradient to exactly one
 * input. An equality mask would not do: spike maps tie in most windows that hold a spike.
 */
export const maxpool2d: Primitive<PoolAttrs & { save?: boolean }> = {
  rowwise: true,
  fires: false,
  shape: ([x], a) => {
    const y = poolShape(x!.shape, a);
    return a.save ? [{ shape: y }, { shape: y, dtype: 'int64' }] : [{ shape: y }];
  },
  emit: (e, io, a) => e.nodeTo('MaxPool', io.inputs, io.outputs, poolAttrs(a)),
  train: (a) => ({ ...a, save: true }),
  vjp: (b, { inputs: [x], outputs: [, indices], attrs }, [g]) => [
    b.op1('maxpool2d_grad', [g!, indices!], { kernel: attrs.kernel, stride: attrs.stride, pads: attrs.pads, inputShape: b.shape(x!) }),
  ],
};

/**
 * Scatters pooled gradients back to their argmax: MaxUnpool where windows do not overlap (the
 * fastest form measured); where they do, one input can win two windows and its gradients must add,
 * which MaxUnpool (a plain scatter) would not do, so ScatterElements with reduction add is used.
 */
export const maxpool2d_grad: Primitive<PoolAttrs & { inputShape: readonly number[] }> = {
  rowwise: false,
  fires: false,
  shape: (_ins, a) => [{ shape: a.inputShape }],
  emit: (e, io, a) => {
    const [g, indices] = io.inputs as [string, string];
    const overlapping = a.kernel[0] > a.stride[0] || a.kernel[1] > a.stride[1];
    if (!overlapping) {
      e.nodeTo('MaxUnpool', [g, indices, e.ints(a.inputShape)], io.outputs, poolAttrs(a));
      return;
    }
    const total = a.inputShape.reduce((n, d) => n * d, 1);
    const flat = (v: string) => e.reshape(v, [-1]);
    const summed = e.node1('ScatterElements', [e.zeros([total]), flat(indices), flat(g)], { axis: 0, reduction: 'add' });
    e.nodeTo('Reshape', [summed, e.ints(a.inputShape)], io.outputs);
  },
};

export const avgpool2d: Primitive<PoolAttrs> = {
  rowwise: true,
  fires: false,
  shape: ([x], a) => [{ shape: poolShape(x!.shape, a) }],
  emit: (e, io, a) =>
    e.nodeTo('AveragePool', io.inputs, io.outputs, {
      ...poolAttrs(a),
      count_include_pad: a.countIncludePad === false ? 0 : 1,
    }),
  vjp: (b, { inputs: [x], attrs }, [g]) => [b.op1('avgpool2d_grad', [g!], { ...attrs, inputShape: b.shape(x!) })],
};

/**
 * Backward of average pooling: each window's gradient divided by its divisor, then spread over the
 * window by a depthwise ConvTranspose with an all-ones kernel (overlaps add, as they must).
 */
export const avgpool2d_grad: Primitive<PoolAttrs & { inputShape: readonly number[] }> = {
  rowwise: false,
  fires: false,
  shape: (_ins, a) => [{ shape: a.inputShape }],
  emit: (e, io, a) => {
    const [, c, h, w] = a.inputShape as [number, number, number, number];
    const [, , ho, wo] = io.inShapes[0] as [number, number, number, number];
    const [kh, kw] = a.kernel;
    const divisors = new Float32Array(ho * wo);
    for (let i = 0; i < ho; i++) {
      for (let j = 0; j < wo; j++) {
        const rows = a.countIncludePad === false ? overlap(i * a.stride[0] - a.pads[0], kh, h) : kh;
        const cols = a.countIncludePad === false ? overlap(j * a.stride[1] - a.pads[1], kw, w) : kw;
        divisors[i * wo + j] = 1 / (rows * cols);
      }
    }
    const uniform = divisors.every((d) => d === divisors[0]);
    const scaled = e.node1('Mul', [io.inputs[0]!, uniform ? e.scalar(divisors[0]!) : e.floats(Array.from(divisors), [1, 1, ho, wo])]);
    const full = (o: number, i: 0 | 1) => (o - 1) * a.stride[i] + a.kernel[i] - a.pads[i] - a.pads[i + 2]!;
    e.nodeTo('ConvTranspose', [scaled, e.floats(new Array<number>(c * kh * kw).fill(1), [c, 1, kh, kw])], io.outputs, {
      ...poolAttrs(a),
      group: c,
      output_padding: [h - full(ho, 0), w - full(wo, 1)],
    });
  },
};

/** How many of the window's k positions starting at `start` fall inside [0, size). */
function overlap(start: number, k: number, size: number): number {
  return Math.min(start + k, size) - Math.max(start, 0);
}
