/**
 * The profile job: the document's inference model, with activity taps, run on test samples under
 * ONNX Runtime's profiler (engine/runtime/profile); reports progress per batch and ends with the
 * profile's rows and totals. Cancelling stops it between two batches. With `sampleOnly` it measures
 * nothing and ends with one sample's rasters and membrane trace.
 */
import { profileResultSchema, sampleViewResultSchema, type ProfileOptions, type ProfileResult, type SampleViewResult } from '../../api/studio-api.js';
import type { Limits } from '../../core/limits/limits.js';
import { BatchLoader } from '../../runtime/data/index.js';
import { profileRun } from '../../runtime/profile/profile-run.js';
import { viewSample } from '../../runtime/profile/view-sample.js';
import { readTrainedParams } from '../../runtime/train/index.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

/**
 * What the worker runs: the user's options, with a chosen run resolved by the host to its latest
 * checkpoint (null: the seeded weights) and the dataset the run trained on.
 */
export type ProfileJobSpec = Omit<ProfileOptions, 'documentPath' | 'run'> & {
  readonly checkpoint?: string | null;
  /** Present only when the host left a run unresolved: refused, never silently seeded. */
  readonly run?: string;
  readonly documentPath?: string | null;
  /** The user's limits (defaults where absent). */
  readonly limits?: Limits;
};

export const DEFAULT_PROFILE_SAMPLES = 256;

export async function runProfileJob(ctx: JobContext<ProfileJobSpec>): Promise<ProfileResult | SampleViewResult> {
  const { samples = DEFAULT_PROFILE_SAMPLES, batch = 32, seed, macPj = 4.6, acPj = 0.9, checkpoint = null, run, limits, sample = 0, membrane, sampleOnly = false } = ctx.options;
  if (run !== undefined && checkpoint === null) throw new Error(`profile: run "${run}" was not resolved to a checkpoint`);
  const doc = ctx.document;
  const dataset = ctx.options.dataset ?? doc.training?.dataset ?? 'digits';
  let t = performance.now();
  const params = checkpoint === null ? undefined : await readTrainedParams(checkpoint, doc, limits);
  const normalize = doc.input.normalize ? { augment: { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } } : {};
  const B = sampleOnly ? Math.min(batch, sample + 1) : Math.min(batch, samples);
  const loader = await BatchLoader.open({ dataset, split: 'test', plan: { batchSize: B, seed: 0, shuffle: false, ...normalize }, thread: 'main' });
  ctx.emit({ type: 'phase', phase: 'data', ms: performance.now() - t });
  throwIfCancelled(ctx.signal);
  const total = Math.min(samples, loader.info.length);
  t = performance.now();
  let last = t;
  try {
    if (sampleOnly) {
      const view = await viewSample(doc, loader.epoch(0), { sample, signal: ctx.signal, ...(limits ? { limits } : {}), ...(membrane ? { membrane } : {}), ...(seed === undefined ? {} : { seed }), ...(params ? { params } : {}) });
      ctx.emit({ type: 'phase', phase: 'sample', ms: performance.now() - t });
      return sampleViewResultSchema.parse({ ...view, dataset: loader.info.name, checkpoint });
    }
    const result = await profileRun(doc, loader.epoch(0), {
      batch: B,
      samples: total,
      costs: { macPj, acPj },
      signal: ctx.signal,
      sample,
      ...(membrane ? { membrane } : {}),
      ...(seed === undefined ? {} : { seed }),
      ...(limits ? { limits } : {}),
      ...(params ? { params } : {}),
      onProgress: (done) => {
        const now = performance.now();
        ctx.emit({ type: 'progress', done, total, ms: now - last });
        last = now;
      },
    });
    ctx.emit({ type: 'phase', phase: 'profile', ms: performance.now() - t });
    // checked here, where it is made: the renderer reads it with the same schema
    return profileResultSchema.parse({ ...result, dataset: loader.info.name, checkpoint });
  } finally {
    await loader.close();
  }
}
