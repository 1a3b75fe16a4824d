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

export const profileResultSchema = z.object({
  profile: z.object({
    name: z.string(),
    timeSteps: z.number().int(),
    costs: z.object({ macPj: z.number(), acPj: z.number() }),
    rows: z.array(profileRowSchema),
    totals: z.object({
      params: z.number(),
      macs: z.number(),
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
  latency: z.object({ wallMs: z.number(), runMs: z.number(), kernelMs: z.number(), tapMs: z.number(), insertedMs: z.number(), runs: z.number().int(), fastestRun: z.object({ wallMs: z.number(), kernelMs: z.number() }) }),
  /** Each neuron layer's spikes on the first sample: spikes[t][k] for neuron shown[k]. */
  rasters: z.array(z.object({ tensor: z.string(), neurons: z.number().int(), shown: z.array(z.number().int()), spikes: z.array(z.array(z.number())) })),
  dataset: z.string(),
  /** The checkpoint the weights came from, or null for the seeded weights. */
  checkpoint: z.string().nullable(),
});
export type ProfileResult = z.infer<typeof profileResultSchema>;
