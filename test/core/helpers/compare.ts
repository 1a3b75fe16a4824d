/** Array comparisons that say where and by how much they fail. */
import { expect } from 'vitest';

/**
 * |a − e| ≤ rel·max(|e|, floor) element-wise. `floor` keeps values near zero (where a relative error
 * means nothing) from failing on float32 round-off: pass the tensor's typical magnitude.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, floor = 1, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const ratio = Math.abs(a - e) / (rel * Math.max(Math.abs(e), floor));
    if (!(ratio <= worstRatio)) {
      worstRatio = ratio;
      worst = i;
    }
  }
  if (worst >= 0 && !(worstRatio <= 1)) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (${worstRatio.toFixed(2)}× the tolerance ${rel} relative)`);
  }
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

/** Mean absolute value (the `floor` for expectClose on tensors that cross zero). */
export function meanAbs(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]!);
  return v.length === 0 ? 0 : s / v.length;
}
