/**
 * Helpers that VJP rules share: undoing numpy broadcasting, and the common shape arithmetic of
 * reductions. They build ordinary IR with the builder the rule receives.
 */
import type { IrBuilder } from './builder.js';

/** Sums a broadcast gradient back to `shape` (numpy rules: leading axes and size-1 axes). */
export function sumTo(b: IrBuilder, g: number, shape: readonly number[]): number {
  const gs = b.shape(g);
  if (gs.length === shape.length && gs.every((d, i) => d === shape[i])) return g;
  const lead = gs.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < gs.length; i++) if (i < lead || (shape[i - lead] === 1 && gs[i] !== 1)) axes.push(i);
  const summed = axes.length === 0 ? g : b.op1('reduce_sum', [g], { axes, keepdims: true });
  return b.op1('reshape', [summed], { shape });
}

/** Axes as non-negative indices. */
export function normAxes(axes: readonly number[], rank: number): number[] {
  return axes.map((a) => (a < 0 ? a + rank : a));
}

/** The shape a reduction keeps with keepdims (size 1 on the reduced axes). */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  const norm = normAxes(axes, shape.length);
  return shape.map((d, i) => (norm.includes(i) ? 1 : d));
}

/** Swaps the last two axes (a batched matrix transpose). */
export function transposeLast(b: IrBuilder, x: number): number {
  const r = b.shape(x).length;
  const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
  return b.op1('transpose', [x], { perm });
}
