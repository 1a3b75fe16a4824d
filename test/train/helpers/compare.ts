// Elementwise comparison of engine results (float32) with reference values (float64).
import { expectWithin, maxAbs } from '../../helpers/close.js';

/**
 * |a − b| ≤ rel·|b| + floor·max|b| for every element: 1e-4 relative, plus a floor of 3e-5 of the
 * tensor's largest entry for entries that float32 sums nearly cancel (a sum of 100 terms of that
 * scale rounds to about 1e-6 of it). NaN or ±Infinity on either side fails.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rel = 1e-4, floor = 3e-5): void {
  const scale = maxAbs(expected);
  expectWithin(actual, expected, (e) => rel * Math.abs(e) + floor * scale, what, `${rel} relative + ${floor} of the largest |expected| ${scale}`);
}
