/** Stateless layers: they run once on the merged [T*B, ...] batch (or [B, ...] when untimed). */
import { z } from 'zod';
import { convOutSize } from '../ir/primitives/linalg.js';
import { irShape, type IrTensor, type LowerCtx } from '../lower/context.js';
import { updatedName } from '../train/names.js';
import { fail } from '../problems.js';
import { numel, sameShape, type TensorType, type ValueKind } from '../tensor.js';
import { onLastDim, positiveInt, nonNegInt } from './common.js';
import type { PrimitiveBlock } from './types.js';

const steps = (t: TensorType, T: number): number => (t.timed ? T : 1);
const analog = (t: TensorType, shape: readonly number[], kind: ValueKind = 'analog'): TensorType => ({ shape, timed: t.timed, kind });
const pair = z.union([positiveInt, z.tuple([positiveInt, positiveInt])]);
const pairNonNeg = z.union([nonNegInt, z.tuple([nonNegInt, nonNegInt])]);
const asPair = (v: number | readonly [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

// ---- convolution ----------------------------------------------------------------------------

const conv2dParams = z.strictObject({
  outChannels: positiveInt,
  kernel: pair.default(3),
  stride: pair.default(1),
  padding: pairNonNeg.default(1),
  groups: positiveInt.default(1),
  bias: z.boolean().default(false),
  init: z.enum(['default', 'trunc_normal']).default('default'),
});
type Conv2dParams = z.infer<typeof conv2dParams>;

export const conv2d: PrimitiveBlock<Conv2dParams> = {
  kind: 'primitive',
  id: 'conv2d',
  label: 'Conv2d',
  category: 'layers',
  description: '2-D convolution on [C,H,W] (shared over time: runs on the T·B-merged batch). PyTorch default init, or trunc-normal std 0.02 with zero bias.',
  keywords: ['convolution', 'conv'],
  params: conv2dParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    if (x!.shape.length !== 3) fail(`expects [C,H,W] per sample; got [${x!.shape.join(',')}]`, { port: 'in' });
    const [c, h, w] = x!.shape as [number, number, number];
    if (c % p.groups !== 0) fail(`groups ${p.groups} does not divide ${c} input channels`, { param: 'groups' });
    if (p.outChannels % p.groups !== 0) fail(`groups ${p.groups} does not divide ${p.outChannels} output channels`, { param: 'groups' });
    const [kh, kw] = asPair(p.kernel);
    const [sh, sw] = asPair(p.stride);
    const [ph, pw] = asPair(p.padding);
    const oh = convOutSize(h, kh, sh, ph, ph);
    const ow = convOutSize(w, kw, sw, pw, pw);
    if (oh < 1 || ow < 1) fail(`a ${kh}×${kw} kernel does not fit the ${h}×${w} input`, { param: 'kernel' });
    const params = p.outChannels * (c / p.groups) * kh * kw + (p.bias ? p.outChannels : 0);
    const macs = oh * ow * p.outChannels * (c / p.groups) * kh * kw * steps(x!, ctx.timeSteps);
    return { outputs: { out: analog(x!, [p.outChannels, oh, ow]) }, params, macs, synapticInput: 'in' };
  },
  lower: (ctx, { in: x }, p) => {
    const c = x!.type.shape[0]!;
    const [kh, kw] = asPair(p.kernel);
    const fanIn = (c / p.groups) * kh * kw;
    const bound = 1 / Math.sqrt(fanIn);
    const w = ctx.param('weight', [p.outChannels, c / p.groups, kh, kw], p.init === 'trunc_normal' ? { kind: 'trunc_normal', std: 0.02 } : { kind: 'uniform', bound }, 'weight');
    const ins = [x!.value, w];
    if (p.bias) ins.push(ctx.param('bias', [p.outChannels], p.init === 'trunc_normal' ? { kind: 'const', value: 0 } : { kind: 'uniform', bound }, 'bias'));
    const [ph, pw] = asPair(p.padding);
    return { out: ctx.b.op1('conv2d', ins, { stride: asPair(p.stride), pads: [ph, pw, ph, pw], dilation: [1, 1], groups: p.groups }) };
  },
};

/** Linear layer on the last dim; [D] vectors and [N,D] token sets alike (a 1×1 Conv1d on tokens is the same map). */
const linearParams = z.strictObject({
  outFeatures: positiveInt,
  bias: z.boolean().default(true),
  init: z.enum(['default', 'trunc_normal']).default('default'),
});
type LinearParams = z.infer<typeof linearParams>;

function inferLinear(x: TensorType, p: LinearParams, T: number) {
  if (x.shape.length < 1 || x.shape.length > 2) fail(`expects [D] or tokens [N,D]; got [${x.shape.join(',')}] (flatten or tokenise first)`, { port: 'in' });
  const inF = x.shape[x.shape.length - 1]!;
  const rows = numel(x.shape) / inF;
  return {
    outputs: { out: analog(x, [...x.shape.slice(0, -1), p.outFeatures]) },
    params: inF * p.outFeatures + (p.bias ? p.outFeatures : 0),
    macs: rows * inF * p.outFeatures * steps(x, T),
    synapticInput: 'in',
  };
}

function lowerLinear(ctx: LowerCtx, x: IrTensor, p: LinearParams): number {
  const inF = x.type.shape[x.type.shape.length - 1]!;
  const bound = 1 / Math.sqrt(inF);
  const w = ctx.param('weight', [p.outFeatures, inF], p.init === 'trunc_normal' ? { kind: 'trunc_normal', std: 0.02 } : { kind: 'uniform', bound }, 'weight');
  const ins = [w];
  if (p.bias) ins.push(ctx.param('bias', [p.outFeatures], p.init === 'trunc_normal' ? { kind: 'const', value: 0 } : { kind: 'uniform', bound }, 'bias'));
  return onLastDim(ctx, x, p.outFeatures, (flat) => ctx.b.op1('linear', [flat, ...ins]));
}

export const linear: PrimitiveBlock<LinearParams> = {
  kind: 'primitive',
  id: 'linear',
  label: 'Linear',
  category: 'layers',
  description: 'Fully connected layer on the last dimension ([D] or tokens [N,D]); equals a 1×1 Conv1d on tokens. PyTorch default init, or trunc-normal std 0.02 with zero bias (Spikformer).',
  keywords: ['dense', 'fc', 'fully connected', 'conv1d'],
  params: linearParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => inferLinear(x!, p, ctx.timeSteps),
  lower: (ctx, { in: x }, p) => ({ out: lowerLinear(ctx, x!, p) }),
};

/** Conv1d with kernel 1 on channels-first [C, L] (the ImageNet code's layout). */
const conv1dParams = z.strictObject({ outChannels: positiveInt, bias: z.boolean().default(false) });
export const conv1d: PrimitiveBlock<z.infer<typeof conv1dParams>> = {
  kind: 'primitive',
  id: 'conv1d',
  label: 'Conv1d 1×1',
  category: 'layers',
  description: 'Pointwise Conv1d on channels-first [C,L]. For tokens-major [N,D] tensors use Linear (the same map).',
  keywords: ['pointwise', 'conv'],
  params: conv1dParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    if (x!.shape.length !== 2) fail(`expects [C,L]; got [${x!.shape.join(',')}]`, { port: 'in' });
    const [c, l] = x!.shape as [number, number];
    return {
      outputs: { out: analog(x!, [p.outChannels, l]) },
      params: c * p.outChannels + (p.bias ? p.outChannels : 0),
      macs: l * c * p.outChannels * steps(x!, ctx.timeSteps),
      synapticInput: 'in',
    };
  },
  lower: (ctx, { in: x }, p) => {
    const c = x!.type.shape[0]!;
    const bound = 1 / Math.sqrt(c);
    const w = ctx.param('weight', [p.outChannels, c], { kind: 'uniform', bound }, 'weight');
    let y = ctx.b.op1('matmul', [w, x!.value]);
    if (p.bias) y = ctx.b.op1('add', [y, ctx.b.op1('reshape', [ctx.param('bias', [p.outChannels], { kind: 'uniform', bound }, 'bias')], { shape: [p.outChannels, 1] })]);
    return { out: y };
  },
};

