/** Array comparisons that say where and by how much they fail. */
import { expect } from 'vitest';
import { expectWithin } from '../../helpers/close.js';

/**
 * |a − e| ≤ rel·max(|e|, floor) element-wise. `floor` keeps values near zero (where a relative error
 * means nothing) from failing on float32 round-off: pass the tensor's typical magnitude. NaN or
 * ±Infinity on either side fails.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, floor = 1, what = 'values'): void {
  expectWithin(actual, expected, (e) => rel * Math.max(Math.abs(e), floor), what, `${rel} relative to max(|expected|, ${floor})`);
}

/** Exact equality (spikes, max-pooling), reporting how many differ and the first few. */
export function expectExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      count++;
      if (bad.length < 5) bad.push(`[${i}] ${actual[i]} vs ${expected[i]}`);
    }
  }
  if (count > 0) expect.fail(`${what}: ${count} of ${expected.length} differ: ${bad.join(', ')}`);
}

/**
 * Mean absolute value (the `floor` for expectClose on tensors that cross zero), over the finite
 * values: a NaN or infinity fails the comparison where it sits rather than voiding every bound.
 */
export function meanAbs(v: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) continue;
    s += Math.abs(v[i]!);
    n++;
  }
  return n === 0 ? 0 : s / n;
}
