/**
 * The tiny presets whose run to 80 % takes too long for the default test run (see
 * tiny-learning.test.ts). Skipped unless SNN_SLOW_TESTS=1:
 * `SNN_SLOW_TESTS=1 npx vitest run test/templates/tiny-learning.slow.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { TINY_PRESETS, tinyTestAccuracy } from './tiny-presets.js';

const slow = process.env.SNN_SLOW_TESTS === '1';
// never skip silently: say why and how to run them
if (!slow) console.warn('skipping the slow tiny-preset learning runs (qkformer, meta-spikeformer: ~9 CPU minutes); run them with SNN_SLOW_TESTS=1');

describe.runIf(slow)('slow tiny presets learn the bundled digits (> 80 %, fixed seed)', () => {
  for (const run of TINY_PRESETS.filter((r) => r.slow)) {
    it(`${run.template} ${run.preset}: > 80 % after ${run.steps} steps`, { timeout: run.timeoutS * 1000 }, async () => {
      expect(await tinyTestAccuracy(run)).toBeGreaterThan(0.8);
    });
  }
});
