// Elementwise comparison of engine results (float32) with reference values (float64).
import { expect } from 'vitest';

/**
 * |a − b| ≤ rel·|b| + floor·max|b| for every element: 1e-4 relative, plus a floor of 3e-5 of the
 * tensor's largest entry for entries that float32 sums nearly cancel (a sum of 100 terms of that
 * scale rounds to about 1e-6 of it).
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-4, floor = 3e-5): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (rel * Math.abs(expected[i]!) + floor * scale + 1e-30);
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at}: ${actual[at]} vs ${expected[at]} (scale ${scale})`).toBeLessThanOrEqual(1);
}
