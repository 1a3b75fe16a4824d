/**
 * File → Export ONNX…: the inference model with a run's latest checkpoint, or with the document's
 * seeded weights when no run is chosen. The host writes the file, reloads it in a fresh ONNX
 * Runtime session and compares its predictions with the training engine's on test samples; the
 * status bar reports that check.
 */
import { create } from 'zustand';
import { exportResultSchema, type ExportResult, type StudioEvent } from '../../../engine/api/studio-api.js';
import { errorMessage, studio } from '../api.js';
import { getDocument } from '../state/document-store.js';
import { notify } from '../state/view-store.js';
import { choosePath, fileStem } from './choose-path.js';
import { documentPath, readRun, refreshRuns } from './run-list-actions.js';
import { shownRunName, useRunStore } from './run-store.js';

/** Test samples the reload check compares. */
export const VERIFY_SAMPLES = 32;

export interface ExportState {
  readonly dialogOpen: boolean;
  /** The run whose checkpoint is exported; null: seeded weights. */
  readonly run: string | null;
  /** The export job running now, and the weights it writes (for the report). */
  readonly job: { readonly id: string; readonly weights: string } | null;
}

export const useExportStore = create<ExportState>()(() => ({ dialogOpen: false, run: null, job: null }));

/** Opens the dialog with the run the panel shows, else the newest run that has a checkpoint. */
export async function openExportDialog(): Promise<void> {
  await refreshRuns();
  const { runs } = useRunStore.getState();
  const withCheckpoint = runs.filter((r) => r.latestCheckpoint !== null);
  const shown = shownRunName(useRunStore.getState());
  const run = withCheckpoint.find((r) => r.name === shown)?.name ?? withCheckpoint[0]?.name ?? null;
  useExportStore.setState({ dialogOpen: true, run });
}

export function closeExportDialog(): void {
  useExportStore.setState({ dialogOpen: false });
}

export async function exportOnnx(run: string | null): Promise<void> {
  closeExportDialog();
  const label = run ? (useRunStore.getState().runs.find((r) => r.name === run)?.label ?? run) : null;
  try {
    const target = await choosePath('export', `${fileStem(label ?? getDocument().name)}.onnx`);
    if (!target) return;
    // a run's checkpoint fits the document it trained, which the open one may no longer be
    const document = run ? (await readRun(run)).document : getDocument();
    const path = documentPath();
    const { jobId } = await studio().startJob({
      kind: 'export',
      document,
      options: { path: target.path, documentPath: path, verifySamples: VERIFY_SAMPLES, ...(run ? { run } : {}) },
    });
    useExportStore.setState({ job: { id: jobId, weights: label ? `weights of run ${label}` : 'seeded, untrained weights' } });
    notify('info', `Exporting ${target.name}…`);
  } catch (e) {
    notify('error', `Could not export: ${errorMessage(e)}`);
  }
}

export function installExportEvents(): () => void {
  return studio().onEvent((e: StudioEvent) => {
    const job = useExportStore.getState().job;
    if (e.type !== 'job-end' || e.kind !== 'export' || e.jobId !== job?.id) return;
    useExportStore.setState({ job: null });
    if (!e.ok) {
      notify('error', e.cancelled ? 'Export cancelled' : `Export failed: ${e.error ?? 'unknown error'}`);
      return;
    }
    const result = exportResultSchema.safeParse(e.result);
    if (!result.success) notify('error', 'Export finished, but the host sent no result this app can read');
    else {
      const report = exportReport(result.data, job.weights);
      notify(report.ok ? 'info' : 'error', report.text);
    }
  });
}

/** The status bar's line for a finished export: the file, the weights, and the reload check. */
export function exportReport(r: ExportResult, weights: string): { ok: boolean; text: string } {
  const name = r.path.split(/[\\/]/).pop() ?? r.path;
  // the host says which weights it wrote; a run without a checkpoint exports seeded ones
  const head = `Exported ${name} (${r.checkpoint === null ? 'seeded, untrained weights' : weights})`;
  const v = r.verified;
  if (!v || v.samples === 0) return { ok: true, text: `${head}; not checked against the training engine` };
  if (v.samePredictions === v.samples) return { ok: true, text: `${head}: predictions on ${v.samples} test samples equal the training engine's` };
  return { ok: false, text: `${head}, but predictions differ from the training engine's on ${v.samples - v.samePredictions} of ${v.samples} test samples (max |Δ| ${v.maxAbsDiff.toPrecision(3)})` };
}
