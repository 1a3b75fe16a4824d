/**
 * What a batch loader reads, as plain JSON (so it can be posted to the loader worker), and the one
 * function that turns it into a BatchMaker — called in the worker, or on the main thread when the
 * loader runs in-thread. Both paths therefore build their batches from the same code.
 */
import { BatchMaker, type BatchPlan } from './batch-maker.js';
import type { DatasetKind } from './dataset.js';
import { openDataset, type DatasetOptions } from './open-dataset.js';

export interface LoaderSource {
  /** A dataset spec for `openDataset` (`digits`, `idx:<dir>`, …). */
  dataset: string;
  datasetOptions?: DatasetOptions;
  split: 'train' | 'test';
  plan: BatchPlan;
}

export interface LoaderInfo {
  name: string;
  classes: string[];
  sampleShape: number[];
  kind: DatasetKind;
  /** Samples in the split. */
  length: number;
  batchesPerEpoch: number;
}

export function openLoaderSource(source: LoaderSource): { maker: BatchMaker; info: LoaderInfo } {
  const dataset = openDataset(source.dataset, source.datasetOptions);
  const split = dataset[source.split];
  const maker = new BatchMaker(split, dataset.sampleShape, source.plan);
  return {
    maker,
    info: {
      name: dataset.name,
      classes: [...dataset.classes],
      sampleShape: [...dataset.sampleShape],
      kind: dataset.kind,
      length: split.length,
      batchesPerEpoch: maker.batchesPerEpoch,
    },
  };
}
