/**
 * The attention cores of the spiking transformers (spec §3.3, §5.3, §6.1) on timed token sets
 * [N,D] (IR [T·B, N, D]). Each core is the part of an attention that mixes tokens or channels;
 * the neurons around it (the attention LIF with V_th 0.5, the Q/K/V LIFs) are ordinary `lif`
 * nodes in the composites, so every spike tensor stays visible and the lowering stays exact.
 *
 * Cost bookkeeping: the products and sums here read spikes, so they count as synaptic MACs
 * (`synapticInput` a spike port) and become ACs in the energy model; masking (⊙ by a binary mask)
 * is an AND and costs nothing (spec §2).
 */
import { z } from 'zod';
import type { IrTensor, LowerCtx } from '../lower/context.js';
import { fail } from '../problems.js';
import { sameShape, type TensorType, type ValueKind } from '../tensor.js';
import { positiveInt, requireRank, requireTimed } from './common.js';
import type { PrimitiveBlock } from './types.js';

// ---- ssa_core -------------------------------------------------------------------------------

const ssaCoreParams = z.strictObject({
  heads: positiveInt.default(8),
  scale: z.number().positive().default(0.125),
  /** Both exact: (Q·Kᵀ)·V costs 2·N²·D per step, Q·(Kᵀ·V) costs 2·N·D·d; the result is the same. */
  order: z.enum(['qk_v', 'q_kv']).default('qk_v'),
});
type SsaCoreParams = z.infer<typeof ssaCoreParams>;

export const ssaCore: PrimitiveBlock<SsaCoreParams> = {
  kind: 'primitive',
  id: 'ssa_core',
  label: 'SSA core',
  category: 'attention',
  description:
    'Spiking self-attention product of Spikformer: per head Q·Kᵀ·V·scale on spike tokens [N,D], no softmax. Order qk_v computes (QKᵀ)V, q_kv computes Q(KᵀV) (the ImageNet code); both are exact. Output is the analog product; the attention LIF (V_th 0.5) follows as its own node.',
  keywords: ['ssa', 'spikformer', 'self-attention', 'qkv'],
  params: ssaCoreParams,
  inputs: [{ name: 'q' }, { name: 'k' }, { name: 'v' }],
  outputs: [{ name: 'out' }],
  infer: ({ q, k, v }, p, ctx) => {
    const [n, d] = tokenSet(q, 'q');
    sameTokens(q!, k, 'k');
    sameTokens(q!, v, 'v');
    requireHeads(p.heads, d);
    const perStep = p.order === 'qk_v' ? 2 * n * n * d : 2 * n * d * (d / p.heads);
    return { outputs: { out: { shape: [n, d], timed: true, kind: 'analog' } }, macs: perStep * ctx.timeSteps, synapticInput: 'q' };
  },
  lower: (ctx, { q, k, v }, p) => {
    const [n, d] = q!.type.shape as [number, number];
    const h = p.heads;
    const dh = d / h;
    const rows = ctx.timeSteps * ctx.batch;
    const split = (x: IrTensor, perm: number[]): number => ctx.b.op1('transpose', [ctx.b.op1('reshape', [x.value], { shape: [rows, n, h, dh] })], { perm });
    const qh = split(q!, [0, 2, 1, 3]); // [TB, h, N, d]
    const kt = split(k!, [0, 2, 3, 1]); // [TB, h, d, N]
    const vh = split(v!, [0, 2, 1, 3]); // [TB, h, N, d]
    const y = p.order === 'qk_v' ? ctx.b.op1('matmul', [ctx.b.op1('matmul', [qh, kt]), vh]) : ctx.b.op1('matmul', [qh, ctx.b.op1('matmul', [kt, vh])]);
    // scaling the [N,D] result rather than the [N,N] scores: fewer elements, and exact for the powers of two the papers use
    const scaled = ctx.b.op1('scale', [y], { factor: p.scale });
    return { out: ctx.b.op1('reshape', [ctx.b.op1('transpose', [scaled], { perm: [0, 2, 1, 3] })], { shape: [rows, n, d] }) };
  },
};

// ---- sdsa_core ------------------------------------------------------------------------------

