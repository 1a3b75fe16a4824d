/**
 * What a block's lowering gets: the IR builder, the run's T and B, and the IR layout of document
 * tensors. A timed document tensor `[T,B,...shape]` lives in the IR as `[T*B, ...shape]` (stateless
 * layers run on the merged batch); an untimed one as `[B, ...shape]`. Neurons view it as [T, M].
 */
import type { IrBuilder } from '../ir/builder.js';
import type { InitSpec, ParamRole } from '../ir/types.js';
import type { TensorType } from '../tensor.js';

export interface IrTensor {
  readonly value: number;
  readonly type: TensorType;
}

export type LowerMode = 'infer' | 'train';

export interface LowerCtx {
  readonly b: IrBuilder;
  readonly timeSteps: number;
  readonly batch: number;
  readonly mode: LowerMode;
  /** Seed for ops that draw random numbers at run time (rate encoding). */
  readonly seed: number;
  /** A learnable parameter or buffer, named under the node's scope. */
  param(localName: string, shape: readonly number[], init: InitSpec, role: ParamRole): number;
}

/** The IR shape of a document tensor. */
export function irShape(ctx: Pick<LowerCtx, 'timeSteps' | 'batch'>, t: Pick<TensorType, 'shape' | 'timed'>): number[] {
  return [t.timed ? ctx.timeSteps * ctx.batch : ctx.batch, ...t.shape];
}

export function irTensor(value: number, type: TensorType): IrTensor {
  return { value, type };
}
