/**
 * Spiking neurons. The step-by-step ones (IF, LIF, PLIF, SpikeDHS, ...) are rows of the neuron
 * table (neurons/table.ts): one `neuron` IR op each, sharing fire and reset; this file offers each
 * row as a block. The parallel spiking neurons have no reset, so their charge over all T steps is
 * one matrix product H = W·X + b followed by a Heaviside (spec §1.3).
 */
import { z } from 'zod';
import { irShape, type IrTensor, type LowerCtx } from '../lower/context.js';
import { NEURON_TABLE } from '../neurons/table.js';
import type { ChargeRule } from '../neurons/types.js';
import { fail } from '../problems.js';
import { numel, type TensorType } from '../tensor.js';
import { lowerNeuron, requireTimed, surrogateSchema } from './common.js';
import type { InferResult, PrimitiveBlock } from './types.js';

const spikesOut = (x: TensorType, params = 0): InferResult => ({
  outputs: { out: { shape: x.shape, timed: true, kind: 'spikes' } },
  params,
});

/**
 * Every table neuron's walk switch (see `NeuronWalk`): false, the papers' per-sample walk over T;
 * true, the released code's walk over the merged T·B rows (QKFormer's SSA projection LIF).
 */
const walkParams = {
  mergeRows: z.boolean().default(false),
};

type Walked<P> = P & { readonly mergeRows: boolean };

/** A row of the neuron table as a catalogue block: its parameters, and its learned w as a `neuron` parameter. */
function tableBlock<P>(row: ChargeRule<P>): PrimitiveBlock<Walked<P>> {
  const { id, label, description, keywords, attrs, learned } = row.block;
  if (!(row.block.params instanceof z.ZodObject)) throw new Error(`neuron table row "${id}": its parameters must be an object schema`);
  const params = row.block.params.extend(walkParams) as unknown as z.ZodType<Walked<P>>;
  return {
    kind: 'primitive',
    id,
    label,
    category: 'neurons',
    description,
    keywords,
    params,
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    infer: ({ in: x }) => spikesOut(requireTimed(x), learned ? numel(learned.shape) : 0),
    lower: (ctx, { in: x }, p) => {
      const extra = learned ? [ctx.param(learned.name, learned.shape, { kind: 'const', value: learned.init(p) }, 'neuron')] : [];
      return { out: lowerNeuron(ctx, x!, attrs(p), extra, p.mergeRows ? 'merged' : 'sample') };
    },
  };
}

const TABLE_BLOCKS = NEURON_TABLE.map((row) => tableBlock(row));
const tableBlockOf = (id: string) => TABLE_BLOCKS.find((b) => b.id === id)!;

// ---- parallel spiking neurons --------------------------------------------------------------

const psnSurrogate = surrogateSchema.default({ name: 'atan', alpha: 2 });

/** x [T*B, ...] → [T, B·numel], the layout H = W·X + b works on. */
function timeRows(ctx: LowerCtx, x: IrTensor): number {
  return ctx.b.op1('reshape', [x.value], { shape: [ctx.timeSteps, ctx.batch * numel(x.type.shape)] });
}

function psnFire(ctx: LowerCtx, x: IrTensor, wEff: number, bias: number, surrogate: z.infer<typeof surrogateSchema>): number {
  const h = ctx.b.op1('add', [ctx.b.op1('matmul', [wEff, timeRows(ctx, x)]), bias]);
  const s = ctx.b.op1('heaviside', [h], { threshold: 0, strict: false, surrogate });
  return ctx.b.op1('reshape', [s], { shape: irShape(ctx, x.type) });
}

const psnParams = z.strictObject({ surrogate: psnSurrogate });
export const psn: PrimitiveBlock<z.infer<typeof psnParams>> = {
  kind: 'primitive',
  id: 'psn',
  label: 'PSN (parallel spiking neuron)',
  category: 'neurons',
  description: 'Parallel spiking neuron: H = W·X + b over all T at once (W: T×T, b: T, per layer), S = Θ(H). Non-causal; no reset.',
  keywords: ['parallel', 'psn'],
  params: psnParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, _p, ctx) => spikesOut(requireTimed(x), ctx.timeSteps * ctx.timeSteps + ctx.timeSteps),
  lower: (ctx, { in: x }, p) => {
    const T = ctx.timeSteps;
    const w = ctx.param('weight', [T, T], { kind: 'uniform', bound: 1 / Math.sqrt(T) }, 'neuron');
    const b = ctx.param('bias', [T, 1], { kind: 'const', value: -1 }, 'neuron');
    return { out: psnFire(ctx, x!, w, b, p.surrogate) };
  },
};

