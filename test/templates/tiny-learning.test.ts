/**
 * Every tiny preset learns: trained with the recipe its document carries (the `training` block the
 * CLI and the app use by default, fixed seed), it must pass 80 % on the bundled MNIST digits. A
 * gallery model that builds and runs but sits at chance (as Meta-SpikeFormer's tiny once did, its
 * attention silent on a 2×2 map) fails here and nowhere else.
 *
 * The step limit is the only thing the test adds to the recipe: a document cannot hold one, and a
 * full epoch of every preset would not fit CI. Each limit is a run measured to pass with at least
 * 5 points to spare, at a fixed ONNX Runtime thread count (tiny-presets.ts lists the accuracies).
 * The two longest runs are in tiny-learning.long.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TINY_PRESETS, tinyTestAccuracy } from './tiny-presets.js';

describe('tiny presets learn the bundled digits (> 80 %, fixed seed)', () => {
  for (const run of TINY_PRESETS.filter((r) => !r.long)) {
    it(`${run.template} ${run.preset}: > 80 % after ${run.steps} steps`, { timeout: run.timeoutS * 1000 }, async () => {
      expect(await tinyTestAccuracy(run)).toBeGreaterThan(0.8);
    });
  }
});
