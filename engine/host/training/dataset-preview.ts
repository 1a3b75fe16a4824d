/**
 * A dataset opened the way training opens it, for the run panel's preview: a folder that is not a
 * dataset is refused here, with the loader's own message, before any run starts.
 */
import type { DatasetPreview, TrainJobOptions } from '../../api/studio-api.js';
import { openDataset, previewDataset } from '../../runtime/data/index.js';
import { HostError } from '../errors.js';

export function openDatasetPreview(spec: string, options: TrainJobOptions['datasetOptions']): DatasetPreview {
  try {
    return previewDataset(spec, openDataset(spec, options ?? {}));
  } catch (e) {
    throw new HostError('failed', e instanceof Error ? e.message : String(e));
  }
}
