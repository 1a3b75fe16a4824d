// Lowering catalogue blocks by hand, outside a document, for tests of one block or a short chain.
import { lowerBlock as lowerCatalogueBlock } from '../../helpers/run-blocks.js';
import type { IrBuilder } from '../../../engine/core/ir/builder.js';
import type { IrTensor, LowerCtx, LowerMode } from '../../../engine/core/lower/context.js';
import type { TensorType } from '../../../engine/core/tensor.js';

export function lowerCtx(b: IrBuilder, timeSteps: number, batch: number, mode: LowerMode = 'train'): LowerCtx {
  return { b, timeSteps, batch, mode, seed: 0, param: (name, shape, init, role) => b.param(name, shape, init, role) };
}

/** Lowers block `id` with `params` (defaults filled by its schema) under scope `scope`; returns its `out`. */
export function lowerBlock(ctx: LowerCtx, scope: string, id: string, params: Record<string, unknown>, input: IrTensor): IrTensor {
  return lowerCatalogueBlock(ctx, id, params, { in: input }, scope).out!;
}

export function timed(shape: readonly number[], kind: TensorType['kind'] = 'analog'): TensorType {
  return { shape, timed: true, kind };
}