const sdsaCoreParams = z.strictObject({
  heads: positiveInt.default(8),
  /** code: Σ_N(K⊙V), the mask then gates Q (released code); paper: Σ_N(Q⊙K), the mask gates V (Eq. 14). */
  form: z.enum(['code', 'paper']).default('code'),
  /** The CIFAR10-DVS code's Erode on the product before the sum (an `erode` over heads, spec §5.3 point 5). */
  erode: z.boolean().default(false),
});
type SdsaCoreParams = z.infer<typeof sdsaCoreParams>;

/** The two operands the form multiplies; the third (Q for code, V for paper) is what the mask gates. */
const sdsaOperands = (p: SdsaCoreParams): readonly [string, string] => (p.form === 'code' ? ['k', 'v'] : ['q', 'k']);

export const sdsaCore: PrimitiveBlock<SdsaCoreParams> = {
  kind: 'primitive',
  id: 'sdsa_core',
  label: 'SDSA core',
  category: 'attention',
  description:
    'Spike-driven self-attention of SDT: the column sum over tokens of a Hadamard product of spikes, [N,D] → [1,D]. Form code (released checkpoints): Σ_N K⊙V, whose LIF(V_th 0.5) mask then gates Q; form paper: Σ_N Q⊙K, gating V. With erode (the CIFAR10-DVS code), the product is first max-pooled 3×3 over each head\'s tokens × channels, as the erode block does with over = heads. Heads split the channels only for that pool: nothing here mixes channels.',
  keywords: ['sdsa', 'sdt', 'spike-driven', 'hadamard'],
  params: sdsaCoreParams,
  inputs: (p) => sdsaOperands(p).map((name) => ({ name })),
  outputs: [{ name: 'out', label: 'column sum' }],
  infer: (ins, p, ctx) => {
    const [a, b] = sdsaOperands(p);
    const [n, d] = tokenSet(ins[a], a);
    sameTokens(ins[a]!, ins[b], b);
    requireHeads(p.heads, d);
    return { outputs: { out: { shape: [1, d], timed: true, kind: 'counts' } }, macs: n * d * ctx.timeSteps, synapticInput: a };
  },
  lower: (ctx, ins, p) => {
    const [a, b] = sdsaOperands(p);
    const prod = ctx.b.op1('mul', [ins[a]!.value, ins[b]!.value]);
    const [n, d] = ins[a]!.type.shape as [number, number];
    const pooled = p.erode ? erodeValue(ctx, prod, n, d, { over: 'heads', heads: p.heads }) : prod;
    return { out: ctx.b.op1('reduce_sum', [pooled], { axes: [1], keepdims: true }) };
  },
};

// ---- QKFormer cores -------------------------------------------------------------------------

const qkParams = z.strictObject({ heads: positiveInt.default(8) });
type QkParams = z.infer<typeof qkParams>;

export const qktaCore: PrimitiveBlock<QkParams> = {
  kind: 'primitive',
  id: 'qkta_core',
  label: 'QKTA core',
  category: 'attention',
  description:
    'Q-K token attention of QKFormer: for every token, the sum of Q over the d = D/heads channels of each head, [N,D] → [N,heads]. A LIF (V_th 0.5) turns it into the per-token, per-head mask that gates K.',
  keywords: ['qkformer', 'qk attention', 'token attention'],
  params: qkParams,
  inputs: [{ name: 'q' }],
  outputs: [{ name: 'out', label: 'head sums' }],
  infer: ({ q }, p, ctx) => {
    const [n, d] = tokenSet(q, 'q');
    requireHeads(p.heads, d);
    return { outputs: { out: { shape: [n, p.heads], timed: true, kind: 'counts' } }, macs: n * d * ctx.timeSteps, synapticInput: 'q' };
  },
  lower: (ctx, { q }, p) => {
    const [n, d] = q!.type.shape as [number, number];
    const rows = ctx.timeSteps * ctx.batch;
    const grouped = ctx.b.op1('reshape', [q!.value], { shape: [rows, n, p.heads, d / p.heads] });
    return { out: ctx.b.op1('reduce_sum', [grouped], { axes: [3], keepdims: false }) };
  },
};

