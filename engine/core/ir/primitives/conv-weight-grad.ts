/**
 * dL/dW of conv2d in its three forms, one row each; `conv2d_weight_grad`, the row the conv's VJP
 * emits, stands for whichever form `convWeightGradForm` picks. The training step's pass
 * (train/passes/conv-forms.ts) rewrites each such node to its form's row, so the choice is made
 * once, by one rule, with its thresholds here; a graph that never went through the pass emits the
 * same form.
 *
 * - depthwise: one grouped Conv of the padded input with dY as the kernel;
 * - gathered (ungrouped convs of 8 or more input channels): columns gathered from the channels-last padded input, then
 *   batched MatMuls over a few samples each; past IM2COL_CONV_MAX floats of columns, a chunk of samples at a time;
 * - columns (grouped convs, and narrow inputs): columns built by one grouped Conv with one-hot kernels, then one
 *   batched MatMul;
 * - offsets: a strided Slice of the padded input and a batched MatMul per kernel offset.
 */
import type { OnnxEmitter } from '../../onnx/emitter.js';
import type { EmitIo, Primitive } from '../primitive.js';
import { convOutSize, type Conv2dAttrs } from './linalg.js';

export interface Conv2dWeightGradAttrs extends Conv2dAttrs {
  readonly weightShape: readonly number[];
  /** How the columns are formed: by size (`auto`, the default), or always one offset at a time. */
  readonly columns?: 'auto' | 'offsets';
  /** The most floats of columns held at once (IM2COL_CONV_MAX unless a test sets it lower). */
  readonly columnsMax?: number;
}

export type ConvWeightGradForm = 'depthwise' | 'gathered' | 'columns' | 'offsets';

/**
 * Column tensors up to this many floats (64 MB) are built by one Conv; larger ones by a Slice per
 * kernel offset, which never holds more than one offset's columns at a time (bench/suites has the
 * training timings these forms were chosen by).
 */
export const IM2COL_CONV_MAX = 16 * 2 ** 20;

/**
 * The gathered form copies rows of Cin floats; below this many the one-hot Conv builds the columns
 * faster (the CNN's 1-channel stem: 1.6 ms to gather, under 0.5 ms by the Conv).
 */
export const GATHERED_MIN_CHANNELS = 8;

/** The form for a conv2d_weight_grad with input x and output gradient g of these shapes. */
export function convWeightGradForm(a: Conv2dWeightGradAttrs, xShape: readonly number[], gShape: readonly number[]): ConvWeightGradForm {
  const [n, ci, h, w] = xShape as [number, number, number, number];
  const [, co, ho, wo] = gShape as [number, number, number, number];
  const [, cig, kh, kw] = a.weightShape as [number, number, number, number];
  const [hp, wp] = [h + a.pads[0] + a.pads[2], w + a.pads[1] + a.pads[3]];
  const depthwise = a.groups === ci && co === ci && cig === 1;
  if (depthwise && convOutSize(hp, ho, a.dilation[0], 0, 0, a.stride[0]) === kh && convOutSize(wp, wo, a.dilation[1], 0, 0, a.stride[1]) === kw) return 'depthwise';
  const perSample = ci * kh * kw * ho * wo;
  const max = a.columnsMax ?? IM2COL_CONV_MAX;
  if (a.columns === 'offsets') return 'offsets';
  if (a.groups === 1 && ci >= GATHERED_MIN_CHANNELS && samplesPerProduct(n, ho * wo) * perSample <= max) return 'gathered';
  return n * perSample > max ? 'offsets' : 'columns';
}

const EMITTERS: Record<ConvWeightGradForm, (e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs) => void> = {
  depthwise: emitDepthwise,
  gathered: emitGathered,
  columns: emitColumns,
  offsets: emitOffsets,
};

function formRow(form: ConvWeightGradForm): Primitive<Conv2dWeightGradAttrs> {
  return { rowwise: false, fires: false, shape: (_ins, a) => [{ shape: a.weightShape }], emit: EMITTERS[form] };
}

/** dL/dW of conv2d: inputs x [N, Cin, H, W] and g = dY [N, Cout, Ho, Wo]; output [Cout, Cin/g, kh, kw]. */
export const conv2d_weight_grad: Primitive<Conv2dWeightGradAttrs> = {
  rowwise: false,
  fires: false,
  shape: (_ins, a) => [{ shape: a.weightShape }],
  emit: (e, io, a) => EMITTERS[convWeightGradForm(a, io.inShapes[0]!, io.inShapes[1]!)](e, io, a),
};
export const conv2d_weight_grad_depthwise = formRow('depthwise');
export const conv2d_weight_grad_gathered = formRow('gathered');
export const conv2d_weight_grad_columns = formRow('columns');
export const conv2d_weight_grad_offsets = formRow('offsets');