// ---- normalisation --------------------------------------------------------------------------

const bnParams = z.strictObject({ eps: z.number().positive().default(1e-5), momentum: z.number().min(0).max(1).default(0.1) });
type BnParams = z.infer<typeof bnParams>;

/**
 * BN over `channels` features; `flat` is x as [M, C] (1-d) or [M, C, H, W] (2-d). Inference uses
 * the running statistics; training normalises with the batch statistics over T·B·spatial and
 * emits the running-statistic updates (momentum, unbiased variance, as PyTorch) as graph outputs
 * `updated:<buffer>`, which the training step feeds back.
 */
function lowerBn(ctx: LowerCtx, flat: number, channels: number, p: BnParams): number {
  const w = ctx.param('weight', [channels], { kind: 'const', value: 1 }, 'norm');
  const b = ctx.param('bias', [channels], { kind: 'const', value: 0 }, 'norm');
  const mean = ctx.param('running_mean', [channels], { kind: 'const', value: 0 }, 'buffer');
  const vr = ctx.param('running_var', [channels], { kind: 'const', value: 1 }, 'buffer');
  if (ctx.mode === 'infer') return ctx.b.op1('batchnorm', [flat, w, b, mean, vr], { eps: p.eps, momentum: p.momentum });
  // minimal rank: spatial dims merged, [N, C, H·W] (notes/ort-training.md)
  const shape = ctx.b.shape(flat);
  const x = shape.length > 3 ? ctx.b.op1('reshape', [flat], { shape: [shape[0]!, channels, numel(shape.slice(2))] }) : flat;
  const [y, batchMean, batchVar] = ctx.b.op('batchnorm_train', [x, w, b], { eps: p.eps });
  const n = numel(shape) / channels;
  const blend = (running: number, batch: number, gain: number) =>
    ctx.b.op1('add', [ctx.b.op1('scale', [running], { factor: 1 - p.momentum }), ctx.b.op1('scale', [batch], { factor: p.momentum * gain })]);
  ctx.b.output(updatedName(scoped(ctx, 'running_mean')), blend(mean, batchMean!, 1));
  ctx.b.output(updatedName(scoped(ctx, 'running_var')), blend(vr, batchVar!, n > 1 ? n / (n - 1) : 1));
  return shape.length > 3 ? ctx.b.op1('reshape', [y!], { shape }) : y!;
}

