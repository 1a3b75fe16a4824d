/**
 * The training settings the run panel edits: one row per field, saying where it lives in the
 * document (the `training` block, or the top-level `timeSteps` for T), how it is typed, and the
 * default the trainer applies when it is not set. The defaults are the trainer's own
 * (engine/runtime/train/options.ts resolveTrainOptions); test/renderer/run-settings.test.ts holds
 * the two equal, since the renderer may not import the runtime.
 */
import type { GraphDocument, TrainingSettings } from '../../../engine/core/document/schema.js';
import type { Field } from '../inspector/schema-fields.js';

export type TrainingKey = 'epochs' | 'batchSize' | 'optimizer' | 'lr' | 'schedule' | 'warmupEpochs' | 'weightDecay' | 'loss' | 'seed' | 'threads';

export interface SettingField {
  /** `timeSteps`: the document's T; the rest: keys of the `training` block. */
  readonly key: TrainingKey | 'timeSteps';
  readonly label: string;
  readonly field: Exclude<Field, { kind: 'variant' }>;
  readonly description: string;
  /** What the trainer uses when the field is not set (undefined: no default shown, such as threads: the free cores). */
  readonly defaultFor: (training: Readonly<Record<string, unknown>>) => unknown;
}

const int: Field = { kind: 'number', integer: true, nullable: false };
const real: Field = { kind: 'number', integer: false, nullable: false };

export const OPTIMIZERS = ['sgd', 'adam', 'adamw', 'lamb'] as const;

const optimizerOf = (t: Readonly<Record<string, unknown>>): string => (typeof t.optimizer === 'string' ? t.optimizer : 'adam');

export const SETTING_FIELDS: readonly SettingField[] = [
  { key: 'epochs', label: 'Epochs', field: int, description: 'passes over the training set', defaultFor: () => 10 },
  { key: 'batchSize', label: 'Batch', field: int, description: 'samples per step', defaultFor: () => 64 },
  { key: 'optimizer', label: 'Optimizer', field: { kind: 'enum', options: OPTIMIZERS }, description: 'the update rule', defaultFor: () => 'adam' },
  { key: 'lr', label: 'Learning rate', field: real, description: 'peak learning rate of the schedule', defaultFor: (t) => (optimizerOf(t) === 'sgd' ? 0.1 : 1e-3) },
  { key: 'schedule', label: 'Schedule', field: { kind: 'enum', options: ['constant', 'cosine', 'step'] }, description: 'how the learning rate changes over the run', defaultFor: () => 'cosine' },
  { key: 'warmupEpochs', label: 'Warmup epochs', field: real, description: 'linear warmup before the schedule (fractions of an epoch allowed)', defaultFor: () => 0 },
  { key: 'weightDecay', label: 'Weight decay', field: real, description: 'L2 penalty (decoupled for AdamW and LAMB)', defaultFor: (t) => (['adamw', 'lamb'].includes(optimizerOf(t)) ? 0.01 : 0) },
  { key: 'loss', label: 'Loss', field: { kind: 'enum', options: ['ce', 'tet', 'mse_rate'] }, description: 'ce: cross-entropy of the mean output; tet: per time step; mse_rate: firing rate vs one-hot', defaultFor: () => 'ce' },
  { key: 'timeSteps', label: 'T (time steps)', field: int, description: "the document's T: simulation steps per sample", defaultFor: () => undefined },
  { key: 'seed', label: 'Seed', field: int, description: 'initial weights and data order', defaultFor: () => 0 },
  { key: 'threads', label: 'Threads', field: int, description: "ONNX Runtime threads (empty: the cores not busy with other work)", defaultFor: () => undefined },
];

/** The stored value of a field (undefined: not set, the default applies). */
export function settingValue(doc: GraphDocument, key: SettingField['key']): unknown {
  if (key === 'timeSteps') return doc.timeSteps;
  return (doc.training as Readonly<Record<string, unknown>> | undefined)?.[key];
}

/**
 * The document with one setting changed; `undefined` removes it from the training block (the
 * default applies again), and a block left empty goes away, so clearing every field gives back
 * the document as it was. Returns the same document when nothing changes (no undo step).
 */
export function withSetting(doc: GraphDocument, key: SettingField['key'], value: unknown): GraphDocument {
  if (key === 'timeSteps') return typeof value === 'number' && value !== doc.timeSteps ? { ...doc, timeSteps: value } : doc;
  const training = { ...(doc.training ?? {}) } as Record<string, unknown>;
  if (training[key] === value || (value === undefined && !(key in training))) return doc;
  if (value === undefined) delete training[key];
  else training[key] = value;
  const { training: _old, ...rest } = doc;
  return Object.keys(training).length === 0 ? rest : { ...rest, training: training as TrainingSettings };
}
