import type { BatchLoaderOptions } from '../../../../engine/runtime/data/batch-loader.js';

/** The loader the tsx script runs in a child process and the test re-runs in-thread, to compare. */
export const SCRIPT_LOADER: BatchLoaderOptions = {
  dataset: 'digits',
  split: 'test',
  plan: { batchSize: 500, seed: 11, augment: { crop: { padding: 2 }, flip: true, normalize: { mean: [0.1307], std: [0.3081] } } },
};