/** BatchNorm2d on the channels of x [M, C, H, W] (bn_pad normalises with it too). */
export function lowerBatchnorm2d(ctx: LowerCtx, x: IrTensor, p: BnParams): number {
  return lowerBn(ctx, x.value, x.type.shape[0]!, p);
}

/** A parameter's full name, as `ctx.param` gives it. */
function scoped(ctx: LowerCtx, local: string): string {
  return ctx.b.scope === '' ? local : `${ctx.b.scope}.${local}`;
}

export const batchnorm1d: PrimitiveBlock<BnParams> = {
  kind: 'primitive',
  id: 'batchnorm1d',
  label: 'BatchNorm1d',
  category: 'layers',
  description: 'Batch normalisation of the last dim of [D] or tokens [N,D]; one set of statistics shared over time, computed over T·B·N samples.',
  keywords: ['bn', 'normalization'],
  params: bnParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.shape.length < 1 || x!.shape.length > 2) fail(`expects [D] or [N,D]; got [${x!.shape.join(',')}]`, { port: 'in' });
    return { outputs: { out: analog(x!, x!.shape) }, params: 2 * x!.shape[x!.shape.length - 1]! };
  },
  lower: (ctx, { in: x }, p) => {
    const d = x!.type.shape[x!.type.shape.length - 1]!;
    // minimal rank: BN on 2-D [M, D] (notes/ort-training.md: a 4-D layout made a step 3.9x slower)
    return { out: onLastDim(ctx, x!, d, (flat) => lowerBn(ctx, flat, d, p)) };
  },
};

export const batchnorm2d: PrimitiveBlock<BnParams> = {
  kind: 'primitive',
  id: 'batchnorm2d',
  label: 'BatchNorm2d',
  category: 'layers',
  description: 'Batch normalisation of the channels of [C,H,W]; statistics over T·B·H·W, shared over time.',
  keywords: ['bn', 'normalization'],
  params: bnParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.shape.length !== 3) fail(`expects [C,H,W]; got [${x!.shape.join(',')}]`, { port: 'in' });
    return { outputs: { out: analog(x!, x!.shape) }, params: 2 * x!.shape[0]! };
  },
  lower: (ctx, { in: x }, p) => ({ out: lowerBatchnorm2d(ctx, x!, p) }),
};

// ---- pooling --------------------------------------------------------------------------------

const poolParams = z.strictObject({ kernel: pair.default(2), stride: pair.optional(), padding: pairNonNeg.default(0) });
type PoolParams = z.infer<typeof poolParams>;

