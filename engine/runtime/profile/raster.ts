/**
 * Spike rasters of one sample: for each neuron layer asked for, which of a spread of its neurons
 * fired at each time step, read from the model's own spike tensors (the inference model at batch 1
 * with those tensors as extra outputs); with them, when asked, one layer's membrane trace.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { Limits } from '../../core/limits/limits.js';
import type { MeasuredTensor } from '../../core/profile/activity.js';
import { numel } from '../../core/tensor.js';
import { compileInference, INPUT_NAME } from '../compile.js';
import { createSession, floatTensor } from '../session.js';
import { modelInput } from '../train/layout.js';
import { membraneOutputs, type MembraneRequest, type MembraneTrace } from './membrane.js';

export interface SpikeRaster {
  /** The spike tensor (`path:port`). */
  readonly tensor: string;
  /** Neurons in the layer (per sample and step). */
  readonly neurons: number;
  /** Indices of the neurons shown: one in each of `shown.length` equal stretches of the layer (spreadNeurons). */
  readonly shown: readonly number[];
  /** spikes[t][k]: 1 when neuron shown[k] fired at step t. */
  readonly spikes: readonly (readonly number[])[];
}

export interface RasterOptions {
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly seed?: number;
  /** Neurons shown per layer (default 64). */
  readonly neurons?: number;
  readonly threads?: number;
  /** The user's limits for the compile (defaults where absent). */
  readonly limits?: Limits;
}

const PREFIX = 'raster:';
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * `n` of `m` neuron indices, one in each of n equal stretches of the flattened layer, at an offset
 * within its stretch that varies from one to the next (the golden-ratio sequence). The plain start
 * of each stretch would, whenever the stretch is a whole channel (64 of 64×14×14 neurons), pick the
 * same pixel, the top-left corner, in every channel: padding that never fires. With n ≥ m, every
 * neuron in order.
 */
export function spreadNeurons(m: number, n: number): number[] {
  const count = Math.min(n, m);
  return Array.from({ length: count }, (_, k) => Math.min(m - 1, Math.floor(((k + ((k * GOLDEN) % 1)) * m) / count)));
}

export interface SampleView {
  readonly rasters: SpikeRaster[];
  readonly membrane?: MembraneTrace;
}

/**
 * `sample` is one dataset sample as the loader gives it: the rasters of `tensors` and, when asked,
 * one layer's membrane trace, from one run of the batch-1 model.
 */
export async function sampleView(doc: GraphDocument, tensors: readonly MeasuredTensor[], sample: Float32Array, opts: RasterOptions & { membrane?: MembraneRequest } = {}): Promise<SampleView> {
  const T = doc.timeSteps;
  const timed = tensors.filter((t) => t.type.timed);
  const membrane = opts.membrane ? membraneOutputs(opts.membrane, T) : undefined;
  const compiled = compileInference(doc, {
    batch: 1,
    ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    ...(opts.params ? { params: opts.params } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    extraOutputs: (b, lowered) => {
      for (const t of timed) {
        const v = lowered.nodeOutputs.get(t.key);
        if (!v) throw new Error(`raster: the lowered model has no tensor for ${t.key}`);
        b.output(`${PREFIX}${t.key}`, b.op1('reshape', [v.value], { shape: [T, numel(t.type.shape)] }));
      }
      membrane?.add(b, lowered);
    },
  });
  const session = await createSession(compiled.bytes, opts.threads === undefined ? {} : { threads: opts.threads });
  try {
    const out = (await session.run({ [INPUT_NAME]: floatTensor(modelInput(doc, sample, 1), compiled.inputShape) })) as Record<string, { data: unknown }>;
    const rasters = timed.map((t) => {
      const data = out[`${PREFIX}${t.key}`]!.data as Float32Array;
      const m = numel(t.type.shape);
      const n = Math.min(opts.neurons ?? 64, m);
      const shown = spreadNeurons(m, n);
      const spikes = Array.from({ length: T }, (_, step) => shown.map((i) => (data[step * m + i]! > 0 ? 1 : 0)));
      return { tensor: t.key, neurons: m, shown, spikes };
    });
    return { rasters, ...(membrane ? { membrane: membrane.read(out) } : {}) };
  } finally {
    await session.release();
  }
}
