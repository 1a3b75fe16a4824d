/**
 * The run panel's state: the training job this window started (its events and curves, and the
 * document object it was sent, so an edit made during the run is known as not part of it), the
 * document's runs on disk, the runs whose charts are shown, and the dataset preview. Not part of
 * the document, so none of it is undoable.
 *
 * A live run's events and curves grow in place and `version` counts them: copying them per step
 * would cost a long run quadratic time, and components re-render on the version.
 */
import { create } from 'zustand';
import type { DatasetPreview, RunSummary } from '../../../engine/api/runs.js';
import type { TrainEvent } from '../../../engine/api/train-events.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { addEvent, curvesOf, type RunCurves } from './chart-model.js';

export interface LiveRun {
  readonly jobId: string;
  /** The document as sent to the host: the store's document is "edited since" once it is another object. */
  readonly document: GraphDocument;
  readonly documentPath: string | null;
  /** The run folder, once the host's list shows it (or the run resumed by name). */
  readonly runName: string | null;
  readonly phase: 'running' | 'stopping' | 'ended';
  /** The job ended with an error outside the run's own events (the worker died, a bad option). */
  readonly error: string | null;
  readonly events: TrainEvent[];
  readonly curves: RunCurves;
}

/** A finished (or stopped) run reopened from its folder. */
export interface OpenedRun {
  readonly name: string;
  readonly label: string;
  readonly events: readonly TrainEvent[];
  readonly curves: RunCurves;
}

export type PreviewState =
  | { readonly spec: string; readonly state: 'loading' }
  | { readonly spec: string; readonly state: 'ready'; readonly preview: DatasetPreview }
  | { readonly spec: string; readonly state: 'error'; readonly message: string };

export type SidebarTab = 'data' | 'settings' | 'runs';

export interface RunState {
  readonly live: LiveRun | null;
  /** Counts the live run's events: what the charts and the progress line re-render on. */
  readonly version: number;
  /** A start request on its way to the host (the buttons wait for it). */
  readonly starting: boolean;
  readonly startError: string | null;
  readonly runs: readonly RunSummary[];
  readonly runsError: string | null;
  /** The run shown in the charts instead of the live one (null: the live run). */
  readonly viewed: OpenedRun | null;
  /** A second run drawn over the first, dashed. */
  readonly overlay: OpenedRun | null;
  readonly preview: PreviewState | null;
  /** A dataset the user picked and the host refused (the document kept its own). */
  readonly pickError: { readonly spec: string; readonly message: string } | null;
  readonly sidebar: SidebarTab;
  /** The document (session and file) the opened runs belong to. */
  readonly documentKey: string | null;
}

export const useRunStore = create<RunState>()(() => ({
  live: null,
  version: 0,
  starting: false,
  startError: null,
  runs: [],
  runsError: null,
  viewed: null,
  overlay: null,
  preview: null,
  pickError: null,
  sidebar: 'data',
  documentKey: null,
}));

/** `history`: what a resumed run did before, from its folder (its charts go on from there). */
export function newLiveRun(jobId: string, document: GraphDocument, documentPath: string | null, runName: string | null, history: readonly TrainEvent[] = []): LiveRun {
  return { jobId, document, documentPath, runName, phase: 'running', error: null, events: [...history], curves: curvesOf(history) };
}

/** Appends an event of the live run (in place, see the module comment). */
export function pushLiveEvent(e: TrainEvent): void {
  const live = useRunStore.getState().live;
  if (!live) return;
  live.events.push(e);
  addEvent(live.curves, e);
  useRunStore.setState((s) => ({ version: s.version + 1 }));
}

export function updateLive(patch: Partial<Pick<LiveRun, 'phase' | 'error' | 'runName'>>): void {
  useRunStore.setState((s) => (s.live ? { live: { ...s.live, ...patch }, version: s.version + 1 } : s));
}

/** The run folder names the panel shows: the opened one, else the live one. */
export function shownRunName(s: RunState): string | null {
  return s.viewed?.name ?? s.live?.runName ?? null;
}
