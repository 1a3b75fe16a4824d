import { describe, expect, it } from 'vitest';
import { Rng } from '../../../engine/core/rng.js';
import { augmentInto, checkAugment, type AugmentOptions } from '../../../engine/runtime/data/augment.js';

const shape = [2, 3, 4]; // C, H, W
const src = Float32Array.from({ length: 24 }, (_, i) => i + 1);
const at = (x: Float32Array, c: number, y: number, xx: number) => x[c * 12 + y * 4 + xx]!;

function run(opts: AugmentOptions, seed = 1): Float32Array {
  const out = new Float32Array(24);
  augmentInto(src, shape, opts, Rng.fromSeed(seed), out, 0);
  return out;
}

describe('augmentation', () => {
  it('is the identity with nothing enabled and with zero padding', () => {
    expect(Array.from(run({}))).toEqual(Array.from(src));
    expect(Array.from(run({ crop: { padding: 0 } }))).toEqual(Array.from(src));
  });

  it('flips left-right when drawn (p = 1) and never when p = 0', () => {
    const flipped = run({ flip: { p: 1 } });
    for (let c = 0; c < 2; c++) for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) expect(at(flipped, c, y, x)).toBe(at(src, c, y, 3 - x));
    expect(Array.from(run({ flip: { p: 0 } }))).toEqual(Array.from(src));
  });

  it('crops a zero-padded image: every output is the source shifted by one (dy, dx) per sample, zeros outside', () => {
    const shifts = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const out = run({ crop: { padding: 1 } }, seed);
      const rng = Rng.fromSeed(seed);
      const dy = rng.int(3) - 1;
      const dx = rng.int(3) - 1;
      shifts.add(`${dy},${dx}`);
      for (let c = 0; c < 2; c++) {
        for (let y = 0; y < 3; y++) {
          for (let x = 0; x < 4; x++) {
            const sy = y + dy;
            const sx = x + dx;
            expect(at(out, c, y, x)).toBe(sy >= 0 && sy < 3 && sx >= 0 && sx < 4 ? at(src, c, sy, sx) : 0);
          }
        }
      }
    }
    expect(shifts.size).toBe(9); // all offsets of a padding of 1 occur
  });

  it('normalises per channel after crop and flip, so padding becomes (0 - mean) / std', () => {
    const out = run({ normalize: { mean: [1, 13], std: [2, 4] } });
    expect(at(out, 0, 0, 0)).toBe(0);
    expect(at(out, 1, 2, 3)).toBe((24 - 13) / 4);
    const padded = new Float32Array(24);
    // Seed found by search: its first crop draw shifts down by one, so row 0 is padding.
    let seed = 0;
    while (Rng.fromSeed(seed).int(3) !== 0) seed++;
    augmentInto(src, shape, { crop: { padding: 1 }, normalize: { mean: [0.5, 0.5], std: [0.25, 0.25] } }, Rng.fromSeed(seed), padded, 0);
    expect(at(padded, 0, 0, 0)).toBe(-2);
  });

  it('is deterministic for a generator state and writes at the given offset', () => {
    const opts: AugmentOptions = { crop: { padding: 2 }, flip: true, normalize: { mean: [0.1, 0.2], std: [0.3, 0.4] } };
    const out = new Float32Array(48);
    augmentInto(src, shape, opts, Rng.fromSeed(9), out, 24);
    expect(Array.from(out.subarray(24))).toEqual(Array.from(run(opts, 9)));
    expect(out.subarray(0, 24).every((v) => v === 0)).toBe(true);
  });

  it('moves all frames of an event sample together ([T, 2, H, W]: the channel is the polarity)', () => {
    const events = Float32Array.from({ length: 3 * 2 * 2 * 2 }, (_, i) => i);
    const out = new Float32Array(events.length);
    augmentInto(events, [3, 2, 2, 2], { flip: { p: 1 }, normalize: { mean: [0, 100], std: [1, 1] } }, Rng.fromSeed(0), out, 0);
    for (let t = 0; t < 3; t++) {
      for (let p = 0; p < 2; p++) {
        const base = (t * 2 + p) * 4;
        expect([out[base], out[base + 1]]).toEqual([events[base + 1]! - p * 100, events[base]! - p * 100]);
      }
    }
  });

  it('refuses options that do not fit the samples', () => {
    expect(() => checkAugment({ normalize: { mean: [0], std: [1] } }, [3, 8, 8])).toThrow('normalize needs 3 means and stds (one per channel), got 1 and 1');
    expect(() => checkAugment({ normalize: { mean: [0], std: [0] } }, [1, 8, 8])).toThrow(/std must be positive/);
    expect(() => checkAugment({ crop: { padding: -1 } }, [1, 8, 8])).toThrow(/non-negative integer/);
    expect(() => checkAugment({ flip: { p: 2 } }, [1, 8, 8])).toThrow(/flip probability/);
    expect(() => checkAugment({}, [8, 8])).toThrow(/at least 3 axes/);
  });
});
