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

function poolShape(shape: readonly number[], a: PoolAttrs): number[] {
  const [n, c, h, w] = shape;
  if (shape.length !== 4) throw new Error('pooling needs a 4-D input');
  const oh = convOutSize(h!, a.kernel[0], a.stride[0], a.pads[0], a.pads[2]);
  const ow = convOutSize(w!, a.kernel[1], a.stride[1], a.pads[1], a.pads[3]);
  if (oh < 1 || ow < 1) throw new Error('pooling: output would be empty');
  return [n!, c!, oh, ow];
}

export const maxpool2d: Primitive<PoolAttrs> = {
  shape: ([x], a) => [{ shape: poolShape(x!.shape, a) }],
  emit: (e, io, a) =>
    e.nodeTo('MaxPool', io.inputs, io.outputs, { kernel_shape: [...a.kernel], strides: [...a.stride], pads: [...a.pads] }),
};

export const avgpool2d: Primitive<PoolAttrs> = {
  shape: ([x], a) => [{ shape: poolShape(x!.shape, a) }],
  emit: (e, io, a) =>
    e.nodeTo('AveragePool', io.inputs, io.outputs, {
      kernel_shape: [...a.kernel],
      strides: [...a.stride],
      pads: [...a.pads],
      count_include_pad: a.countIncludePad === false ? 0 : 1,
    }),
};