function padInput(e: OnnxEmitter, x: string, a: Conv2dAttrs): string {
  return a.pads.some((p) => p !== 0) ? e.node1('Pad', [x, e.ints([0, 0, a.pads[0], a.pads[1], 0, 0, a.pads[2], a.pads[3]])], { mode: 'constant' }) : x;
}

/**
 * Depthwise: the offsets' products would be 1×(Ho·Wo)·(Ho·Wo)×1 matmuls, N·C of them per offset (a
 * 7×7 kernel made the Meta-SpikeFormer step spend most of its time in 49 Slices and MatMuls). Here
 * the gradient is one grouped Conv instead: channel c of the padded input, its N samples as input
 * channels, correlated with channel c of dY as the kernel (dilated by the stride, stepped by the
 * dilation) gives dW[c] for every offset at once.
 */
function emitDepthwise(e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs): void {
  const [x, g] = io.inputs as [string, string];
  const [n, ci, h, w] = io.inShapes[0] as [number, number, number, number];
  const [, , ho, wo] = io.inShapes[1] as [number, number, number, number];
  const padded = padInput(e, x, a);
  const [hp, wp] = [h + a.pads[0] + a.pads[2], w + a.pads[1] + a.pads[3]];
  const input = e.reshape(e.node1('Transpose', [padded], { perm: [1, 0, 2, 3] }), [1, ci * n, hp, wp]);
  const kernel = e.node1('Transpose', [g], { perm: [1, 0, 2, 3] });
  const dw = e.node1('Conv', [input, kernel], { kernel_shape: [ho, wo], strides: [a.dilation[0], a.dilation[1]], dilations: [a.stride[0], a.stride[1]], pads: [0, 0, 0, 0], group: ci });
  e.nodeTo('Reshape', [dw, e.ints(a.weightShape)], io.outputs);
}

/** Rows of a gathered form's MatMuls: samples are taken together until their pixels reach this many. */
const GATHERED_ROWS = 1024;

/**
 * dW of an ungrouped conv through columns in the layout its product wants, [N·Ho·Wo, kh·kw·Cin]:
 * the input goes channels-last and padded ([N, Hp·Wp, Cin], a copy of the input's size), and one
 * Gather along the pixel axis, with an index per (output pixel, kernel offset) that carries the
 * stride and dilation, copies each Cin-long row to its place. Against the one-hot-Conv columns
 * (measured on the CNN's conv2, [256,32,14,14] → 64, 2 threads: 10 ms to build, 14 ms in a
 * transposed batched MatMul) the Gather takes 3 ms and the MatMul needs no transpose. The MatMuls
 * run on c samples at a time (K = c·Ho·Wo ≥ GATHERED_ROWS, with dY moved to [N/c, Cout, c·Ho·Wo]):
 * one sample's K of 196 left the GEMM short, one MatMul over all N·Ho·Wo ran slower still.
 *
 * Where all N samples' columns would pass the columns limit, the samples go in chunks (the input
 * and dY split along N, each chunk gathered, multiplied and summed, the chunks' sums added), so
 * no more than one chunk's columns is held at a time. Against the per-offset Slices this replaces
 * (Spikformer's SPS convs, [128,64,32,32] → 128: nine Slices of 32-float rows, 11–13 ms each),
 * a chunk's Gather copies Cin-long rows. The result comes out as [Cout, kh, kw, Cin] and is
 * transposed (a weight-sized copy).
 */
function emitGathered(e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs): void {
  const [n, ci, h, w] = io.inShapes[0] as [number, number, number, number];
  const [, co, ho, wo] = io.inShapes[1] as [number, number, number, number];
  const [, , kh, kw] = a.weightShape as [number, number, number, number];
  const [hp, wp] = [h + a.pads[0] + a.pads[2], w + a.pads[1] + a.pads[3]];
  const k = kh * kw;
  const last = e.node1('Transpose', [io.inputs[0]!], { perm: [0, 2, 3, 1] });
  const padded = a.pads.some((p) => p !== 0) ? e.node1('Pad', [last, e.ints([0, a.pads[0], a.pads[1], 0, 0, a.pads[2], a.pads[3], 0])], { mode: 'constant' }) : last;
  const index = new BigInt64Array(ho * wo * k);
  for (let y = 0; y < ho; y++) {
    for (let x = 0; x < wo; x++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) index[((y * wo + x) * kh + i) * kw + j] = BigInt((y * a.stride[0] + i * a.dilation[0]) * wp + x * a.stride[1] + j * a.dilation[1]);
      }
    }
  }
  const indexName = e.fresh('im2col_index');
  e.initializer({ name: indexName, dims: [ho * wo, k], dataType: 'int64', data: index });
  const c = samplesPerProduct(n, ho * wo);
  const m = samplesPerChunk(n, c, ho * wo * k * ci, a.columnsMax ?? IM2COL_CONV_MAX);
  const chunks = n / m;
  const inputs = chunks === 1 ? [padded] : e.node('Split', [padded], { axis: 0 }, chunks);
  const grads = chunks === 1 ? [io.inputs[1]!] : e.node('Split', [io.inputs[1]!], { axis: 0 }, chunks);
  const sums = inputs.map((input, i) => {
    const cols = e.node1('Gather', [e.reshape(input, [m, hp * wp, ci]), indexName], { axis: 1 });
    const dy = c === 1 ? e.reshape(grads[i]!, [m, co, ho * wo]) : e.reshape(e.node1('Transpose', [e.reshape(grads[i]!, [m / c, c, co, ho * wo])], { perm: [0, 2, 1, 3] }), [m / c, co, c * ho * wo]);
    const prod = e.node1('MatMul', [dy, e.reshape(cols, [m / c, c * ho * wo, k * ci])]);
    return m / c === 1 ? e.reshape(prod, [co, k * ci]) : e.node1('ReduceSum', [prod, e.ints([0])], { keepdims: 0 });
  });
  const sum = sums.length === 1 ? sums[0]! : e.node1('Sum', sums);
  e.nodeTo('Transpose', [e.reshape(sum, [co, kh, kw, ci])], io.outputs, { perm: [0, 3, 1, 2] });
}

