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

/** Graph inputs named `noise:<scope>` carry a training step's host-drawn uniform noise. */
export const NOISE_PREFIX = 'noise:';

export interface LowerCtx {
  readonly b: IrBuilder;
  readonly timeSteps: number;
  readonly batch: number;
  readonly mode: LowerMode;
  /** Seed for ops that draw random numbers at run time (rate encoding in inference models). */
  readonly seed: number;
  /**
   * Training only: a graph input of uniform [0, 1) noise that the host draws for every step from
   * (run seed, step number), so a resumed run redraws exactly what the uninterrupted one drew
   * (an in-graph generator's state would live in the session and be lost).
   */
  readonly noise?: (shape: readonly number[]) => number;
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
