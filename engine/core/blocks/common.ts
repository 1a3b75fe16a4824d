/** Parameter schemas and lowering helpers shared by several block families. */
import { z } from 'zod';
import type { NeuronAttrs } from '../neurons/types.js';
import type { LowerCtx, IrTensor } from '../lower/context.js';
import { irShape } from '../lower/context.js';
import { fail } from '../problems.js';
import { numel, type TensorType } from '../tensor.js';

export { resetParams, SIGMOID4, surrogateSchema } from '../neurons/params.js';

/**
 * How a neuron walks its input: `sample`, T steps over every sample's elements [T, B·numel] (the
 * papers' equations); `merged`, T·B steps over one sample's elements [T·B, numel], as a multi-step
 * neuron applied after `flatten(0, 1)` does in some released code — the rows are t-major (row
 * t·B + b), so the membrane carries from one sample to the next and then from the last sample of
 * a step to the first of the next. At batch 1 the two walks are the same.
 */
export type NeuronWalk = 'sample' | 'merged';

/** Any timed tensor, as [steps, M] for the neuron primitive; returns the spikes in x's IR layout. */
export function lowerNeuron(ctx: LowerCtx, x: IrTensor, attrs: NeuronAttrs, extraInputs: number[] = [], walk: NeuronWalk = 'sample'): number {
  const m = numel(x.type.shape);
  const rows = walk === 'merged' ? [ctx.timeSteps * ctx.batch, m] : [ctx.timeSteps, ctx.batch * m];
  const flat = ctx.b.op1('reshape', [x.value], { shape: rows });
  const s = ctx.b.op1('neuron', [flat, ...extraInputs], attrs as unknown as Record<string, unknown>);
  return ctx.b.op1('reshape', [s], { shape: irShape(ctx, x.type) });
}

export function requireTimed(t: TensorType | undefined, port = 'in'): TensorType {
  if (!t) fail(`input "${port}" is missing`, { port });
  if (!t.timed) fail(`expects a timed tensor [T,B,...]; got [B,${t.shape.join(',')}] (add an encoder before it)`, { port });
  return t;
}

export function requireRank(t: TensorType, rank: number, what: string, port = 'in'): void {
  if (t.shape.length !== rank) fail(`expects ${what}; got per-sample shape [${t.shape.join(',')}]`, { port });
}

/** Applies a 2-D op on the last dim: [lead..., in] → [prod(lead), in] → op → [lead..., out]. */
export function onLastDim(ctx: LowerCtx, x: IrTensor, outDim: number, op: (flat2d: number) => number): number {
  const s = irShape(ctx, x.type);
  const inDim = s[s.length - 1]!;
  const rows = numel(s) / inDim;
  const flat = ctx.b.op1('reshape', [x.value], { shape: [rows, inDim] });
  const y = op(flat);
  return ctx.b.op1('reshape', [y], { shape: [...s.slice(0, -1), outDim] });
}

export const positiveInt = z.number().int().positive();
export const nonNegInt = z.number().int().nonnegative();
