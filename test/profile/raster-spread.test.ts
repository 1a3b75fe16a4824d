import { describe, expect, it } from 'vitest';
import { spreadNeurons } from '../../engine/runtime/profile/raster.js';

describe('the neurons a spike raster shows', () => {
  it('takes every neuron, in order, when there are no more than asked for', () => {
    expect(spreadNeurons(5, 64)).toEqual([0, 1, 2, 3, 4]);
    expect(spreadNeurons(64, 64)).toEqual(Array.from({ length: 64 }, (_, k) => k));
  });

  it('takes one neuron in each equal stretch of the layer, at varying offsets: not the same pixel of every channel', () => {
    // 64 of 64 channels × 14 × 14: each stretch is one channel
    const m = 64 * 14 * 14;
    const shown = spreadNeurons(m, 64);
    expect(shown).toHaveLength(64);
    shown.forEach((i, k) => {
      expect(Math.floor(i / 196)).toBe(k);
    });
    const pixels = new Set(shown.map((i) => i % 196));
    expect(pixels.size).toBeGreaterThan(48);
  });
});
