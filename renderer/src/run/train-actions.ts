/**
 * Start, pause, resume and stop a training run. A run trains the document as it is when Start is
 * pressed (the object sent is kept, so later edits show as not part of the run); its settings are
 * the document's `training` block, and its dataset the one the panel shows.
 */
import type { TrainEvent, TrainJobOptions } from '../../../engine/api/studio-api.js';
import { parseDocument } from '../../../engine/core/document/load.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { errorMessage, studio } from '../api.js';
import { getDocument } from '../state/document-store.js';
import { limitsParam } from '../state/limits-store.js';
import { notify } from '../state/view-store.js';
import { datasetOptionsFor, documentDataset } from './dataset-spec.js';
import { canHash, documentHash } from './document-hash.js';
import { adoptJob } from './run-events.js';
import { documentPath, readRun, refreshRuns } from './run-list-actions.js';
import { useRunStore } from './run-store.js';

export async function startTraining(): Promise<void> {
  const doc = getDocument();
  const dataset = documentDataset(doc);
  const datasetOptions = datasetOptionsFor(dataset, doc);
  const threads = (doc.training as Record<string, unknown> | undefined)?.threads;
  const options: TrainJobOptions = {
    documentPath: documentPath(),
    dataset,
    ...(datasetOptions ? { datasetOptions } : {}),
    ...(typeof threads === 'number' ? { threads } : {}),
  };
  await start(() => studio().startJob({ kind: 'train', document: doc, options, ...limitsParam() }), doc, null);
}

/**
 * Continues a stopped, failed or interrupted run from its latest checkpoint, with the document it
 * was trained on (its snapshot in the run folder, not the open document, which may have changed).
 */
export async function resumeStoredRun(name: string): Promise<void> {
  let record;
  try {
    record = await readRun(name);
  } catch (e) {
    useRunStore.setState({ startError: `Could not read run ${name}: ${errorMessage(e)}` });
    return;
  }
  const parsed = parseDocument(record.document);
  if (!parsed.ok) {
    useRunStore.setState({ startError: `Run ${name} holds no valid document snapshot; it cannot be resumed` });
    return;
  }
  const snapshot = (await sameDocument(getDocument(), record.summary.documentHash)) ? getDocument() : parsed.doc;
  // the charts go on from the steps already in the folder; the resumed start drops any it trains again
  await start(() => studio().startJob({ kind: 'train', document: record.document, options: { documentPath: documentPath(), resumeRun: name }, ...limitsParam() }), snapshot, name, record.events);
}

/**
 * Whether the open document is the one a run trains (by the hash the run recorded): then it is
 * the resumed run's snapshot, and only an edit from here on marks it as not part of the run.
 */
async function sameDocument(doc: GraphDocument, hash: string): Promise<boolean> {
  return canHash() && (await documentHash(doc)) === hash;
}

async function start(send: () => Promise<{ jobId: string }>, doc: GraphDocument, runName: string | null, history: readonly TrainEvent[] = []): Promise<void> {
  if (useRunStore.getState().starting) return;
  useRunStore.setState({ starting: true, startError: null });
  try {
    const { jobId } = await send();
    adoptJob(jobId, doc, documentPath(), runName, history);
  } catch (e) {
    useRunStore.setState({ starting: false, startError: errorMessage(e) });
  }
  void refreshRuns();
}

export async function pauseTraining(): Promise<void> {
  const live = useRunStore.getState().live;
  if (!live) return;
  try {
    await studio().pauseJob({ jobId: live.jobId });
  } catch (e) {
    notify('error', `Could not pause: ${errorMessage(e)}`);
  }
}

export async function resumeTraining(): Promise<void> {
  const live = useRunStore.getState().live;
  if (!live) return;
  try {
    await studio().resumeJob({ jobId: live.jobId });
  } catch (e) {
    notify('error', `Could not resume: ${errorMessage(e)}`);
  }
}

/** Stops at the next step; the host writes a checkpoint there, from which the run can be resumed. */
export async function stopTraining(): Promise<void> {
  const live = useRunStore.getState().live;
  if (!live || live.phase !== 'running') return;
  useRunStore.setState((s) => (s.live ? { live: { ...s.live, phase: 'stopping' } } : s));
  try {
    await studio().cancelJob({ jobId: live.jobId });
  } catch (e) {
    useRunStore.setState((s) => (s.live ? { live: { ...s.live, phase: 'running' } } : s));
    notify('error', `Could not stop: ${errorMessage(e)}`);
  }
}
