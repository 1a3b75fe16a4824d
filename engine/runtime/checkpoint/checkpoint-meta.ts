/**
 * The `<name>.json` half of a checkpoint: where training stood (epoch, step, generator state,
 * optimizer and its hyperparameters, metrics) and which tensors file belongs to it, identified by
 * size and SHA-256 so a json is never paired with tensors from another save.
 */
import { z } from 'zod';

export const CHECKPOINT_FORMAT = 'snn-studio/checkpoint';
export const CHECKPOINT_VERSION = 1;

const u32 = z.number().int().min(0).max(0xffffffff);

export const checkpointMetaSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  /** Hash of the graph document the parameters belong to; resuming under another document is refused by the caller. */
  documentHash: z.string().min(1),
  epoch: z.number().int().min(0),
  step: z.number().int().min(0),
  /** `Rng.state()` of the training run, to resume its random stream exactly. */
  rngState: z.array(u32),
  optimizer: z.object({
    name: z.string().min(1),
    hyperparameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  }),
  /**
   * Set when a run was stopped in the middle of an epoch: `epoch` epochs are complete and the next
   * one had done `batch` batches, with these running sums (so the epoch's reported numbers are the
   * ones an uninterrupted run reports).
   */
  epochProgress: z
    .object({
      batch: z.number().int().min(1),
      lossSum: z.number(),
      correct: z.number().int().min(0),
      seen: z.number().int().min(1),
      spikeSums: z.array(z.number()),
    })
    .optional(),
  /** Latest metrics; null stands for NaN or ±Infinity, which JSON cannot hold. */
  metrics: z.record(z.string(), z.number().nullable()),
  createdAt: z.iso.datetime(),
  tensors: z.object({
    /** A plain file name in the json's own folder: never a path, so a checkpoint cannot point at /etc/passwd or ../../. */
    file: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^/\\]+$/, 'must be a file name in the checkpoint\'s folder, not a path')
      .refine((f) => f !== '.' && f !== '..', 'must be a file name in the checkpoint\'s folder, not a path'),
    bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});

export type CheckpointMeta = z.infer<typeof checkpointMetaSchema>;

/** What a caller states when saving; format, version, the tensors record and (by default) createdAt are filled in. */
export type CheckpointMetaInput = Omit<CheckpointMeta, 'format' | 'version' | 'tensors' | 'createdAt' | 'metrics'> & {
  metrics: Record<string, number>;
  createdAt?: string;
};