export const qkcaCore: PrimitiveBlock<QkParams> = {
  kind: 'primitive',
  id: 'qkca_core',
  label: 'QKCA core',
  category: 'attention',
  description:
    'Q-K channel attention of QKFormer: the sum of Q over the tokens, per channel, [N,D] → [1,D]. A LIF (V_th 0.5) turns it into the per-channel mask that gates K. Heads are only checked.',
  keywords: ['qkformer', 'qk attention', 'channel attention'],
  params: qkParams,
  inputs: [{ name: 'q' }],
  outputs: [{ name: 'out', label: 'channel sums' }],
  infer: ({ q }, p, ctx) => {
    const [n, d] = tokenSet(q, 'q');
    requireHeads(p.heads, d);
    return { outputs: { out: { shape: [1, d], timed: true, kind: 'counts' } }, macs: n * d * ctx.timeSteps, synapticInput: 'q' };
  },
  lower: (ctx, { q }) => ({ out: ctx.b.op1('reduce_sum', [q!.value], { axes: [1], keepdims: true }) }),
};

// ---- mask_mul -------------------------------------------------------------------------------

export const maskMul: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'mask_mul',
  label: 'Mask multiply',
  category: 'attention',
  description:
    'Gates tokens [N,D] with a mask [M,G]: M is 1 (the same mask for every token) or N (one row per token); column g covers the D/G consecutive channels of group g. So [1,D] is a per-channel mask (SDSA, QKCA) and [N,heads] a per-token, per-head mask (QKTA). On a binary mask this is an AND: no cost is counted.',
  keywords: ['mask', 'gate', 'hadamard', 'broadcast'],
  params: z.strictObject({}),
  inputs: [{ name: 'mask' }, { name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ mask, in: x }) => {
    const [n, d] = tokenSet(x, 'in');
    const m = requireTimed(mask, 'mask');
    requireRank(m, 2, 'a mask [1,G] or [N,G]', 'mask');
    const [rows, groups] = m.shape as [number, number];
    if (rows !== 1 && rows !== n) fail(`mask has ${rows} rows; expected 1 or ${n} (one per token)`, { port: 'mask' });
    if (d % groups !== 0) fail(`mask has ${groups} columns, which do not divide the ${d} channels`, { port: 'mask' });
    return { outputs: { out: { shape: [n, d], timed: true, kind: maskedKind(m.kind, x!.kind) } } };
  },
  lower: (ctx, { mask, in: x }) => {
    const [n, d] = x!.type.shape as [number, number];
    const [rows, groups] = mask!.type.shape as [number, number];
    if (groups === d) return { out: ctx.b.op1('mul', [mask!.value, x!.value]) };
    const lead = ctx.timeSteps * ctx.batch;
    const xg = ctx.b.op1('reshape', [x!.value], { shape: [lead, n, groups, d / groups] });
    const mg = ctx.b.op1('reshape', [mask!.value], { shape: [lead, rows, groups, 1] });
    return { out: ctx.b.op1('reshape', [ctx.b.op1('mul', [mg, xg])], { shape: [lead, n, d] }) };
  },
};

/** Spikes gated by spikes are spikes; a gate on counts or reals keeps the gated kind. */
function maskedKind(mask: ValueKind, x: ValueKind): ValueKind {
  return mask === 'spikes' ? x : x === 'spikes' ? mask : 'analog';
}

// ---- erode ----------------------------------------------------------------------------------

const erodeParams = z.strictObject({
  /**
   * map: each channel's token map (the K and V spike maps); heads: each head's plane of tokens ×
   * its d = D/heads channels (K⊙V and the masked output, which the code pools in its [T,B,h,N,d] layout).
   */
  over: z.enum(['map', 'heads']).default('map'),
  heads: positiveInt.default(8),
  /** over = map: the map's width (N = height · width); absent: a square map, √N wide. */
  width: positiveInt.optional(),
});
type ErodeParams = z.infer<typeof erodeParams>;

