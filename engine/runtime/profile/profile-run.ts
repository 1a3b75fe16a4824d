/**
 * Profiles a document on data: the inference model with activity taps runs over the samples under
 * ONNX Runtime's profiler; the taps give each spike tensor's activity per time step, the trace
 * gives each document node's time, and the core profile model turns both into rows and totals.
 */
import { rmSync } from 'node:fs';
import type { GraphDocument } from '../../core/document/schema.js';
import { analyseDocument, type GraphAnalysis } from '../../core/graph/infer.js';
import type { Limits } from '../../core/limits/limits.js';
import { measuredTensors, type MeasuredTensor, type TensorActivity } from '../../core/profile/activity.js';
import type { EnergyCosts } from '../../core/profile/conventions.js';
import { flattenRows } from '../../core/profile/export.js';
import { profileModel, type Profile } from '../../core/profile/profile.js';
import { ProblemsError } from '../../core/problems.js';
import { compileInference, INPUT_NAME, OUTPUT_NAME } from '../compile.js';
import { defaultThreads, ort } from '../session.js';
import { modelInput, sampleLength } from '../train/layout.js';
import { readTrace, traceDirectory } from './ort-trace.js';
import { checkMembraneRequest, type MembraneRequest, type MembraneTrace } from './membrane.js';
import { sampleView, type SpikeRaster } from './raster.js';
import { activityTaps, TAP_SCOPE } from './taps.js';

export interface ProfileBatch {
  /** [size, ...sample] as the dataset gives it. */
  readonly x: Float32Array;
  /** Labels, for the accuracy on the profiled samples. */
  readonly y?: Int32Array;
  readonly size: number;
}

export interface ProfileRunOptions {
  readonly batch: number;
  /** At most this many samples are run (the rest of the batches are not read). */
  readonly samples: number;
  /** Trained values (a checkpoint's); without them the document's seeded initial weights. */
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly seed?: number;
  readonly threads?: number;
  readonly costs?: EnergyCosts;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** Neurons per layer in the spike rasters (default 64; 0: no rasters). */
  readonly rasterNeurons?: number;
  /** Which profiled sample (0-based, in the order the batches give them) the rasters and the membrane trace show (default 0). */
  readonly sample?: number;
  /** A neuron layer whose membrane trace on that sample is recorded. */
  readonly membrane?: MembraneRequest;
  /** What the document may expand to (default: core/limits' DEFAULT_LIMITS). */
  readonly limits?: Limits;
}

export interface ProfileLatency {
  /** session.run wall time per sample (taps included), ms. */
  readonly wallMs: number;
  /** ORT's own run time per sample, ms. */
  readonly runMs: number;
  /** Σ kernel times per sample over all ONNX nodes, ms: the rows, the totals' `unattributedMs` and `tapMs` split it. */
  readonly kernelMs: number;
  /** Of `kernelMs`, the activity taps' reductions (not part of the model). */
  readonly tapMs: number;
  /** Of `kernelMs`, nodes ORT inserted (layout reorders), counted with the node they serve. */
  readonly insertedMs: number;
  /** Runs timed (the first, warm-up run is left out when there are more). */
  readonly runs: number;
  /**
   * The run least disturbed by other work on the machine: the one whose kernels fill the largest
   * share of its session.run wall time (a descheduled thread adds wall time between kernels, and
   * on a busy machine the fastest run need not be the quietest). Its wall time and the Σ of its
   * kernel times, ms per sample: where the two compare.
   */
  readonly quietestRun: { readonly wallMs: number; readonly kernelMs: number };
}

export interface ProfileRun {
  readonly profile: Profile;
  readonly samples: number;
  readonly batch: number;
  readonly weights: 'checkpoint' | 'seeded';
  readonly seed: number;
  /** Top-1 accuracy on the profiled samples (when they carry labels). */
  readonly accuracy?: number;
  readonly latency: ProfileLatency;
  /** The profiled sample the rasters and the membrane trace show. */
  readonly sample: number;
  /** Each neuron layer's spikes on that sample (a spread of its neurons × T). */
  readonly rasters: readonly SpikeRaster[];
  readonly membrane?: MembraneTrace;
}