const maskedParams = z.strictObject({
  order: z.number().int().positive().default(2),
  lambda: z.number().min(0).default(1),
  surrogate: psnSurrogate,
});
export const maskedPsn: PrimitiveBlock<z.infer<typeof maskedParams>> = {
  kind: 'primitive',
  id: 'masked_psn',
  label: 'Masked PSN',
  category: 'neurons',
  description: 'PSN with a band mask of order k: W_eff = (λ·M0 + (1 − λ)) ⊙ W; causal with a k-step window once λ = 1.',
  keywords: ['parallel', 'psn', 'masked'],
  params: maskedParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    if (p.order > ctx.timeSteps) fail(`order ${p.order} exceeds T = ${ctx.timeSteps}`, { param: 'order' });
    return spikesOut(requireTimed(x), ctx.timeSteps * ctx.timeSteps + ctx.timeSteps);
  },
  lower: (ctx, { in: x }, p) => {
    const T = ctx.timeSteps;
    const w = ctx.param('weight', [T, T], { kind: 'uniform', bound: 1 / Math.sqrt(T) }, 'neuron');
    const b = ctx.param('bias', [T, 1], { kind: 'const', value: -1 }, 'neuron');
    const lam = Math.min(p.lambda, 1);
    const mask = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) mask[i * T + j] = lam * (j <= i && j >= i - p.order + 1 ? 1 : 0) + (1 - lam);
    const wEff = ctx.b.op1('mul', [w, ctx.b.constant(mask, [T, T])]);
    return { out: psnFire(ctx, x!, wEff, b, p.surrogate) };
  },
};

const slidingParams = z.strictObject({
  order: z.number().int().positive().default(2),
  expInit: z.boolean().default(true),
  surrogate: psnSurrogate,
});
export const slidingPsn: PrimitiveBlock<z.infer<typeof slidingParams>> = {
  kind: 'primitive',
  id: 'sliding_psn',
  label: 'Sliding PSN',
  category: 'neurons',
  description: 'Sliding PSN of order k: H[t] = Σ_i w[i]·X[t−k+1+i] + b with k shared weights (exp init: w = [2^−(k−1), …, 1/2, 1]) and a scalar bias.',
  keywords: ['parallel', 'psn', 'sliding', 'causal'],
  params: slidingParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    // weights past T would never be used, and the lowering builds T·T·k constants
    if (p.order > ctx.timeSteps) fail(`order ${p.order} exceeds T = ${ctx.timeSteps}`, { param: 'order' });
    return spikesOut(requireTimed(x), p.order + 1);
  },
  lower: (ctx, { in: x }, p) => {
    const T = ctx.timeSteps;
    const k = p.order;
    const init = p.expInit
      ? { kind: 'values' as const, values: Array.from({ length: k }, (_, i) => 2 ** -(k - 1 - i)) }
      : { kind: 'uniform' as const, bound: 1 / Math.sqrt(k) };
    const w = ctx.param('weight', [k], init, 'neuron');
    const b = ctx.param('bias', [1], { kind: 'const', value: -1 }, 'neuron');
    // W[t][j] = w[k−1−(t−j)] for 0 ≤ t−j ≤ k−1: a constant 0/1 gather matrix G [T·T, k] builds W = G·w
    const g = new Float32Array(T * T * k);
    for (let t = 0; t < T; t++) for (let j = 0; j < T; j++) if (t - j >= 0 && t - j <= k - 1) g[(t * T + j) * k + (k - 1 - (t - j))] = 1;
    const wCol = ctx.b.op1('reshape', [w], { shape: [k, 1] });
    const wEff = ctx.b.op1('reshape', [ctx.b.op1('matmul', [ctx.b.constant(g, [T * T, k]), wCol])], { shape: [T, T] });
    return { out: psnFire(ctx, x!, wEff, b, p.surrogate) };
  },
};

/** The table's rows in the catalogue's order (IF/LIF/PLIF first, as the palette has always shown them), then the PSN family. */
export const NEURON_BLOCKS = [tableBlockOf('lif'), tableBlockOf('if'), tableBlockOf('plif'), psn, maskedPsn, slidingPsn, ...TABLE_BLOCKS.filter((b) => !['lif', 'if', 'plif'].includes(b.id))];
