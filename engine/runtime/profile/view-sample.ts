/**
 * A look at one sample without a profile: its spike rasters and, when asked, one layer's membrane
 * trace, read from the batches up to that sample (nothing else is run or measured).
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { Limits } from '../../core/limits/limits.js';
import { analyseDocument } from '../../core/graph/infer.js';
import { measuredTensors } from '../../core/profile/activity.js';
import { profileModel } from '../../core/profile/profile.js';
import { ProblemsError } from '../../core/problems.js';
import { sampleLength } from '../train/layout.js';
import { checkMembraneRequest, type MembraneRequest } from './membrane.js';
import { neuronTensors, type ProfileBatch } from './profile-run.js';
import { sampleView, type SampleView } from './raster.js';

export interface ViewSampleOptions {
  /** 0-based, in the order the batches give the samples. */
  readonly sample: number;
  readonly membrane?: MembraneRequest;
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly seed?: number;
  readonly threads?: number;
  /** Neurons per layer in the rasters (default 64). */
  readonly rasterNeurons?: number;
  readonly signal?: AbortSignal;
  /** The user's limits (defaults where absent). */
  readonly limits?: Limits;
}

export async function viewSample(doc: GraphDocument, batches: AsyncIterable<ProfileBatch> | Iterable<ProfileBatch>, opts: ViewSampleOptions): Promise<SampleView & { sample: number }> {
  const analysis = analyseDocument(doc, undefined, opts.limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const profile = profileModel(doc, analysis, { activity: new Map() });
  if (opts.membrane) checkMembraneRequest(profile, opts.membrane);
  const tensors = neuronTensors(profile, measuredTensors(analysis, { timeSteps: doc.timeSteps, input: doc.input }));
  const perSample = sampleLength(doc);
  let seen = 0;
  let x: Float32Array | undefined;
  for await (const batch of batches) {
    opts.signal?.throwIfAborted();
    if (opts.sample < seen + batch.size) {
      const at = opts.sample - seen;
      x = batch.x.slice(at * perSample, (at + 1) * perSample);
      break;
    }
    seen += batch.size;
  }
  if (!x) throw new Error(`profile: sample ${opts.sample} is past the end of the data (${seen} samples, 0 to ${seen - 1})`);
  const view = await sampleView(doc, tensors, x, {
    neurons: opts.rasterNeurons ?? 64,
    seed: opts.seed ?? doc.training?.seed ?? 0,
    ...(opts.params ? { params: opts.params } : {}),
    ...(opts.threads === undefined ? {} : { threads: opts.threads }),
    ...(opts.membrane ? { membrane: opts.membrane } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  return { sample: opts.sample, ...view };
}
