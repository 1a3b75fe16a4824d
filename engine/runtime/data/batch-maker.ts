/**
 * Batch k of epoch e as a pure function of (split, plan, e, k). The sample order of an epoch is a
 * shuffle seeded by (seed, epoch) and each batch's augmentation draws from a generator seeded by
 * (seed, epoch, k), so the loader's worker and the main thread build identical batches, and a run
 * resumed from a checkpoint at any step sees exactly the batches it would have seen.
 */
import { Rng } from '../../core/rng.js';
import { augmentInto, checkAugment, type AugmentOptions } from './augment.js';
import { sampleSize, type Split } from './dataset.js';

export interface BatchPlan {
  batchSize: number;
  seed: number;
  /** Visit the split in a new random order each epoch (default true). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  augment?: AugmentOptions;
}

export interface Batch {
  /** `[size, ...sampleShape]`, float32. */
  x: Float32Array;
  /** `[size]` class indices (ONNX wants int64 labels: convert with `BigInt64Array.from(y, BigInt)`). */
  y: Int32Array;
  size: number;
  epoch: number;
  /** Position of this batch in its epoch. */
  index: number;
}

// Distinct streams for the epoch order and the augmentation, so adding one never shifts the other.
const ORDER_STREAM = 0x6f726472;
const AUGMENT_STREAM = 0x61756720;

export class BatchMaker {
  readonly batchesPerEpoch: number;
  private readonly sampleLength: number;
  private readonly shuffle: boolean;
  private order: { epoch: number; indices: number[] } | undefined;

  constructor(
    private readonly split: Split,
    private readonly sampleShape: readonly number[],
    private readonly plan: BatchPlan,
  ) {
    if (!Number.isInteger(plan.batchSize) || plan.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${plan.batchSize}`);
    if (plan.augment) checkAugment(plan.augment, sampleShape);
    this.sampleLength = sampleSize(sampleShape);
    this.shuffle = plan.shuffle ?? true;
    const whole = split.length / plan.batchSize;
    this.batchesPerEpoch = plan.dropLast ? Math.floor(whole) : Math.ceil(whole);
  }

  make(epoch: number, index: number): Batch {
    if (!Number.isInteger(index) || index < 0 || index >= this.batchesPerEpoch) {
      throw new RangeError(`batch ${index} out of range: an epoch has ${this.batchesPerEpoch} batches`);
    }
    const order = this.epochOrder(epoch);
    const start = index * this.plan.batchSize;
    const size = Math.min(this.plan.batchSize, order.length - start);
    const x = new Float32Array(size * this.sampleLength);
    const y = new Int32Array(size);
    const rng = this.plan.augment ? Rng.fromSeed(deriveSeed(this.plan.seed, AUGMENT_STREAM, epoch, index)) : undefined;
    for (let b = 0; b < size; b++) {
      const sample = this.split.get(order[start + b]!);
      if (sample.x.length !== this.sampleLength) throw new RangeError(`sample ${order[start + b]} holds ${sample.x.length} values, expected ${this.sampleLength}`);
      if (rng) augmentInto(sample.x, this.sampleShape, this.plan.augment!, rng, x, b * this.sampleLength);
      else x.set(sample.x, b * this.sampleLength);
      y[b] = sample.y;
    }
    return { x, y, size, epoch, index };
  }

  private epochOrder(epoch: number): number[] {
    if (this.order?.epoch !== epoch) {
      const indices = Array.from({ length: this.split.length }, (_, i) => i);
      if (this.shuffle) Rng.fromSeed(deriveSeed(this.plan.seed, ORDER_STREAM, epoch)).shuffle(indices);
      this.order = { epoch, indices };
    }
    return this.order.indices;
  }
}

/** One 32-bit seed from several integers (each taken mod 2^32), mixed so that nearby inputs give unrelated seeds. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
