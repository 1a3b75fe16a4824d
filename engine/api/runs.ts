/**
 * Training runs as the app sees them: folders a user keeps beside the document
 * (`runs/<name>-<n>/`), listed, reopened, renamed and deleted through the StudioApi; and the
 * preview of a dataset before a run starts. Pure types and schemas (the renderer imports them).
 */
import { z } from 'zod';
import { trainEventSchema } from './train-events.js';

/** A run folder's own name (`lif-cnn-3`): a plain name, so a request can never point outside the runs folder. */
export const runNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a run folder name (letters, digits, . _ -)');

/**
 * How a run ended, read from its metrics: `running` while a job writes it, `finished` after its
 * last epoch, `stopped` by the user (resumable), `failed` with an error (resumable from its last
 * checkpoint), `interrupted` when it ended without a word (the app was killed; resumable).
 */
export const runStatusSchema = z.enum(['running', 'finished', 'stopped', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const runSummarySchema = z.object({
  /** The folder's name under `runs/`. */
  name: z.string(),
  /** What the run list shows; a rename changes only this, so checkpoints keep their paths. */
  label: z.string(),
  /** The folder, for the user to find it on disk. */
  path: z.string(),
  createdAt: z.string(),
  status: runStatusSchema,
  /** Epochs completed and planned, steps done. */
  epochs: z.number().int().min(0),
  plannedEpochs: z.number().int().min(0),
  steps: z.number().int().min(0),
  /** Test accuracy after the last completed epoch and the best of them (fractions); null before the first epoch ends. */
  testAccuracy: z.number().nullable(),
  bestTestAccuracy: z.number().nullable(),
  /** The checkpoint a resume or an export starts from (a path), null when none was written. */
  latestCheckpoint: z.string().nullable(),
  /** Hash of the document snapshot the run trains; the app marks a run whose document was edited since. */
  documentHash: z.string(),
  error: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** The settings a run was started with (the document's `training` block with the run's overrides). */
export const runSettingsSchema = z.record(z.string(), z.unknown());

export const runRecordSchema = z.object({
  summary: runSummarySchema,
  settings: runSettingsSchema,
  /** Every event the run wrote to `metrics.jsonl`, in order. */
  events: z.array(trainEventSchema),
  /** The document snapshot the run trained. */
  document: z.unknown(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** One sample of a dataset preview: 8-bit pixels, row-major, `channels` per pixel. */
export const previewSampleSchema = z.object({
  label: z.number().int().min(0),
  className: z.string(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** base64 of width·height·channels bytes. */
  pixels: z.string(),
});
export type PreviewSample = z.infer<typeof previewSampleSchema>;

export const datasetPreviewSchema = z.object({
  /** The spec it was opened with (`digits`, `folder:/data/pets`, ...). */
  dataset: z.string(),
  name: z.string(),
  trainSamples: z.number().int().min(0),
  testSamples: z.number().int().min(0),
  classes: z.array(z.string()),
  /** One sample's shape as the model reads it (`[1,28,28]`, or `[T,2,H,W]` for event frames). */
  sampleShape: z.array(z.number().int()),
  /** Up to 16 training samples, spread over the classes. */
  samples: z.array(previewSampleSchema),
});
export type DatasetPreview = z.infer<typeof datasetPreviewSchema>;

/** What the export job reports back: where it wrote, which weights, and the reload check. */
export const exportResultSchema = z.object({
  path: z.string(),
  bytes: z.number().int().min(0),
  inputShape: z.array(z.number().int()),
  outputShape: z.array(z.number().int()),
  /** The checkpoint whose weights were exported; null: the document's seeded (untrained) weights. */
  checkpoint: z.string().nullable(),
  /** The written file, reloaded in a fresh ONNX Runtime session, against the training engine on test samples. */
  verified: z
    .object({
      samples: z.number().int().min(0),
      samePredictions: z.number().int().min(0),
      maxAbsDiff: z.number(),
    })
    .nullable(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

/** What a PyTorch or NIR export reports back: every file written, with its size, and the weights used. */
export const exportFilesResultSchema = z.object({
  format: z.enum(['pytorch', 'nir']),
  /** The file (NIR) or folder (PyTorch) the user chose. */
  path: z.string(),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().min(0) })),
  checkpoint: z.string().nullable(),
});
export type ExportFilesResult = z.infer<typeof exportFilesResultSchema>;

/**
 * What an import reports back: the run it made and how the file's tensors went onto the document
 * (mapped by name or renamed by the template's table, reshaped where a trailing 1 was dropped,
 * ignored by a stated rule). A file that does not fit fails the job instead, listing every
 * mismatch, missing and unexpected tensor.
 */
export const importResultSchema = z.object({
  run: runSummarySchema,
  file: z.string(),
  format: z.enum(['pytorch', 'safetensors']),
  /** The key the state_dict was wrapped under (`model`, `state_dict`), if any. */
  under: z.string().optional(),
  mapped: z.number().int().min(0),
  renamed: z.array(z.tuple([z.string(), z.string()])),
  reshaped: z.array(z.tuple([z.string(), z.array(z.number().int())])),
  ignored: z.array(z.tuple([z.string(), z.string()])),
});
export type ImportReport = z.infer<typeof importResultSchema>;