/**
 * SDT's "Erode" of the CIFAR10-DVS model (spec §5.3 point 5): MaxPool3d(kernel (1,3,3), stride 1,
 * padding (0,1,1)) on a 5-D tensor, so a 3×3 max over its last two axes. On K and V, [T,B,C,H,W],
 * those are the map's rows and columns; on K⊙V and the masked output, [T,B,h,N,d], they are the
 * tokens and the channels of a head — a window over neighbouring token indices, not a spatial one.
 */
export const erode: PrimitiveBlock<ErodeParams> = {
  kind: 'primitive',
  id: 'erode',
  label: 'Erode (3×3 max)',
  category: 'attention',
  description:
    'The Erode of SDT\'s CIFAR10-DVS attention: a 3×3 max-pool, stride 1, padding 1, on tokens [N,D]. Over map, each channel\'s H×W token map (N = H·W; square unless width is given), as on K and V; over heads, each head\'s N×d plane of token index × channel, as the released code pools K⊙V and the masked output in its [T,B,h,N,d] layout. Spikes stay spikes.',
  keywords: ['erode', 'maxpool', 'sdt', 'dvs', 'dilate'],
  params: erodeParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    const [n, d] = tokenSet(x, 'in');
    if (p.over === 'heads') requireHeads(p.heads, d);
    else mapOf(n, p.width);
    return { outputs: { out: { shape: [n, d], timed: true, kind: x!.kind } } };
  },
  lower: (ctx, { in: x }, p) => {
    const [n, d] = x!.type.shape as [number, number];
    return { out: erodeValue(ctx, x!.value, n, d, p) };
  },
};

const ERODE_POOL = { kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1] } as const;

/** The token map [H, W] of N tokens: width given, or a square. */
function mapOf(n: number, width: number | undefined): [number, number] {
  const w = width ?? Math.round(Math.sqrt(n));
  if (width === undefined && w * w !== n) fail(`${n} tokens are not a square map; give its width`, { param: 'width' });
  if (n % w !== 0) fail(`${n} tokens do not form a map ${w} wide`, { param: 'width' });
  return [n / w, w];
}

/** Erode of an IR value [T·B, N, D]: into [T·B, C, rows, cols], the 3×3 max-pool, and back. */
function erodeValue(ctx: LowerCtx, x: number, n: number, d: number, p: Pick<ErodeParams, 'over' | 'heads' | 'width'>): number {
  const lead = ctx.timeSteps * ctx.batch;
  const b = ctx.b;
  if (p.over === 'map') {
    const [h, w] = mapOf(n, p.width);
    const map = b.op1('reshape', [b.op1('transpose', [x], { perm: [0, 2, 1] })], { shape: [lead, d, h, w] });
    const pooled = b.op1('reshape', [b.op1('maxpool2d', [map], ERODE_POOL)], { shape: [lead, d, n] });
    return b.op1('transpose', [pooled], { perm: [0, 2, 1] });
  }
  const dh = d / p.heads;
  const planes = b.op1('transpose', [b.op1('reshape', [x], { shape: [lead, n, p.heads, dh] })], { perm: [0, 2, 1, 3] });
  const pooled = b.op1('transpose', [b.op1('maxpool2d', [planes], ERODE_POOL)], { perm: [0, 2, 1, 3] });
  return b.op1('reshape', [pooled], { shape: [lead, n, d] });
}

// ---- checks ---------------------------------------------------------------------------------

function tokenSet(t: TensorType | undefined, port: string): [number, number] {
  const x = requireTimed(t, port);
  requireRank(x, 2, 'tokens [N,D]', port);
  return x.shape as [number, number];
}

function sameTokens(ref: TensorType, t: TensorType | undefined, port: string): void {
  const x = requireTimed(t, port);
  if (!sameShape(ref.shape, x.shape)) fail(`expected tokens [T,B,${ref.shape.join(',')}], got [T,B,${x.shape.join(',')}]`, { port });
}

function requireHeads(heads: number, dim: number): void {
  if (dim % heads !== 0) fail(`${heads} does not divide dim ${dim}`, { param: 'heads' });
}

export const ATTENTION_BLOCKS = [ssaCore, sdsaCore, qktaCore, qkcaCore, maskMul, erode];
