/**
 * The one element-wise comparison every `expectClose` of the suite is built on.
 *
 * A comparison written `if (err > worst)` is false for NaN, so an engine (or reference) that
 * returns NaN passes it. Here an element passes only if its error is a number at most its bound,
 * written so that NaN fails (`!(err <= bound)`), and a non-finite value on either side fails
 * outright: no test compares infinities, so one in the engine's output or the reference is a bug.
 */
import { expect } from 'vitest';

export interface Mismatch {
  /** Index of the worst element. */
  readonly at: number;
  readonly actual: number;
  readonly expected: number;
  /** Its error over its bound (> 1, Infinity for a non-finite value). */
  readonly ratio: number;
}

/**
 * The worst element whose |actual − expected| exceeds `bound(expected, i)`, or null when every
 * element is within its bound. Lengths must agree (checked by the caller's `expect`).
 */
export function worstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (expected: number, i: number) => number): Mismatch | null {
  let worst: Mismatch | null = null;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const b = bound(e, i);
    const err = Math.abs(a - e);
    if (Number.isFinite(a) && Number.isFinite(e) && err <= b) continue;
    const ratio = Number.isFinite(a) && Number.isFinite(e) && b > 0 ? err / b : Infinity;
    if (worst === null || !(ratio <= worst.ratio)) worst = { at: i, actual: a, expected: e, ratio };
  }
  return worst;
}

/**
 * Fails the test with the worst element when any element of `actual` is farther from `expected`
 * than its bound, or either holds NaN or ±Infinity. `tolerance` describes the bound in the message.
 */
export function expectWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  bound: (expected: number, i: number) => number,
  what: string,
  tolerance: string,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const m = worstMismatch(actual, expected, bound);
  if (m === null) return;
  const how = Number.isFinite(m.ratio) ? `${m.ratio.toPrecision(3)}× the tolerance (${tolerance})` : `not a finite number within the tolerance (${tolerance})`;
  expect.fail(`${what}: element ${m.at} is ${m.actual}, expected ${m.expected}: ${how}`);
}

/**
 * The largest finite |value|: the scale of a tensor, for tolerances relative to it. Non-finite
 * values are left out of the scale because they fail the comparison themselves, where they sit.
 */
export function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]!);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}
