/** Datasets and batch loading for training: the public surface of engine/runtime/data. */
export { DatasetError, sampleSize, type Dataset, type DatasetKind, type Sample, type Split } from './dataset.js';
export { openDataset, FASHION_MNIST_DIR, type DatasetOptions } from './open-dataset.js';
export { loadDigits } from './digits.js';
export { loadIdxDataset, parseIdx, type IdxOptions } from './idx.js';
export { loadCifar10, loadCifar100 } from './cifar.js';
export { loadImageFolder, type ImageFolderOptions } from './image-folder.js';
export { loadEventFolder, type EventFolderOptions } from './event-folder.js';
export { readEventFile, parseEventNpz, parseEvt, encodeEvt, type EventStream } from './event-file.js';
export { frameByCount } from './event-frames.js';
export { parseNpy, npyToFloat64, type NpyArray } from './npy.js';
export { parseNpz } from './npz.js';
export { CIFAR10_CLASSES, CIFAR100_CLASSES, FASHION_MNIST_CLASSES } from './class-names.js';
export { type AugmentOptions } from './augment.js';
export { BatchMaker, deriveSeed, type Batch, type BatchPlan } from './batch-maker.js';
export { BatchLoader, type BatchLoaderOptions } from './batch-loader.js';
export type { LoaderInfo, LoaderSource } from './loader-source.js';
export { previewDataset } from './preview.js';
