// Lowering catalogue blocks by hand, outside a document, for tests of one block or a short chain.
import { findBlock } from '../../../engine/core/blocks/catalogue.js';
import type { PrimitiveBlock } from '../../../engine/core/blocks/types.js';
import type { IrBuilder } from '../../../engine/core/ir/builder.js';
import type { IrTensor, LowerCtx, LowerMode } from '../../../engine/core/lower/context.js';
import type { TensorType } from '../../../engine/core/tensor.js';

export function lowerCtx(b: IrBuilder, timeSteps: number, batch: number, mode: LowerMode = 'train'): LowerCtx {
  return { b, timeSteps, batch, mode, seed: 0, param: (name, shape, init, role) => b.param(name, shape, init, role) };
}

/** Lowers block `id` with `params` (defaults filled by its schema) under scope `scope`; returns its `out`. */
export function lowerBlock(ctx: LowerCtx, scope: string, id: string, params: Record<string, unknown>, input: IrTensor): IrTensor {
  const block = findBlock(id) as PrimitiveBlock | undefined;
  if (!block || block.kind !== 'primitive') throw new Error(`no primitive block ${id}`);
  const p = block.params.parse(params);
  return ctx.b.withScope(scope, () => block.lower(ctx, { in: input }, p).out!);
}

export function timed(shape: readonly number[], kind: TensorType['kind'] = 'analog'): TensorType {
  return { shape, timed: true, kind };
}
