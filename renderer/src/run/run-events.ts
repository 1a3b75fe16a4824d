/**
 * The host's job events, routed to the run panel: a training job's TrainEvents to the live run,
 * its end to the run's status and the run list. Events can arrive before startJob's reply names
 * the job (the host starts streaming at once), so a train job's events are held while a start is
 * on its way and handed to the run when its id is known.
 */
import type { StudioEvent, TrainEvent } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { parseDocument } from '../../../engine/core/document/load.js';
import { studio } from '../api.js';
import { getDocument } from '../state/document-store.js';
import { curvesOf } from './chart-model.js';
import { canHash, documentHash } from './document-hash.js';
import { documentPath, readRun, refreshRuns } from './run-list-actions.js';
import { newLiveRun, pushLiveEvent, updateLive, useRunStore } from './run-store.js';

const early = new Map<string, TrainEvent[]>();
const endedEarly = new Map<string, Extract<StudioEvent, { type: 'job-end' }>>();

export function installRunEvents(): () => void {
  return studio().onEvent(onEvent);
}

/** Makes `jobId` the live run (after `history`, a resumed run's events so far) and replays what it sent before this window knew its id. */
export function adoptJob(jobId: string, document: GraphDocument, documentPath: string | null, runName: string | null, history: readonly TrainEvent[] = []): void {
  useRunStore.setState((s) => ({ live: newLiveRun(jobId, document, documentPath, runName, history), viewed: null, starting: false, version: s.version + 1 }));
  for (const e of early.get(jobId) ?? []) onTrainEvent(e);
  const end = endedEarly.get(jobId);
  early.clear();
  endedEarly.clear();
  if (end) onJobEnd(end);
}

function onEvent(e: StudioEvent): void {
  if (e.type === 'job' && e.kind === 'train') {
    const { live, starting } = useRunStore.getState();
    if (live?.jobId === e.jobId) onTrainEvent(e.event);
    else if (starting) early.set(e.jobId, [...(early.get(e.jobId) ?? []), e.event]);
    else if (!live || live.phase === 'ended') void followRunningJob(e.jobId, e.event);
  } else if (e.type === 'job-end' && e.kind === 'train') {
    if (useRunStore.getState().live?.jobId === e.jobId) onJobEnd(e);
    else if (useRunStore.getState().starting) endedEarly.set(e.jobId, e);
  }
}

function onTrainEvent(e: TrainEvent): void {
  pushLiveEvent(e);
  // the run folder exists once the run has started: the list shows it, and the live run learns its name
  if (e.type === 'start') void refreshRuns().then(nameLiveRun);
}

function onJobEnd(e: Extract<StudioEvent, { type: 'job-end' }>): void {
  const run = e.result?.run;
  updateLive({ phase: 'ended', error: e.ok || e.cancelled ? null : (e.error ?? 'the training job failed'), ...(typeof run === 'string' && !useRunStore.getState().live?.runName ? { runName: run } : {}) });
  void refreshRuns().then(nameLiveRun);
}

/** The live run's folder: the newest run still running (a window trains one run at a time). */
function nameLiveRun(): void {
  const { live, runs } = useRunStore.getState();
  if (!live || live.runName) return;
  const running = runs.filter((r) => r.status === 'running').sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (running) updateLive({ runName: running.name });
}

/**
 * A run this window did not start, or started before it was reloaded (browser mode: the host goes
 * on training when the tab closes): the panel follows it from its next event, with what it did
 * before read from its folder. A step or epoch met twice where the two meet lands on the same
 * point of the chart, so the overlap needs no care.
 */
async function followRunningJob(jobId: string, first: TrainEvent): Promise<void> {
  useRunStore.setState((s) => ({ live: newLiveRun(jobId, getDocument(), documentPath(), null), viewed: null, version: s.version + 1 }));
  pushLiveEvent(first);
  await refreshRuns();
  const running = useRunStore.getState().runs.find((r) => r.status === 'running');
  if (!running) return;
  // a folder that cannot be read leaves the charts starting at the step the panel joined
  const record = await readRun(running.name).catch(() => null);
  if (!record) return;
  // "edited since this run started" compares with the run's own snapshot
  const same = canHash() && (await documentHash(getDocument())) === record.summary.documentHash;
  const parsed = parseDocument(record.document);
  const document = parsed.ok && !same ? parsed.doc : getDocument();
  // no await from here on: the live events read now are all there are
  const live = useRunStore.getState().live;
  if (live?.jobId !== jobId) return;
  const events = [...record.events, ...live.events];
  useRunStore.setState((s) => ({ live: s.live && { ...s.live, runName: running.name, document, events, curves: curvesOf(events) }, version: s.version + 1 }));
}
