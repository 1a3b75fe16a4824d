/**
 * Training-time augmentation, in torchvision's order: random crop with zero padding, random
 * horizontal flip, then per-channel normalisation. Crop and flip act on the last two axes (H, W) and
 * are drawn once per sample, so all T frames of an event sample move together; the channel of
 * normalisation is the axis just before H (C for images, polarity for event frames).
 *
 * Every draw comes from the Rng the caller passes, in a fixed order per sample (crop y, crop x,
 * flip), so a batch is a pure function of its generator's state.
 */
import type { Rng } from '../../core/rng.js';

export interface AugmentOptions {
  /** Pad each side with `padding` zeros, then crop back to H×W at a random place (torchvision `RandomCrop(size, padding)`). */
  crop?: { padding: number };
  /** Mirror left–right with probability `p` (`true`: p = 0.5). */
  flip?: boolean | { p: number };
  /** `(x - mean[c]) / std[c]` per channel, applied after crop and flip. */
  normalize?: { mean: number[]; std: number[] };
}

/** Throws unless `opts` fit samples of `shape`; called once when a loader opens, not per sample. */
export function checkAugment(opts: AugmentOptions, shape: readonly number[]): void {
  if (shape.length < 3) throw new RangeError(`augmentation needs samples with at least 3 axes ([.., C, H, W]), got [${shape.join(', ')}]`);
  const channels = shape[shape.length - 3]!;
  if (opts.crop && !(Number.isInteger(opts.crop.padding) && opts.crop.padding >= 0)) throw new RangeError(`crop padding must be a non-negative integer, got ${opts.crop.padding}`);
  const p = flipProbability(opts);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`flip probability must be in [0, 1], got ${p}`);
  if (opts.normalize) {
    const { mean, std } = opts.normalize;
    if (mean.length !== channels || std.length !== channels) throw new RangeError(`normalize needs ${channels} means and stds (one per channel), got ${mean.length} and ${std.length}`);
    if (std.some((s) => !(s > 0))) throw new RangeError(`normalize std must be positive, got [${std.join(', ')}]`);
  }
}

/** Writes the augmented `src` (laid out as `shape`) into `out` at `offset`. */
export function augmentInto(src: Float32Array, shape: readonly number[], opts: AugmentOptions, rng: Rng, out: Float32Array, offset: number): void {
  const h = shape[shape.length - 2]!;
  const w = shape[shape.length - 1]!;
  const channels = shape[shape.length - 3]!;
  const pad = opts.crop?.padding ?? 0;
  // The crop offset in padded coordinates minus the padding: the shift from output to source pixel.
  const dy = opts.crop ? rng.int(2 * pad + 1) - pad : 0;
  const dx = opts.crop ? rng.int(2 * pad + 1) - pad : 0;
  const p = flipProbability(opts);
  const flip = p > 0 && rng.uniform() < p;
  const planeSize = h * w;
  const planes = src.length / planeSize;
  for (let plane = 0; plane < planes; plane++) {
    const c = plane % channels;
    const mean = opts.normalize ? opts.normalize.mean[c]! : 0;
    const std = opts.normalize ? opts.normalize.std[c]! : 1;
    const from = plane * planeSize;
    const to = offset + plane * planeSize;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx = (flip ? w - 1 - x : x) + dx;
        const v = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[from + sy * w + sx]! : 0;
        out[to + y * w + x] = (v - mean) / std;
      }
    }
  }
}

function flipProbability(opts: AugmentOptions): number {
  if (opts.flip === undefined || opts.flip === false) return 0;
  return opts.flip === true ? 0.5 : opts.flip.p;
}
