/** Non-spiking blocks for hybrid SNN–ANN graphs. */
import { z } from 'zod';
import { fail } from '../problems.js';
import { onLastDim, positiveInt } from './common.js';
import type { PrimitiveBlock } from './types.js';

function unaryAnn(id: string, label: string, op: string, description: string): PrimitiveBlock<Record<string, never>> {
  return {
    kind: 'primitive',
    id,
    label,
    category: 'ann',
    description,
    params: z.strictObject({}),
    inputs: [{ name: 'in' }],
    outputs: [{ name: 'out' }],
    infer: ({ in: x }) => ({ outputs: { out: { ...x!, kind: 'analog' } } }),
    lower: (ctx, { in: x }) => ({ out: ctx.b.op1(op, [x!.value]) }),
  };
}

export const relu = unaryAnn('relu', 'ReLU', 'relu', 'Rectified linear unit (analog activation).');
export const gelu = unaryAnn('gelu', 'GELU', 'gelu', 'Gaussian error linear unit, exact erf form (analog activation).');

const lnParams = z.strictObject({ eps: z.number().positive().default(1e-5) });
export const layernorm: PrimitiveBlock<z.infer<typeof lnParams>> = {
  kind: 'primitive',
  id: 'layernorm',
  label: 'LayerNorm',
  category: 'ann',
  description: 'Layer normalisation over the last dim, with learnable scale and shift.',
  params: lnParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => ({ outputs: { out: { ...x!, kind: 'analog' } }, params: 2 * x!.shape[x!.shape.length - 1]! }),
  lower: (ctx, { in: x }, p) => {
    const d = x!.type.shape[x!.type.shape.length - 1]!;
    const w = ctx.param('weight', [d], { kind: 'const', value: 1 }, 'norm');
    const b = ctx.param('bias', [d], { kind: 'const', value: 0 }, 'norm');
    return { out: onLastDim(ctx, x!, d, (flat) => ctx.b.op1('layernorm', [flat, w, b], { eps: p.eps })) };
  },
};

const attnParams = z.strictObject({ heads: positiveInt.default(8) });
/** softmax(QKᵀ/√d)·V on tokens [N,D], with learned Q/K/V/out projections. */
export const softmaxAttention: PrimitiveBlock<z.infer<typeof attnParams>> = {
  kind: 'primitive',
  id: 'softmax_attention',
  label: 'Softmax attention',
  category: 'ann',
  description: 'Standard multi-head self-attention (ANN): softmax(QKᵀ/√d)·V with Q/K/V/output Linear projections (bias), on tokens [N,D].',
  keywords: ['transformer', 'mhsa', 'vanilla'],
  params: attnParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p, ctx) => {
    if (x!.shape.length !== 2) fail(`expects tokens [N,D]; got [${x!.shape.join(',')}]`, { port: 'in' });
    const [n, d] = x!.shape as [number, number];
    if (d % p.heads !== 0) fail(`${p.heads} heads do not divide dim ${d}`, { param: 'heads' });
    const T = x!.timed ? ctx.timeSteps : 1;
    return { outputs: { out: { ...x!, kind: 'analog' } }, params: 4 * (d * d + d), macs: T * (4 * n * d * d + 2 * n * n * d) };
  },
  lower: (ctx, { in: x }, p) => {
    const [n, d] = x!.type.shape as [number, number];
    const h = p.heads;
    const dh = d / h;
    const lead = x!.type.timed ? ctx.timeSteps * ctx.batch : ctx.batch;
    const bound = 1 / Math.sqrt(d);
    const proj = (name: string, input: number): number =>
      ctx.b.withScope(name, () => {
        const w = ctx.param('weight', [d, d], { kind: 'uniform', bound }, 'weight');
        const b = ctx.param('bias', [d], { kind: 'uniform', bound }, 'bias');
        return ctx.b.op1('linear', [input, w, b]);
      });
    const flat = ctx.b.op1('reshape', [x!.value], { shape: [lead * n, d] });
    const heads = (v: number) => ctx.b.op1('transpose', [ctx.b.op1('reshape', [v], { shape: [lead, n, h, dh] })], { perm: [0, 2, 1, 3] });
    const q = heads(proj('q', flat));
    const k = heads(proj('k', flat));
    const v = heads(proj('v', flat));
    const kt = ctx.b.op1('transpose', [k], { perm: [0, 1, 3, 2] });
    const scores = ctx.b.op1('scale', [ctx.b.op1('matmul', [q, kt])], { factor: 1 / Math.sqrt(dh) });
    const attn = ctx.b.op1('softmax', [scores], { axis: -1 });
    const y = ctx.b.op1('matmul', [attn, v]);
    const merged = ctx.b.op1('reshape', [ctx.b.op1('transpose', [y], { perm: [0, 2, 1, 3] })], { shape: [lead * n, d] });
    return { out: ctx.b.op1('reshape', [proj('proj', merged)], { shape: [lead, n, d] }) };
  },
};

export const ANN_BLOCKS = [relu, gelu, layernorm, softmaxAttention];
