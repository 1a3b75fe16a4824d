/**
 * The `.snn.json` graph document, defined once with zod. Unknown fields are rejected everywhere
 * (strict objects) so that a typo is an error, not silently ignored data.
 */
import { z } from 'zod';

export const DOCUMENT_FORMAT = 'snn-studio/graph';
export const DOCUMENT_VERSION = 1;

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_.\-]*$/, 'must start with a letter or _ and use only letters, digits, _ . -');

/**
 * Every free-text field has a length limit far above real use: error messages quote names, and a
 * 10 MB block name must not come back whole in every message that mentions it.
 */
const MAX_NAME = 200;
const MAX_TEXT = 100_000;
const name = z.string().min(1).max(MAX_NAME);

export const positionSchema = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

export const nodeSchema = z.strictObject({
  id,
  block: z.string().min(1, 'must name a block').max(MAX_NAME),
  params: z.record(z.string().max(MAX_NAME), z.unknown()).optional(),
  label: z.string().max(MAX_TEXT).optional(),
  position: positionSchema.optional(),
});

export const edgeSchema = z.strictObject({
  source: name,
  sourcePort: name.optional(),
  target: name,
  targetPort: name.optional(),
});

/** A user-defined composite block: a sub-graph whose `input`/`output` nodes are its ports. */
export const compositeSchema = z.strictObject({
  label: z.string().max(MAX_TEXT).optional(),
  description: z.string().max(MAX_TEXT).optional(),
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
});

export const inputSpecSchema = z.strictObject({
  /** Per-sample shape without T and B: [C,H,W] for images, [2,H,W] for event frames, [F] for vectors. */
  shape: z.array(z.number().int().positive()).min(1).max(4),
  kind: z.enum(['image', 'events', 'vector']).default('image'),
  classes: z.array(z.string().max(MAX_NAME)).optional(),
  normalize: z
    .strictObject({ mean: z.array(z.number()), std: z.array(z.number().positive()) })
    .optional(),
});

export const trainingSettingsSchema = z.strictObject({
  dataset: z.string().optional(),
  epochs: z.number().int().positive().optional(),
  batchSize: z.number().int().positive().optional(),
  optimizer: z.enum(['sgd', 'adam', 'adamw', 'lamb']).optional(),
  lr: z.number().positive().optional(),
  minLr: z.number().nonnegative().optional(),
  weightDecay: z.number().nonnegative().optional(),
  momentum: z.number().min(0).max(1).optional(),
  nesterov: z.boolean().optional(),
  schedule: z.enum(['constant', 'cosine', 'step']).optional(),
  warmupEpochs: z.number().nonnegative().optional(),
  warmupLr: z.number().nonnegative().optional(),
  cooldownEpochs: z.number().nonnegative().optional(),
  loss: z.enum(['ce', 'tet', 'mse_rate']).optional(),
  labelSmoothing: z.number().min(0).max(1).optional(),
  gradClip: z.number().positive().optional(),
  augmentation: z
    .strictObject({
      randomCrop: z.number().int().nonnegative().optional(),
      hflip: z.boolean().optional(),
      /** What the paper used beyond what SNN Studio implements (RandAugment, mixup, ...), for the record. */
      paper: z.string().optional(),
    })
    .optional(),
  seed: z.number().int().optional(),
  /** ONNX Runtime threads for training (default: the machine's free cores); fixed, a resumed run rounds alike. */
  threads: z.number().int().min(1).max(1024).optional(),
  notes: z.string().optional(),
});

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const documentSchema = z.strictObject({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  name: z.string().min(1).max(MAX_TEXT),
  description: z.string().max(MAX_TEXT).optional(),
  timeSteps: z.number().int().min(1).max(1024),
  input: inputSpecSchema,
  nodes: z.array(nodeSchema),
  edges: z.array(edgeSchema),
  composites: z.record(id, compositeSchema).optional(),
  training: trainingSettingsSchema.optional(),
  /** Free-form metadata (paper, venue, reported results, template preset). */
  meta: z.record(z.string(), jsonValue).optional(),
});

export type GraphDocument = z.infer<typeof documentSchema>;
export type NodeSpec = z.infer<typeof nodeSchema>;
export type EdgeSpec = z.infer<typeof edgeSchema>;
export type CompositeDef = z.infer<typeof compositeSchema>;
export type InputSpec = z.infer<typeof inputSpecSchema>;
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

/** A graph body: the document's own nodes/edges, or a composite's. */
export interface GraphBody {
  readonly nodes: readonly NodeSpec[];
  readonly edges: readonly EdgeSpec[];
}

export const DEFAULT_OUT_PORT = 'out';
export const DEFAULT_IN_PORT = 'in';
