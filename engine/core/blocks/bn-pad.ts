/**
 * BatchNorm whose output is padded with the value the norm gives a zero input: Meta-SpikeFormer's
 * `BNAndPadLayer` inside RepConv (spec §5.9). Padding after the norm with BN(0), instead of zero
 * padding in the next conv, makes conv1×1 → BN → pad → 3×3 equal one 3×3 conv on the zero-padded
 * input once conv and BN are fused — the re-parameterisation RepConv is named for.
 */
import { z } from 'zod';
import type { LowerCtx } from '../lower/context.js';
import { nonNegInt, requireRank } from './common.js';
import { lowerBatchnorm2d } from './layers.js';
import type { PrimitiveBlock } from './types.js';

const bnPadParams = z.strictObject({
  pad: nonNegInt.default(1),
  eps: z.number().positive().default(1e-5),
  momentum: z.number().min(0).max(1).default(0.1),
});
type BnPadParams = z.infer<typeof bnPadParams>;

export const bnPad: PrimitiveBlock<BnPadParams> = {
  kind: 'primitive',
  id: 'bn_pad',
  label: 'BatchNorm + pad',
  category: 'layers',
  description:
    'BatchNorm2d, then `pad` pixels on every side filled per channel with BN(0) = β − μ·γ/√(σ² + ε) from the running statistics, detached as in the released RepConv: [C,H,W] → [C,H+2p,W+2p]. Training normalises with batch statistics like BatchNorm2d.',
  keywords: ['bn', 'batchnorm', 'pad', 'repconv', 'reparameterisation'],
  params: bnPadParams,
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    requireRank(x!, 3, '[C,H,W]');
    const [c, h, w] = x!.shape as [number, number, number];
    return { outputs: { out: { shape: [c, h + 2 * p.pad, w + 2 * p.pad], timed: x!.timed, kind: 'analog' } }, params: 2 * c };
  },
  lower: (ctx, { in: x }, p) => {
    // BatchNorm2d's own lowering (parameter names, running-statistic updates), watched for the ids
    const ids = new Map<string, number>();
    const watched: LowerCtx = {
      ...ctx,
      param: (name, shape, init, role) => {
        const id = ctx.param(name, shape, init, role);
        ids.set(name, id);
        return id;
      },
    };
    const normed = lowerBatchnorm2d(watched, x!, { eps: p.eps, momentum: p.momentum });
    if (p.pad === 0) return { out: normed };
    const [c, h, w] = x!.type.shape as [number, number, number];
    const pads = [0, 0, p.pad, p.pad, 0, 0, p.pad, p.pad];
    const b = ctx.b;
    const zeros = b.op1('expand', [b.scalar(0)], { shape: [1, c, 1, 1] });
    const atZero = b.op1('batchnorm', [zeros, ids.get('weight')!, ids.get('bias')!, ids.get('running_mean')!, ids.get('running_var')!], { eps: p.eps });
    const fill = b.op1('stop_gradient', [atZero]);
    // border mask [1,1,H+2p,W+2p]: 1 on the pad, 0 inside, so the inside keeps the BN output exactly
    const inside = b.op1('pad', [b.op1('expand', [b.scalar(1)], { shape: [1, 1, h, w] })], { pads });
    const border = b.op1('shift', [b.op1('neg', [inside])], { offset: 1 });
    return { out: b.op1('add', [b.op1('pad', [normed], { pads }), b.op1('mul', [border, fill])]) };
  },
};