/** The fewest samples, a divisor of n, whose pixels reach GATHERED_ROWS (all n where none does). */
function samplesPerProduct(n: number, pixels: number): number {
  for (let c = 1; c <= n; c++) if (n % c === 0 && c * pixels >= GATHERED_ROWS) return c;
  return n;
}

/** The most samples, a divisor of n and a multiple of c, whose columns fit in max floats. */
function samplesPerChunk(n: number, c: number, perSample: number, max: number): number {
  for (let m = n; m > c; m--) if (n % m === 0 && m % c === 0 && m * perSample <= max) return m;
  return c;
}

/** dY as [N, groups, Cout/groups, Ho·Wo], the left operand of the columns' batched MatMuls. */
function groupedDy(e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs): string {
  const [n, co, ho, wo] = io.inShapes[1] as [number, number, number, number];
  return e.reshape(io.inputs[1]!, [n, a.groups, co / a.groups, ho * wo]);
}

/**
 * dW through columns built by ONE grouped Conv whose kernels are one-hot (channel c·k² + o of the
 * output is channel c shifted to offset o; the conv applies stride, padding and dilation itself),
 * then one batched MatMul with dY and a sum over the batch. Short rows make per-offset Slices slow
 * copies; on large maps the per-offset form is as fast and holds one offset's columns instead of
 * all of them, hence IM2COL_CONV_MAX.
 */
function emitColumns(e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs): void {
  const x = io.inputs[0]!;
  const [n, ci] = io.inShapes[0] as [number, number];
  const [, , ho, wo] = io.inShapes[1] as [number, number, number, number];
  const [, , kh, kw] = a.weightShape as [number, number, number, number];
  const dy = groupedDy(e, io, a);
  const k = kh * kw;
  const oneHot = new Float32Array(ci * k * k);
  for (let c = 0; c < ci; c++) for (let o = 0; o < k; o++) oneHot[(c * k + o) * k + o] = 1;
  const kernel = e.fresh('im2col_kernel');
  e.initializer({ name: kernel, dims: [ci * k, 1, kh, kw], dataType: 'float32', data: oneHot });
  const cols = e.node1('Conv', [x, kernel], { kernel_shape: [kh, kw], strides: [...a.stride], pads: [...a.pads], dilations: [...a.dilation], group: ci });
  const grouped = e.reshape(cols, [n, a.groups, (ci / a.groups) * k, ho * wo]);
  const prod = e.node1('MatMul', [dy, e.node1('Transpose', [grouped], { perm: [0, 1, 3, 2] })]);
  e.nodeTo('Reshape', [e.node1('ReduceSum', [prod, e.ints([0])], { keepdims: 0 }), e.ints(a.weightShape)], io.outputs);
}

/**
 * im2col without the im2col tensor: for each of the kh·kw kernel offsets, the shifted (strided)
 * view of the padded input times dY, one batched MatMul per offset summed over N — the
 * batched-MatMul form measured fastest (notes/ort-training.md), minus the [N, Cin·kh·kw, Ho·Wo]
 * concatenation, which is a full extra copy and, on a 32×32 stem, hundreds of MB of peak memory.
 * Groups split the channels of both operands, so the result reshapes straight into
 * [Cout, Cin/g, kh, kw].
 */
function emitOffsets(e: OnnxEmitter, io: EmitIo, a: Conv2dWeightGradAttrs): void {
  const [n, ci] = io.inShapes[0] as [number, number];
  const [, co, ho, wo] = io.inShapes[1] as [number, number, number, number];
  const [, cig, kh, kw] = a.weightShape as [number, number, number, number];
  const padded = padInput(e, io.inputs[0]!, a);
  const dy = groupedDy(e, io, a);
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
}