function inferPool(x: TensorType, p: PoolParams, keepKind: boolean) {
  if (x.shape.length !== 3) fail(`expects [C,H,W]; got [${x.shape.join(',')}]`, { port: 'in' });
  const [c, h, w] = x.shape as [number, number, number];
  const [kh, kw] = asPair(p.kernel);
  const [sh, sw] = asPair(p.stride ?? p.kernel);
  const [ph, pw] = asPair(p.padding);
  if (2 * ph > kh || 2 * pw > kw) fail('padding must be at most half the kernel', { param: 'padding' });
  const oh = convOutSize(h, kh, sh, ph, ph);
  const ow = convOutSize(w, kw, sw, pw, pw);
  if (oh < 1 || ow < 1) fail(`a ${kh}×${kw} window does not fit the ${h}×${w} input`, { param: 'kernel' });
  // max of spikes is a spike; a mean of spikes is a rate (analog)
  return { outputs: { out: analog(x, [c, oh, ow], keepKind ? x.kind : 'analog') } };
}

function poolAttrs(p: PoolParams) {
  const [ph, pw] = asPair(p.padding);
  return { kernel: asPair(p.kernel), stride: asPair(p.stride ?? p.kernel), pads: [ph, pw, ph, pw] };
}

export const maxpool2d: PrimitiveBlock<PoolParams> = {
  kind: 'primitive',
  id: 'maxpool2d',
  label: 'MaxPool2d',
  category: 'layers',
  description: 'Max pooling on [C,H,W] (stride defaults to the kernel). On spikes it keeps spikes; before a neuron (CML order) it pools membranes.',
  keywords: ['pool', 'downsample'],
  params: poolParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => inferPool(x!, p, true),
  lower: (ctx, { in: x }, p) => ({ out: ctx.b.op1('maxpool2d', [x!.value], poolAttrs(p)) }),
};

export const avgpool2d: PrimitiveBlock<PoolParams> = {
  kind: 'primitive',
  id: 'avgpool2d',
  label: 'AvgPool2d',
  category: 'layers',
  description: 'Average pooling on [C,H,W] (count_include_pad as PyTorch).',
  keywords: ['pool', 'downsample', 'average'],
  params: poolParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => inferPool(x!, p, false),
  lower: (ctx, { in: x }, p) => ({ out: ctx.b.op1('avgpool2d', [x!.value], { ...poolAttrs(p), countIncludePad: true }) }),
};

export const globalAvgPool: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'global_avgpool',
  label: 'Global average pool',
  category: 'layers',
  description: 'Mean over H and W: [C,H,W] → [C].',
  keywords: ['gap', 'pool'],
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.shape.length !== 3) fail(`expects [C,H,W]; got [${x!.shape.join(',')}]`, { port: 'in' });
    return { outputs: { out: analog(x!, [x!.shape[0]!]) } };
  },
  lower: (ctx, { in: x }) => ({ out: ctx.b.op1('reduce_mean', [x!.value], { axes: [2, 3], keepdims: false }) }),
};

// ---- views ----------------------------------------------------------------------------------

/** `value` reshaped to the node's inferred output type `out` (the same elements, T and B kept). */
function view(ctx: LowerCtx, value: number, out: TensorType): number {
  return ctx.b.op1('reshape', [value], { shape: irShape(ctx, out) });
}

export const flatten: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'flatten',
  label: 'Flatten',
  category: 'layers',
  description: 'Flattens the per-sample dims: [C,H,W] → [C·H·W].',
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => ({ outputs: { out: { ...x!, shape: [numel(x!.shape)] } } }),
  lower: (ctx, { in: x }, _p, { out }) => ({ out: view(ctx, x!.value, out!) }),
};

export const tokens: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'tokens',
  label: 'To tokens',
  category: 'layers',
  description: 'Feature map to a token set: [C,H,W] → [N=H·W, C] (tokens-major, the layout Linear and BatchNorm1d work on).',
  keywords: ['flatten', 'patch', 'sequence'],
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.shape.length !== 3) fail(`expects [C,H,W]; got [${x!.shape.join(',')}]`, { port: 'in' });
    const [c, h, w] = x!.shape as [number, number, number];
    return { outputs: { out: { ...x!, shape: [h * w, c] } } };
  },
  lower: (ctx, { in: x }) => {
    const [c, h, w] = x!.type.shape as [number, number, number];
    const lead = irShape(ctx, x!.type)[0]!;
    const flat = ctx.b.op1('reshape', [x!.value], { shape: [lead, c, h * w] });
    return { out: ctx.b.op1('transpose', [flat], { perm: [0, 2, 1] }) };
  },
};

