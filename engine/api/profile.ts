/**
 * The profile job's options and result, as they cross the API boundary: per node of the document
 * (composites holding their insides) the measured activity, operations, energy under each
 * convention and time, with totals. Shapes mirror engine/core/profile and the runtime's ProfileRun.
 */
import { z } from 'zod';
import { runNameSchema } from './runs.js';

/**
 * Options of a profile job. With `run` (a run of the document at `documentPath`), the weights are
 * that run's latest checkpoint and its dataset the default; without, the document's seeded weights.
 * A dataset spec that names a folder must be one the user chose (purpose `dataset`).
 */
export const profileOptionsSchema = z.strictObject({
  /** Test samples measured (default 256). */
  samples: z.number().int().min(1).max(100_000).optional(),
  batch: z.number().int().min(1).max(4096).optional(),
  seed: z.number().int().optional(),
  dataset: z.string().min(1).max(4096).optional(),
  documentPath: z.string().min(1).max(4096).nullable().optional(),
  run: runNameSchema.optional(),
  /** Energy per operation in pJ (defaults 4.6 and 0.9). */
  macPj: z.number().min(0).max(1e6).optional(),
  acPj: z.number().min(0).max(1e6).optional(),
  /** The test sample (0-based, in the dataset's order) the spike rasters and the membrane trace show (default 0). */
  sample: z.number().int().min(0).max(10_000_000).optional(),
  /** A neuron layer (its node path) whose membrane trace on that sample is recorded; `neurons`: which (default: those that fired most). */
  membrane: z.strictObject({ node: z.string().min(1).max(1000), neurons: z.array(z.number().int().min(0)).min(1).max(16).optional() }).optional(),
  /**
   * Measure nothing: run only `sample`, for its rasters and membrane trace (a look at another
   * sample after a profile). The job then ends with a SampleViewResult, not a ProfileResult.
   */
  sampleOnly: z.boolean().optional(),
});
export type ProfileOptions = z.infer<typeof profileOptionsSchema>;

export const conventionSchema = z.enum(['paper', 'syops', 'neurobench']);

const tensorRateSchema = z.object({
  port: z.string(),
  tensor: z.string(),
  kind: z.enum(['analog', 'spikes', 'counts', 'membrane']),
  rate: z.number().optional(),
  perStep: z.array(z.number()).optional(),
  nonzero: z.number().optional(),
});

const chargeSchema = z.object({ macs: z.number(), acs: z.number(), pj: z.number() });
const byConvention = <T extends z.ZodType>(s: T) => z.object({ paper: s, syops: s, neurobench: s });
const synapticSchema = z.object({ dense: z.number(), effMacs: z.number(), effAcs: z.number() });

export interface ProfileRowJson {
  path: string;
  id: string;
  block: string;
  depth: number;
  params: number;
  macs: number;
  /** MACs once linear chains on spikes fold (the deployed model); only where that differs. */
  foldedMacs?: number | undefined;
  reads: z.infer<typeof tensorRateSchema>[];
  writes: z.infer<typeof tensorRateSchema>[];
  synaptic: z.infer<typeof synapticSchema>;
  membraneUpdates: number;
  sparsity?: number | undefined;
  energy: Record<z.infer<typeof conventionSchema>, z.infer<typeof chargeSchema>>;
  activationBytes: number;
  timeMs?: number | undefined;
  children?: ProfileRowJson[] | undefined;
}

export const profileRowSchema: z.ZodType<ProfileRowJson> = z.object({
  path: z.string(),
  id: z.string(),
  block: z.string(),
  depth: z.number().int().min(0),
  params: z.number(),
  macs: z.number(),
  foldedMacs: z.number().optional(),
  reads: z.array(tensorRateSchema),
  writes: z.array(tensorRateSchema),
  synaptic: synapticSchema,
  membraneUpdates: z.number(),
  sparsity: z.number().optional(),
  energy: byConvention(chargeSchema),
  activationBytes: z.number(),
  timeMs: z.number().optional(),
  children: z.lazy(() => z.array(profileRowSchema)).optional(),
});

const steps = z.array(z.array(z.number()));

/** A look at one sample, in a profile's result and in a `sampleOnly` job's. */
function sampleViewFields() {
  return {
    /** The sample shown (0-based, in the dataset's test order). */
    sample: z.number().int(),
    /** Each neuron layer's spikes on that sample: spikes[t][k] for neuron shown[k]. */
    rasters: z.array(z.object({ tensor: z.string(), neurons: z.number().int(), shown: z.array(z.number().int()), spikes: steps })),
    /** membrane[t][k]: neuron shown[k]'s charge after charge, before fire and reset (engine/runtime/profile/membrane.ts). */
    membrane: z
      .object({ node: z.string(), tensor: z.string(), neurons: z.number().int(), shown: z.array(z.number().int()), threshold: z.number(), thresholds: steps.optional(), membrane: steps, spikes: steps })
      .optional(),
    dataset: z.string(),
    /** The checkpoint the weights came from, or null for the seeded weights. */
    checkpoint: z.string().nullable(),
  };
}

export const profileResultSchema = z.object({
  profile: z.object({
    name: z.string(),
    timeSteps: z.number().int(),
    costs: z.object({ macPj: z.number(), acPj: z.number() }),
    rows: z.array(profileRowSchema),
    totals: z.object({
      params: z.number(),
      macs: z.number(),
      foldedMacs: z.number(),
      synaptic: synapticSchema,
      membraneUpdates: z.number(),
      activationSparsity: z.number(),
      energy: byConvention(chargeSchema.extend({ mj: z.number() })),
      peakActivationBytes: z.number(),
      timeMs: z.number().optional(),
      unattributedMs: z.number().optional(),
    }),
  }),
  samples: z.number().int(),
  batch: z.number().int(),
  weights: z.enum(['checkpoint', 'seeded']),
  seed: z.number().int(),
  accuracy: z.number().optional(),
  latency: z.object({ wallMs: z.number(), runMs: z.number(), kernelMs: z.number(), tapMs: z.number(), insertedMs: z.number(), runs: z.number().int(), quietestRun: z.object({ wallMs: z.number(), kernelMs: z.number() }) }),
  ...sampleViewFields(),
});
export type ProfileResult = z.infer<typeof profileResultSchema>;

/** What a `sampleOnly` profile job ends with: one sample's rasters and membrane trace. */
export const sampleViewResultSchema = z.object(sampleViewFields());
export type SampleViewResult = z.infer<typeof sampleViewResultSchema>;
export type MembraneTraceJson = NonNullable<SampleViewResult['membrane']>;
