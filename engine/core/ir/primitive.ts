/**
 * One row of the primitive table: a shape rule, an ONNX emission and a vector-Jacobian rule, kept
 * side by side (STYLE.md). Emission writes into an OnnxEmitter; the VJP builds IR with the same
 * builder the forward used, so gradients are ordinary IR and go through the same emitter.
 */
import type { OnnxEmitter } from '../onnx/emitter.js';
import type { IrBuilder } from './builder.js';
import type { DType, IrValue } from './types.js';

export interface OutSpec {
  readonly shape: readonly number[];
  readonly dtype?: DType;
}

export interface EmitIo {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly inShapes: readonly (readonly number[])[];
  readonly outShapes: readonly (readonly number[])[];
}

export interface VjpNode<A> {
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly attrs: A;
}

/** Returns one gradient per input (undefined where the input gets none, e.g. integer indices). */
export type VjpRule<A> = (b: IrBuilder, node: VjpNode<A>, gradOutputs: readonly (number | undefined)[]) => (number | undefined)[];

export interface Primitive<A = any> {
  shape(inputs: readonly IrValue[], attrs: A): OutSpec[];
  emit(e: OnnxEmitter, io: EmitIo, attrs: A): void;
  /** Absent for ops that only ever appear in backward graphs. */
  vjp?: VjpRule<A>;
  /**
   * The attributes of this op's training form: the same outputs first, then what its VJP reads
   * (pooling indices, the membrane trace). Inference graphs never pay for them; autodiff switches
   * every op on the gradient path to this form before walking back.
   */
  train?: (attrs: A) => A;
  /** Whether the op acts on each row of axis 0 alone (see `Rowwise`). */
  readonly rowwise: Rowwise<A>;
  /** It emits spikes: a spiking layer, whose firing rate training and evaluation report. */
  readonly fires: boolean;
  /**
   * The attributes under which the op takes a T-times repeated input as one step [1, ...] (the
   * neuron's `steps`), or undefined where it cannot: its time axis is then the repeat itself.
   */
  readonly repeatStep?: (attrs: A, times: number) => A | undefined;
}

/**
 * f(repeat(x)) = repeat(f(x)) for an input whose rows are T stacked copies (direct encoding), so
 * the op may run once on B (optimize/hoist-repeats.ts): true, false, or a condition on the
 * attributes, the inputs' ranks and which inputs carry data (not parameters or constants).
 */
export type Rowwise<A> = boolean | ((attrs: A, ranks: readonly number[], data: readonly number[]) => boolean);

export function isRowwise<A>(row: Primitive<A>, attrs: A, ranks: readonly number[], data: readonly number[]): boolean {
  return typeof row.rowwise === 'boolean' ? row.rowwise : row.rowwise(attrs, ranks, data);
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function numelOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * The rows to view n spike values as before a count sums them, or undefined to sum them whole.
 * ORT reduces a whole tensor to a scalar on one thread; summing [rows, n/rows] first uses every
 * thread once each row holds enough (4096) values to be worth one. The partial sums are integers,
 * exact in float32 below 2^24, so the row split cannot change a count.
 */
export function countRows(n: number): number | undefined {
  return [64, 32, 16, 8, 4, 2].find((r) => n % r === 0 && n / r >= 4096);
}
