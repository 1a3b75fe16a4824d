/**
 * The document's runs on disk: list them, reopen one's charts, overlay a second, rename, delete.
 * Runs live beside the document's file (`runs/` next to it), or in the app's own runs folder for
 * a document never saved.
 */
import type { RunRecord } from '../../../engine/api/runs.js';
import { errorMessage, studio } from '../api.js';
import { useFileStore } from '../state/file-store.js';
import { notify } from '../state/view-store.js';
import { curvesOf } from './chart-model.js';
import { useRunStore, type OpenedRun } from './run-store.js';

/** Where the open document's runs are: its file's path, or null for the app's runs folder. */
export function documentPath(): string | null {
  return useFileStore.getState().file?.path ?? null;
}

export async function refreshRuns(): Promise<void> {
  try {
    const runs = await studio().listRuns({ documentPath: documentPath() });
    useRunStore.setState({ runs: [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), runsError: null });
  } catch (e) {
    useRunStore.setState({ runsError: errorMessage(e) });
  }
}

export async function readRun(name: string): Promise<RunRecord> {
  return studio().readRun({ documentPath: documentPath(), run: name });
}

/** Shows a run's charts in place of the live run's. */
export async function openRun(name: string): Promise<void> {
  try {
    useRunStore.setState({ viewed: opened(await readRun(name)) });
  } catch (e) {
    notify('error', `Could not open run ${name}: ${errorMessage(e)}`);
  }
}

/** Shows a run's charts when the panel shows nothing else by the time it is read (a run started meanwhile wins). */
export async function showRunIfIdle(name: string): Promise<void> {
  const record = await readRun(name).catch(() => null);
  const { live, viewed } = useRunStore.getState();
  if (record && !live && !viewed) useRunStore.setState({ viewed: opened(record) });
}

/** Back to the run this window is training (or trained last). */
export function showLiveRun(): void {
  useRunStore.setState({ viewed: null });
}

/** Draws `name`'s curves over the shown run's, or stops comparing (null). */
export async function overlayRun(name: string | null): Promise<void> {
  if (name === null) {
    useRunStore.setState({ overlay: null });
    return;
  }
  try {
    useRunStore.setState({ overlay: opened(await readRun(name)) });
  } catch (e) {
    notify('error', `Could not open run ${name}: ${errorMessage(e)}`);
  }
}

export async function renameRun(name: string, label: string): Promise<void> {
  try {
    const summary = await studio().renameRun({ documentPath: documentPath(), run: name, label });
    useRunStore.setState((s) => ({
      runs: s.runs.map((r) => (r.name === name ? summary : r)),
      viewed: s.viewed?.name === name ? { ...s.viewed, label: summary.label } : s.viewed,
      overlay: s.overlay?.name === name ? { ...s.overlay, label: summary.label } : s.overlay,
    }));
  } catch (e) {
    notify('error', `Could not rename run ${name}: ${errorMessage(e)}`);
  }
}

export async function deleteRun(name: string): Promise<void> {
  try {
    await studio().deleteRun({ documentPath: documentPath(), run: name });
    useRunStore.setState((s) => {
      const runs = s.runs.filter((r) => r.name !== name);
      // the run compared with a deleted one becomes the one shown
      if (s.viewed?.name === name) return { runs, viewed: s.overlay, overlay: null };
      return { runs, overlay: s.overlay?.name === name ? null : s.overlay };
    });
    notify('info', `Deleted run ${name}`);
  } catch (e) {
    notify('error', `Could not delete run ${name}: ${errorMessage(e)}`);
  }
}

function opened(record: RunRecord): OpenedRun {
  return { name: record.summary.name, label: record.summary.label, events: record.events, curves: curvesOf(record.events) };
}
