/** Training on ONNX Runtime: the public surface of engine/runtime/train. */
export { train, type TrainingJob } from './train.js';
export type { TrainEvent, StartEvent, StepEvent, EpochEvent, DoneEvent, ErrorEvent } from './events.js';
export { resolveTrainOptions, type TrainOptions, type ResolvedTrainOptions } from './options.js';
export { TrainingRun, type RunTensor, type StepResult } from './training-run.js';
export { Evaluator, type EvalBatch, type EvalResult } from './evaluator.js';
export { compileTrainStep, compileEval, type CompiledStep, type CompiledEval } from './compile.js';
export { saveRunCheckpoint, latestRunCheckpoint, readRunCheckpoint, readTrainedParams } from './checkpoints.js';
export { freeCores } from './threads.js';
export { TrainingDiverged } from './train.js';
export { PauseSwitch } from './pause.js';
export { RUN_FILES, runSlug, nextRunDir, latestRunDir, initRunFolder, isRunFolder, listRunFolders, readRunFolder, relabelRunFolder, deleteRunFolder, parseMetrics, summarizeRun, MetricsLog } from './run-folder.js';