const untokensParams = z.strictObject({ height: positiveInt, width: positiveInt });
export const untokens: PrimitiveBlock<z.infer<typeof untokensParams>> = {
  kind: 'primitive',
  id: 'untokens',
  label: 'To feature map',
  category: 'layers',
  description: 'Token set back to a feature map: [N,C] → [C,H,W] with N = H·W.',
  params: untokensParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    if (x!.shape.length !== 2) fail(`expects tokens [N,C]; got [${x!.shape.join(',')}]`, { port: 'in' });
    if (x!.shape[0] !== p.height * p.width) fail(`${x!.shape[0]} tokens do not form a ${p.height}×${p.width} map`, { param: 'height' });
    return { outputs: { out: { ...x!, shape: [x!.shape[1]!, p.height, p.width] } } };
  },
  lower: (ctx, { in: x }, _p, { out }) => ({ out: tokensToMap(ctx, x!, out!) }),
};

/** Tokens [N,C] to the map `out` [C,H,W] that shape inference gave. */
export function tokensToMap(ctx: LowerCtx, x: IrTensor, out: TensorType): number {
  return view(ctx, ctx.b.op1('transpose', [x.value], { perm: [0, 2, 1] }), out);
}

const reshapeParams = z.strictObject({ shape: z.array(positiveInt).min(1).max(4) });
export const reshape: PrimitiveBlock<z.infer<typeof reshapeParams>> = {
  kind: 'primitive',
  id: 'reshape',
  label: 'Reshape',
  category: 'layers',
  description: 'Reshapes the per-sample dims (T and B stay).',
  params: reshapeParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    if (numel(p.shape) !== numel(x!.shape)) fail(`[${x!.shape.join(',')}] has ${numel(x!.shape)} elements, [${p.shape.join(',')}] has ${numel(p.shape)}`, { param: 'shape' });
    return { outputs: { out: { ...x!, shape: p.shape } } };
  },
  lower: (ctx, { in: x }, _p, { out }) => ({ out: view(ctx, x!.value, out!) }),
};

const dropoutParams = z.strictObject({ p: z.number().min(0).lt(1).default(0.5) });
export const dropout: PrimitiveBlock<z.infer<typeof dropoutParams>> = {
  kind: 'primitive',
  id: 'dropout',
  label: 'Dropout',
  category: 'layers',
  description: 'Zeroes elements with probability p while training (scaling the rest by 1/(1−p)); identity at inference.',
  params: dropoutParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => ({ outputs: { out: x! } }),
  lower: (ctx, { in: x }, p) => {
    if (ctx.mode === 'infer' || p.p === 0) return { out: x!.value };
    const u = ctx.noise?.(ctx.b.shape(x!.value));
    if (u === undefined) throw new Error('dropout: a training lowering provides noise');
    return { out: ctx.b.op1('dropout', [x!.value, u], { ratio: p.p }) };
  },
};

// ---- residuals ------------------------------------------------------------------------------

function requireSame(a: TensorType, b: TensorType): void {
  if (!sameShape(a.shape, b.shape) || a.timed !== b.timed) {
    fail(`shapes differ: a is [${a.timed ? 'T,' : ''}B,${a.shape.join(',')}], b is [${b.timed ? 'T,' : ''}B,${b.shape.join(',')}]`, { port: 'b' });
  }
}

const sewParams = z.strictObject({ mode: z.enum(['add', 'iand', 'and']).default('add') });
export const sew: PrimitiveBlock<z.infer<typeof sewParams>> = {
  kind: 'primitive',
  id: 'sew',
  label: 'Spike-element-wise residual',
  category: 'residuals',
  description:
    'SEW residual after the neurons: ADD sums spikes (counts 0,1,2,… — not binary), AND multiplies, IAND = (1 − a)·b with a the branch and b the shortcut.',
  keywords: ['residual', 'shortcut', 'add', 'sew'],
  params: sewParams,
  inputs: [{ name: 'a', label: 'branch' }, { name: 'b', label: 'shortcut' }],
  outputs: [{ name: 'out' }],
  infer: ({ a, b }, p) => {
    requireSame(a!, b!);
    const binary = a!.kind === 'spikes' && b!.kind === 'spikes';
    const warnings = p.mode !== 'add' && !binary ? [`${p.mode.toUpperCase()} expects binary spikes on both inputs`] : [];
    return { outputs: { out: { shape: a!.shape, timed: a!.timed, kind: sewKind(a!.kind, b!.kind, p.mode) } }, warnings };
  },
  lower: (ctx, { a, b }, p) => {
    if (p.mode === 'add') return { out: ctx.b.op1('add', [a!.value, b!.value]) };
    if (p.mode === 'and') return { out: ctx.b.op1('mul', [a!.value, b!.value]) };
    return { out: ctx.b.op1('sub', [b!.value, ctx.b.op1('mul', [a!.value, b!.value])]) };
  },
};