export async function profileRun(doc: GraphDocument, batches: AsyncIterable<ProfileBatch> | Iterable<ProfileBatch>, opts: ProfileRunOptions): Promise<ProfileRun> {
  const analysis: GraphAnalysis = analyseDocument(doc, undefined, opts.limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const B = opts.batch;
  const T = doc.timeSteps;
  const seed = opts.seed ?? doc.training?.seed ?? 0;
  const shownSample = opts.sample ?? 0;
  if (!Number.isInteger(shownSample) || shownSample < 0 || shownSample >= opts.samples) {
    throw new Error(`profile: sample ${shownSample} is not among the ${opts.samples} samples profiled (0 to ${opts.samples - 1})`);
  }
  const tensors = measuredTensors(analysis, { timeSteps: T, input: doc.input });
  if (opts.membrane) checkMembraneRequest(profileModel(doc, analysis, { activity: new Map(), times: new Map() }), opts.membrane);
  const { taps, add } = activityTaps(tensors, T, B);
  const nodeScopes: string[] = [];
  const compiled = compileInference(doc, { batch: B, seed, extraOutputs: add, nodeScopes, ...(opts.params ? { params: opts.params } : {}), ...(opts.limits ? { limits: opts.limits } : {}) });
  const trace = traceDirectory();
  const session = await ort.InferenceSession.create(compiled.bytes, {
    intraOpNumThreads: opts.threads ?? defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    enableProfiling: true,
    profileFilePrefix: trace.prefix,
  });

  const sums = taps.map((t) => new Float64Array(t.steps));
  const nonzeros = taps.map((t) => new Float64Array(t.steps));
  const perSample = sampleLength(doc);
  const classes = compiled.outputShape[1] ?? 1;
  const wall: number[] = [];
  let samples = 0;
  let correct = 0;
  let labelled = true;
  let shown: Float32Array | undefined;
  try {
    for await (const batch of batches) {
      opts.signal?.throwIfAborted();
      const size = Math.min(batch.size, opts.samples - samples, B);
      if (size <= 0) break;
      if (shownSample >= samples && shownSample < samples + size) shown = batch.x.slice((shownSample - samples) * perSample, (shownSample - samples + 1) * perSample);
      const x = new Float32Array(B * perSample);
      x.set(batch.x.subarray(0, size * perSample));
      const feeds = { [INPUT_NAME]: new ort.Tensor('float32', modelInput(doc, x, B), [...compiled.inputShape]) };
      const t0 = performance.now();
      const out = (await session.run(feeds)) as Record<string, ort.Tensor>;
      wall.push(performance.now() - t0);
      taps.forEach((tap, k) => {
        accumulate(out[tap.sum]!.data as Float32Array, sums[k]!, B, size);
        accumulate(out[tap.nonzero ?? tap.sum]!.data as Float32Array, nonzeros[k]!, B, size);
      });
      if (batch.y) correct += countCorrect(out[OUTPUT_NAME]!.data as Float32Array, batch.y, size, classes);
      else labelled = false;
      samples += size;
      opts.onProgress?.(samples, opts.samples);
      if (samples >= opts.samples) break;
    }
    if (samples === 0) throw new Error('profile: the data gave no samples');
    if (!shown) throw new Error(`profile: sample ${shownSample} is not among the ${samples} samples the data gave (0 to ${samples - 1})`);
  } catch (e) {
    await session.release();
    rmSync(trace.dir, { recursive: true, force: true });
    throw e;
  }
  (session as unknown as { endProfiling(): void }).endProfiling();
  await session.release();
  const skip = wall.length > 1 ? 1 : 0;
  const traced = compiled.model.graph.nodes.map((n, i) => ({ name: n.name, opType: n.opType, inputs: n.inputs, outputs: n.outputs, scope: nodeScopes[i] ?? '' }));
  const times = readTrace(trace.dir, traced, skip);
  const slots = (wall.length - skip) * B; // per-sample times divide by every batch slot run, padding included

  const activity = new Map<string, TensorActivity>();
  taps.forEach((tap, k) => {
    const norm = (a: Float64Array) => Array.from(a, (s) => s / (samples * tap.elements));
    activity.set(tap.key, { perStep: norm(sums[k]!), nonzeroPerStep: norm(nonzeros[k]!) });
  });
  const msPerSample = new Map<string, number>();
  let tapUs = 0;
  for (const [scope, us] of times.byScope) {
    if (scope === TAP_SCOPE || scope.startsWith(`${TAP_SCOPE}.`)) tapUs += us;
    else msPerSample.set(scope, us / 1000 / slots);
  }
  const kernelUs = [...times.byScope.values()].reduce((a, b) => a + b, 0);
  const profile = profileModel(doc, analysis, { activity, times: msPerSample, ...(opts.costs ? { costs: opts.costs } : {}) });
  const rasterNeurons = opts.rasterNeurons ?? 64;
  const view =
    rasterNeurons > 0 || opts.membrane
      ? await sampleView(doc, rasterNeurons > 0 ? neuronTensors(profile, tensors) : [], shown!, {
          neurons: rasterNeurons,
          seed,
          ...(opts.params ? { params: opts.params } : {}),
          ...(opts.threads === undefined ? {} : { threads: opts.threads }),
          ...(opts.membrane ? { membrane: opts.membrane } : {}),
        })
      : { rasters: [] };
  return {
    sample: shownSample,
    ...view,
    profile,
    samples,
    batch: B,
    weights: opts.params ? 'checkpoint' : 'seeded',
    seed,
    ...(labelled ? { accuracy: correct / samples } : {}),
    latency: {
      wallMs: wall.slice(skip).reduce((a, b) => a + b, 0) / slots,
      runMs: times.runsUs.reduce((a, b) => a + b, 0) / 1000 / slots,
      kernelMs: kernelUs / 1000 / slots,
      tapMs: tapUs / 1000 / slots,
      insertedMs: times.insertedUs / 1000 / slots,
      runs: wall.length - skip,
      quietestRun: quietestRun(wall.slice(skip), times.runKernelsUs, B),
    },
  };
}

/** The spike tensors of the neuron layers (leaf rows with membrane updates): what the rasters show. */
export function neuronTensors(profile: Profile, tensors: readonly MeasuredTensor[]): MeasuredTensor[] {
  const outputs = new Set(flattenRows(profile.rows).flatMap((r) => (r.membraneUpdates > 0 && !r.children ? r.writes.map((w) => w.tensor) : [])));
  return tensors.filter((t) => outputs.has(t.key));
}

function quietestRun(wallMs: readonly number[], kernelsUs: readonly number[], B: number): { wallMs: number; kernelMs: number } {
  const share = (i: number) => (kernelsUs[i] ?? 0) / 1000 / wallMs[i]!;
  let best = 0;
  for (let i = 1; i < wallMs.length; i++) if (share(i) > share(best)) best = i;
  return { wallMs: (wallMs[best] ?? 0) / B, kernelMs: (kernelsUs[best] ?? 0) / 1000 / B };
}

/** Adds the first `size` samples of a [steps, B] output to per-step sums. */
function accumulate(data: Float32Array, into: Float64Array, B: number, size: number): void {
  for (let t = 0; t < into.length; t++) for (let b = 0; b < size; b++) into[t]! += data[t * B + b]!;
}

function countCorrect(logits: Float32Array, y: Int32Array, size: number, classes: number): number {
  let correct = 0;
  for (let i = 0; i < size; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c]! > logits[i * classes + best]!) best = c;
    if (best === y[i]) correct++;
  }
  return correct;
}
