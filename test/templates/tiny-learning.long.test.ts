/**
 * The tiny presets whose run to 80 % is longest (two and three whole epochs, about 4 and 7 CPU minutes):
 * in a file of their own so that vitest runs them beside the other files rather than after the
 * short presets of tiny-learning.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TINY_PRESETS, tinyTestAccuracy } from './tiny-presets.js';

describe('long tiny presets learn the bundled digits (> 80 %, fixed seed)', () => {
  for (const run of TINY_PRESETS.filter((r) => r.long)) {
    it(`${run.template} ${run.preset}: > 80 % after ${run.steps} steps`, { timeout: run.timeoutS * 1000 }, async () => {
      expect(await tinyTestAccuracy(run)).toBeGreaterThan(0.8);
    });
  }
});
