/** Encoders turn the per-sample input into a time-major tensor [T,B,...]. */
import { z } from 'zod';
import { irShape } from '../lower/context.js';
import { fail } from '../problems.js';
import type { PrimitiveBlock } from './types.js';

export const direct: PrimitiveBlock<Record<string, never>> = {
  kind: 'primitive',
  id: 'direct_encoder',
  label: 'Direct encoding',
  category: 'encoders',
  description: 'Repeats the analog input at every time step (x_seq[t] = x), as the static-image models do. The first layer then sees analog values.',
  keywords: ['repeat', 'static'],
  params: z.strictObject({}),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.timed) fail('the input is already timed; direct encoding repeats an untimed [B,...] input', { port: 'in' });
    return { outputs: { out: { shape: x!.shape, timed: true, kind: 'analog' } } };
  },
  lower: (ctx, { in: x }) => {
    const [B, ...rest] = irShape(ctx, x!.type);
    const rep = ctx.b.op1('expand', [ctx.b.op1('reshape', [x!.value], { shape: [1, B!, ...rest] })], { shape: [ctx.timeSteps, B!, ...rest] });
    return { out: ctx.b.op1('reshape', [rep], { shape: [ctx.timeSteps * B!, ...rest] }) };
  },
};

export const rate: PrimitiveBlock<{ seed: number }> = {
  kind: 'primitive',
  id: 'rate_encoder',
  label: 'Rate (Poisson) encoding',
  category: 'encoders',
  description: 'At every time step each input value in [0,1] fires with that probability (Bernoulli), seeded.',
  keywords: ['poisson', 'bernoulli', 'stochastic'],
  params: z.strictObject({ seed: z.number().int().default(0) }),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }) => {
    if (x!.timed) fail('the input is already timed; rate encoding samples an untimed [B,...] input', { port: 'in' });
    return { outputs: { out: { shape: x!.shape, timed: true, kind: 'spikes' } } };
  },
  lower: (ctx, { in: x }, p) => {
    const [B, ...rest] = irShape(ctx, x!.type);
    const rep = ctx.b.op1('expand', [ctx.b.op1('reshape', [x!.value], { shape: [1, B!, ...rest] })], { shape: [ctx.timeSteps, B!, ...rest] });
    const flat = ctx.b.op1('reshape', [rep], { shape: [ctx.timeSteps * B!, ...rest] });
    // training draws from host noise (reproducible on resume); an inference model samples in-graph
    const u = ctx.noise?.([ctx.timeSteps * B!, ...rest]);
    return { out: ctx.b.op1('bernoulli', u === undefined ? [flat] : [flat, u], { seed: p.seed + ctx.seed }) };
  },
};

export const events: PrimitiveBlock<{ binarize: boolean }> = {
  kind: 'primitive',
  id: 'event_frames',
  label: 'Event frames',
  category: 'encoders',
  description: 'Neuromorphic input already framed over time, [T,B,2,H,W] event counts; optionally binarised to spikes (count > 0).',
  keywords: ['dvs', 'neuromorphic'],
  params: z.strictObject({ binarize: z.boolean().default(false) }),
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  infer: ({ in: x }, p) => {
    if (!x!.timed) fail('event frames must be timed [T,B,2,H,W]: set the document input kind to "events"', { port: 'in' });
    return { outputs: { out: { shape: x!.shape, timed: true, kind: p.binarize ? 'spikes' : 'counts' } } };
  },
  lower: (ctx, { in: x }, p) => {
    if (!p.binarize) return { out: x!.value };
    return { out: ctx.b.op1('heaviside', [x!.value], { threshold: 0, strict: true, surrogate: { name: 'sigmoid', alpha: 4 } }) };
  },
};

export const ENCODER_BLOCKS = [direct, rate, events];
