/**
 * Picking the dataset a document trains on: the choice is saved in the document's
 * `training.dataset` (an undoable edit, as any setting), and the host opens it at once for the
 * preview, so a folder that is not a dataset is refused when it is picked, not at step 1.
 */
import { errorMessage, studio } from '../api.js';
import { editDocument, getDocument } from '../state/document-store.js';
import { choosePath } from './choose-path.js';
import { DATASET_CHOICES, datasetOptionsFor, specFor, withDataset, type DatasetKind } from './dataset-spec.js';
import { useRunStore } from './run-store.js';

/**
 * Sets the dataset of `kind`; the kinds read from a folder ask for it first. The host opens it
 * before the document changes: a folder that is not a dataset (or Fashion-MNIST where it is not
 * installed) is refused here with what is wrong, and the document keeps its dataset. False when
 * the user cancelled or the dataset was refused.
 */
export async function chooseDataset(kind: DatasetKind): Promise<boolean> {
  let dir: string | undefined;
  if (DATASET_CHOICES.find((c) => c.kind === kind)?.needsFolder) {
    const chosen = await choosePath('dataset');
    if (!chosen) return false;
    dir = chosen.path;
  }
  const spec = specFor(kind, dir);
  const previous = useRunStore.getState().preview;
  useRunStore.setState({ pickError: null, preview: { spec, state: 'loading' } });
  try {
    const preview = await fetchPreview(spec);
    editDocument((d) => withDataset(d, spec));
    useRunStore.setState({ preview: { spec, state: 'ready', preview } });
    return true;
  } catch (e) {
    useRunStore.setState({ preview: previous, pickError: { spec, message: errorMessage(e) } });
    return false;
  }
}

/** Opens `spec` on the host and shows its size, classes and 16 samples (or why it cannot be read). */
export async function loadPreview(spec: string): Promise<void> {
  const current = useRunStore.getState().preview;
  if (current && current.spec === spec && current.state !== 'error') return;
  useRunStore.setState({ preview: { spec, state: 'loading' } });
  try {
    const preview = await fetchPreview(spec);
    if (useRunStore.getState().preview?.spec === spec) useRunStore.setState({ preview: { spec, state: 'ready', preview } });
  } catch (e) {
    if (useRunStore.getState().preview?.spec === spec) useRunStore.setState({ preview: { spec, state: 'error', message: errorMessage(e) } });
  }
}

/** Retries a preview that failed (the host was busy, the folder was fixed). */
export function reloadPreview(spec: string): Promise<void> {
  useRunStore.setState({ preview: null });
  return loadPreview(spec);
}

function fetchPreview(spec: string) {
  const datasetOptions = datasetOptionsFor(spec, getDocument());
  return studio().previewDataset(datasetOptions ? { dataset: spec, datasetOptions } : { dataset: spec });
}
