/**
 * Training options: the document's `training` section, overridden by the caller (CLI flags or
 * the app), with the defaults filled in. One place decides every default.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import type { LossSpec } from '../../core/train/loss.js';
import { optimizerSpec, type OptimizerName, type OptimizerSpec } from '../../core/train/optimizer.js';
import type { ScheduleSpec } from '../../core/train/schedule.js';
import type { DatasetOptions } from '../data/index.js';
import type { PauseSwitch } from './pause.js';
import type { Limits } from '../../core/limits/limits.js';

export interface TrainOptions {
  /** Dataset spec for `openDataset` (default: the document's, else `digits`). */
  readonly dataset?: string;
  readonly datasetOptions?: DatasetOptions;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly optimizer?: OptimizerName;
  readonly lr?: number;
  readonly minLr?: number;
  readonly weightDecay?: number;
  readonly momentum?: number;
  readonly nesterov?: boolean;
  readonly schedule?: ScheduleSpec['kind'];
  readonly warmupEpochs?: number;
  readonly warmupLr?: number;
  readonly cooldownEpochs?: number;
  readonly loss?: LossSpec['kind'];
  readonly labelSmoothing?: number;
  readonly gradClip?: number;
  readonly seed?: number;
  /** ONNX Runtime intra-op threads (default: the cores not busy with other work). */
  readonly threads?: number;
  /** Run directory for checkpoints (one per epoch); none: no checkpoints. */
  readonly outDir?: string;
  /** Continue from the latest checkpoint in `outDir`. */
  readonly resume?: boolean;
  /** Stop each epoch after this many steps (quick runs, benchmarks). */
  readonly maxStepsPerEpoch?: number;
  /** Where batches are built (default: a worker thread). */
  readonly loaderThread?: 'worker' | 'main';
  /** Cancels the run at the next step boundary. */
  readonly signal?: AbortSignal;
  /** Holds the run between two steps while paused (the app's Pause). */
  readonly pause?: PauseSwitch;
  /** The run list's name for a new run in `outDir` (default: the folder's name). */
  readonly label?: string;
  /** What the document may expand to (default: core/limits' DEFAULT_LIMITS); raised for a model past them. */
  readonly limits?: Limits;
}

export interface ResolvedTrainOptions {
  readonly dataset: string;
  readonly datasetOptions: DatasetOptions | undefined;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerSpec;
  readonly schedule: Omit<ScheduleSpec, 'stepsPerEpoch'>;
  readonly loss: LossSpec;
  readonly gradClip: number | undefined;
  readonly seed: number;
  readonly threads: number | undefined;
  readonly augment: { readonly crop?: number; readonly flip?: boolean };
}

export function resolveTrainOptions(doc: GraphDocument, o: TrainOptions): ResolvedTrainOptions {
  const t = doc.training ?? {};
  const optimizer = o.optimizer ?? t.optimizer ?? 'adam';
  const lr = o.lr ?? t.lr ?? (optimizer === 'sgd' ? 0.1 : 1e-3);
  const smoothing = o.labelSmoothing ?? t.labelSmoothing ?? 0;
  const lossKind = o.loss ?? t.loss ?? 'ce';
  const loss: LossSpec =
    lossKind === 'tet' ? { kind: 'tet', lambda: 1e-3, means: 1, labelSmoothing: smoothing } : lossKind === 'mse_rate' ? { kind: 'mse_rate' } : { kind: 'ce', labelSmoothing: smoothing };
  const weightDecay = o.weightDecay ?? t.weightDecay;
  const momentum = o.momentum ?? t.momentum;
  const nesterov = o.nesterov ?? t.nesterov;
  const epochs = o.epochs ?? t.epochs ?? 10;
  const minLr = o.minLr ?? t.minLr;
  const warmupEpochs = o.warmupEpochs ?? t.warmupEpochs;
  const warmupLr = o.warmupLr ?? t.warmupLr;
  const cooldownEpochs = o.cooldownEpochs ?? t.cooldownEpochs;
  return {
    dataset: o.dataset ?? t.dataset ?? 'digits',
    datasetOptions: o.datasetOptions,
    epochs,
    batchSize: o.batchSize ?? t.batchSize ?? 64,
    optimizer: optimizerSpec(optimizer, {
      ...(weightDecay === undefined ? {} : { weightDecay }),
      ...(momentum === undefined ? {} : { momentum }),
      ...(nesterov === undefined ? {} : { nesterov }),
    }),
    schedule: {
      kind: o.schedule ?? t.schedule ?? 'cosine',
      lr,
      epochs,
      ...(minLr === undefined ? {} : { minLr }),
      ...(warmupEpochs === undefined ? {} : { warmupEpochs }),
      ...(warmupLr === undefined ? {} : { warmupLr }),
      ...(cooldownEpochs === undefined ? {} : { cooldownEpochs }),
    },
    loss,
    gradClip: o.gradClip ?? t.gradClip,
    seed: o.seed ?? t.seed ?? 0,
    threads: o.threads ?? t.threads,
    augment: { ...(t.augmentation?.randomCrop ? { crop: t.augmentation.randomCrop } : {}), ...(t.augmentation?.hflip ? { flip: true } : {}) },
  };
}
