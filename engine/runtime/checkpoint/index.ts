/** Checkpoints and safetensors: the public surface of engine/runtime/checkpoint. */
export { saveCheckpoint, loadCheckpoint, listCheckpoints, scanCheckpoints, optimizerKey, splitOptimizerState, type CheckpointContents, type CheckpointTensor, type LoadedCheckpoint } from './checkpoint.js';
export { checkpointMetaSchema, CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-meta.js';
export { encodeSafetensors, decodeSafetensors, dtypeOf, type Safetensors, type SafetensorsDtype, type Tensor, type TensorData } from './safetensors.js';
export { writeFileAtomic, isTempFile } from './atomic-write.js';
export { CheckpointError } from './checkpoint-error.js';
export { removeStaleTemps } from './stale-temps.js';
