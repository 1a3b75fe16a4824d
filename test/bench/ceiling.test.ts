/**
 * bench/ceiling.ts counts a graph's dense work (matrix products, convolutions and their gradients);
 * the bench's "most × PyTorch" rows rest on it. Checked against the LIF CNN's layers counted by hand.
 */
import { describe, expect, it } from 'vitest';
import { ceiling, denseMacs } from '../../bench/ceiling.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { compileTrainStep } from '../../engine/runtime/train/compile.js';
import { lifCnn } from '../../templates/lif-cnn.js';

// conv 3×3 1→32 on 28×28, conv 3×3 32→64 on 14×14 (after a 2×2 pool), linear 64·7·7 → 10: MACs per sample and step
const CONV1 = 28 * 28 * 32 * 1 * 9;
const CONV2 = 14 * 14 * 64 * 32 * 9;
const FC = 64 * 7 * 7 * 10;

describe('dense work of the LIF CNN (T = 4)', () => {
  const doc = lifCnn();
  const T = doc.timeSteps;

  it('inference, batch 1: the first conv once (its input repeats over T), the rest every step', () => {
    expect(T).toBe(4);
    expect(denseMacs(compileInference(doc, { batch: 1 }).emitted)).toBe(CONV1 + T * (CONV2 + FC));
  });

  it('a training step, batch 64: forward, both gradients of every layer, no input gradient of the first conv', () => {
    const B = 64;
    const { step } = compileTrainStep(doc, { batch: B, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('adam') });
    // conv1: forward and weight gradient on B; conv2 and the linear: forward, input and weight gradients on T·B
    expect(denseMacs(step.graph)).toBe(2 * B * CONV1 + 3 * T * B * (CONV2 + FC));
  });

  it('the ceiling is the peer over the floor at the given rate', () => {
    const c = ceiling(2e9, 100, 50);
    expect(c.floorMs).toBeCloseTo(20, 12);
    expect(c.ratio).toBeCloseTo(2.5, 12);
    expect(ceiling(2e9, 100, undefined).ratio).toBeUndefined();
  });
});
