/**
 * Σ over the rows of a tensor viewed as [M, C] — the reductions behind a batch norm's statistics
 * and gradients in token layout, a LayerNorm's or a Linear's parameter gradients.
 *
 * ONNX Runtime reduces the leading axis of [M, C] by adding row after row into C sums, which with
 * few columns is slow and barely threaded. Viewed as [M/k, k·C] (the same memory), the first
 * ReduceSum has k·C columns to share among threads and vectorise, and a second one adds the k
 * partial rows of [k, C]. Measured on 2 threads, M = 100,352: C = 8 4.4 → 0.07 ms, C = 64
 * 5.5 → 1.2 ms, C = 256 18.4 → 6.3 ms (QKFormer tiny's training step spent 28 % of its kernel
 * time in the slow form). The sums run in another order: float32 results differ in the last bits
 * (pairwise partial sums, if anything closer to the exact sum).
 */
import type { OnnxEmitter } from '../../onnx/emitter.js';

/** Columns the first reduction aims for (8192: past it the measured time stopped falling). */
export const FOLDED_COLUMNS = 8192;

/** The rows k folded into one: the largest divisor of m with k·c ≤ FOLDED_COLUMNS, 1 where folding would not pay. */
export function foldedRows(m: number, c: number): number {
  if (m * c < 2 * FOLDED_COLUMNS) return 1;
  for (let k = Math.floor(FOLDED_COLUMNS / c); k >= 2; k--) if (m % k === 0) return k;
  return 1;
}

/** Σ over the m rows of x (any shape of m·c values, read as [m, c]) → [c], written to `out` when given. */
export function columnSum(e: OnnxEmitter, x: string, m: number, c: number, out?: string): string {
  const name = out ?? e.fresh('colsum');
  const k = foldedRows(m, c);
  if (k === 1) {
    e.nodeTo('ReduceSum', [e.reshape(x, [m, c]), e.ints([0])], [name], { keepdims: 0 });
    return name;
  }
  const partial = e.node1('ReduceSum', [e.reshape(x, [m / k, k * c]), e.ints([0])], { keepdims: 0 });
  e.nodeTo('ReduceSum', [e.reshape(partial, [k, c]), e.ints([0])], [name], { keepdims: 0 });
  return name;
}