/** Spikes + spikes are counts; anything real-valued stays real-valued; AND/IAND of spikes are spikes. */
function sewKind(a: ValueKind, b: ValueKind, mode: 'add' | 'iand' | 'and'): ValueKind {
  if (a === 'membrane' || b === 'membrane') return 'membrane';
  if (a === 'analog' || b === 'analog') return 'analog';
  if (mode === 'add') return 'counts';
  return a === 'spikes' && b === 'spikes' ? 'spikes' : 'counts';
}

export const membraneAdd: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'membrane_add',
  label: 'Membrane shortcut',
  category: 'residuals',
  description: 'Residual on membrane potentials (pre-neuron), as in SDT / Spikingformer: the stream stays real-valued and every branch starts with a neuron.',
  keywords: ['residual', 'shortcut', 'add', 'ms'],
  params: z.strictObject({}),
  inputs: [{ name: 'a', label: 'branch' }, { name: 'b', label: 'shortcut' }],
  outputs: [{ name: 'out' }],
  infer: ({ a, b }) => {
    requireSame(a!, b!);
    return { outputs: { out: { shape: a!.shape, timed: a!.timed, kind: 'membrane' } } };
  },
  lower: (ctx, { a, b }) => ({ out: ctx.b.op1('add', [a!.value, b!.value]) }),
};

// ---- reductions and heads -------------------------------------------------------------------

export const meanTime: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'mean_time',
  label: 'Mean over T',
  category: 'heads',
  description: 'Averages over the time steps: [T,B,...] → [B,...] (firing rates of spikes).',
  keywords: ['average', 'rate', 'readout'],
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (!x!.timed) fail('the input has no time axis', { port: 'in' });
    return { outputs: { out: { shape: x!.shape, timed: false, kind: 'analog' } } };
  },
  lower: (ctx, { in: x }) => {
    const s = irShape(ctx, x!.type);
    const split = ctx.b.op1('reshape', [x!.value], { shape: [ctx.timeSteps, ctx.batch, ...s.slice(1)] });
    return { out: ctx.b.op1('reduce_mean', [split], { axes: [0], keepdims: false }) };
  },
};

export const meanTokens: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'mean_tokens',
  label: 'Mean over tokens',
  category: 'heads',
  description: 'Averages a token set over its tokens: [N,D] → [D].',
  keywords: ['average', 'pool', 'gap'],
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.shape.length !== 2) fail(`expects tokens [N,D]; got [${x!.shape.join(',')}]`, { port: 'in' });
    return { outputs: { out: { shape: [x!.shape[1]!], timed: x!.timed, kind: x!.kind === 'membrane' ? 'membrane' : 'analog' } } };
  },
  lower: (ctx, { in: x }) => ({ out: ctx.b.op1('reduce_mean', [x!.value], { axes: [1], keepdims: false }) }),
};

const headParams = z.strictObject({ classes: positiveInt.default(10), bias: z.boolean().default(true), init: z.enum(['default', 'trunc_normal']).default('default') });
export const head: PrimitiveBlock<z.infer<typeof headParams>> = {
  kind: 'primitive',
  id: 'head',
  label: 'Classifier head',
  category: 'heads',
  description: 'Linear(D → classes) producing non-spiking logits; on a timed input it runs per time step (TET keeps them, inference averages).',
  keywords: ['classifier', 'readout', 'logits', 'fc'],
  params: headParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    if (x!.shape.length !== 1) fail(`expects a feature vector [D]; got [${x!.shape.join(',')}] (pool or flatten first)`, { port: 'in' });
    return inferLinear(x!, { outFeatures: p.classes, bias: p.bias, init: p.init }, ctx.timeSteps);
  },
  lower: (ctx, { in: x }, p) => ({ out: lowerLinear(ctx, x!, { outFeatures: p.classes, bias: p.bias, init: p.init }) }),
};

export const LAYER_BLOCKS = [conv2d, conv1d, linear, batchnorm1d, batchnorm2d, maxpool2d, avgpool2d, globalAvgPool, flatten, tokens, untokens, reshape, dropout];
export const RESIDUAL_BLOCKS = [sew, membraneAdd];
export const HEAD_BLOCKS = [meanTime, meanTokens, head];
