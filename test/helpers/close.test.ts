/**
 * The suite's comparison helper and every expectClose built on it fail on NaN and ±Infinity on
 * either side, wherever the bad element sits, and pass values within their tolerance.
 */
import { describe, expect, it } from 'vitest';
import { expectClose as coreClose } from '../core/helpers/compare.js';
import { expectClose as trainClose } from '../train/helpers/compare.js';
import { expectWithin, maxAbs, worstMismatch } from './close.js';

const good = [1, -2, 0.5, 3];
const bad = [NaN, Infinity, -Infinity];

/** `good` with element `at` replaced by `v`. */
const with1 = (at: number, v: number): number[] => good.map((g, i) => (i === at ? v : g));

const helpers: [string, (a: ArrayLike<number>, e: ArrayLike<number>) => void][] = [
  ['expectWithin', (a, e) => expectWithin(a, e, () => 1e-6, 'v', '1e-6 absolute')],
  ['core expectClose', (a, e) => coreClose(a, e, 1e-5, 1, 'v')],
  ['train expectClose', (a, e) => trainClose(a, e, 'v')],
];

describe('NaN-safe comparison', () => {
  for (const [name, check] of helpers) {
    describe(name, () => {
      it('passes equal and nearly equal values', () => {
        check(good, good);
        check(Float32Array.from(good), Float64Array.from(good));
      });

      it('fails a value outside its tolerance', () => {
        expect(() => check(with1(2, 0.51), good)).toThrow(/element 2/);
      });

      for (const v of bad) {
        for (const at of [0, 3]) {
          it(`fails ${v} in the actual values (element ${at})`, () => {
            expect(() => check(with1(at, v), good)).toThrow(new RegExp(`element ${at}`));
          });
          it(`fails ${v} in the expected values (element ${at})`, () => {
            expect(() => check(good, with1(at, v))).toThrow(new RegExp(`element ${at}`));
          });
        }
        it(`fails ${v} on both sides`, () => {
          expect(() => check(with1(1, v), with1(1, v))).toThrow(/element 1/);
        });
      }

      it('fails arrays of every-NaN (nothing is "worse" than NaN under >)', () => {
        expect(() => check([NaN, NaN], [1, 2])).toThrow();
        expect(() => check([1, 2], [NaN, NaN])).toThrow();
      });

      it('fails a length mismatch', () => {
        expect(() => check([1, 2], [1, 2, 3])).toThrow(/length/);
      });
    });
  }

  it('reports the worst element, with NaN worse than any number', () => {
    expect(worstMismatch([1, 5, 2], [1, 1, 1], () => 1)).toMatchObject({ at: 1, ratio: 4 });
    expect(worstMismatch([1, 5, NaN], [1, 1, 1], () => 1)).toMatchObject({ at: 2, ratio: Infinity });
    expect(worstMismatch([NaN, 5], [1, 1], () => 1)).toMatchObject({ at: 0, ratio: Infinity });
    expect(worstMismatch([1, 2], [1, 2], () => 0)).toBeNull();
  });

  it('maxAbs is the largest finite |value| (a non-finite one fails where it sits, not everywhere)', () => {
    expect(maxAbs([1, -3, 2])).toBe(3);
    expect(maxAbs([NaN, 1, -Infinity, -2])).toBe(2);
  });
});
