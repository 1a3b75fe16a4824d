/**
 * File → Export (ONNX, PyTorch, NIR): the dialog's state and the export job. The dialog first shows
 * the export lint of the open document for the chosen format (a node the format cannot hold blocks
 * the export, and can be marked on the canvas), then which weights go out (a run's latest
 * checkpoint, or the document's seeded weights), then the destination from the host's file dialog
 * or picker. ONNX: the host reloads the written file and compares its predictions with the training
 * engine's, and the status bar reports that check. PyTorch and NIR: the dialog lists the files
 * written, with their sizes.
 */
import { create } from 'zustand';
import { exportFilesResultSchema, exportResultSchema, type ExportFilesResult, type ExportResult, type FilePurpose, type StudioEvent } from '../../../engine/api/studio-api.js';
import type { ExportFormat } from '../../../engine/core/export/lint.js';
import { errorMessage, studio } from '../api.js';
import { formatBytes } from '../format.js';
import { getDocument } from '../state/document-store.js';
import { limitsParam } from '../state/limits-store.js';
import { notify } from '../state/view-store.js';
import { choosePath, fileStem } from './choose-path.js';
import { showExportLint } from './export-lint.js';
import { documentPath, readRun, refreshRuns } from './run-list-actions.js';
import { shownRunName, useRunStore } from './run-store.js';

/** Test samples the ONNX reload check compares. */
export const VERIFY_SAMPLES = 32;

export const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = { onnx: 'ONNX', pytorch: 'PyTorch (DDP)', nir: 'NIR' };

/** What the host's file dialog is asked for, and the name it suggests. */
const DESTINATION: Readonly<Record<ExportFormat, { purpose: FilePurpose; suffix: string }>> = {
  onnx: { purpose: 'export', suffix: '.onnx' },
  pytorch: { purpose: 'pytorch', suffix: '-pytorch' },
  nir: { purpose: 'nir', suffix: '.nir' },
};

export type ExportPhase =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly jobId: string; readonly target: string; readonly step: string | null }
  | { readonly state: 'done'; readonly result: ExportFilesResult }
  | { readonly state: 'failed'; readonly error: string };

export interface ExportState {
  readonly dialogOpen: boolean;
  readonly format: ExportFormat;
  /** The run whose checkpoint is exported; null: seeded weights. */
  readonly run: string | null;
  /** The ONNX export job running now, and the weights it writes (for the status bar's report). */
  readonly job: { readonly id: string; readonly weights: string } | null;
  /** A PyTorch or NIR export, shown in the dialog from start to its list of files. */
  readonly phase: ExportPhase;
}

export const useExportStore = create<ExportState>()(() => ({ dialogOpen: false, format: 'onnx', run: null, job: null, phase: { state: 'idle' } }));

/** Opens the dialog for `format` with the run the panel shows, else the newest run that has a checkpoint. */
export async function openExportDialog(format: ExportFormat = 'onnx'): Promise<void> {
  await refreshRuns();
  const { runs } = useRunStore.getState();
  const withCheckpoint = runs.filter((r) => r.latestCheckpoint !== null);
  const shown = shownRunName(useRunStore.getState());
  const run = withCheckpoint.find((r) => r.name === shown)?.name ?? withCheckpoint[0]?.name ?? null;
  const busy = useExportStore.getState().phase.state === 'running';
  useExportStore.setState({ dialogOpen: true, format, run, ...(busy ? {} : { phase: { state: 'idle' } }) });
}

/** Closes the dialog; its lint stays on the canvas only when the user asked to see it there. */
export function closeExportDialog(keepMarks = false): void {
  useExportStore.setState({ dialogOpen: false });
  if (!keepMarks) showExportLint(null);
}

export async function exportModel(format: ExportFormat, run: string | null): Promise<void> {
  const label = run ? (useRunStore.getState().runs.find((r) => r.name === run)?.label ?? run) : null;
  const weights = label ? `weights of run ${label}` : 'seeded, untrained weights';
  // ONNX reports in the status bar, as it always has; the others list their files in the dialog
  if (format === 'onnx') closeExportDialog();
  try {
    const { purpose, suffix } = DESTINATION[format];
    const target = await choosePath(purpose, `${fileStem(label ?? getDocument().name)}${suffix}`);
    if (!target) return;
    // a run's checkpoint fits the document it trained, which the open one may no longer be
    const document = run ? (await readRun(run)).document : getDocument();
    const { jobId } = await studio().startJob({
      kind: 'export',
      document,
      options: { path: target.path, documentPath: documentPath(), format, ...(format === 'onnx' ? { verifySamples: VERIFY_SAMPLES } : {}), ...(run ? { run } : {}) },
      ...limitsParam(),
    });
    if (format === 'onnx') useExportStore.setState({ job: { id: jobId, weights } });
    else useExportStore.setState({ phase: { state: 'running', jobId, target: target.name, step: null } });
    notify('info', `Exporting ${target.name} (${weights})…`);
  } catch (e) {
    if (format !== 'onnx') useExportStore.setState({ phase: { state: 'failed', error: errorMessage(e) } });
    notify('error', `Could not export: ${errorMessage(e)}`);
  }
}

export function cancelExport(): void {
  const { phase } = useExportStore.getState();
  if (phase.state === 'running') void studio().cancelJob({ jobId: phase.jobId });
}

export function installExportEvents(): () => void {
  return studio().onEvent((e: StudioEvent) => {
    const { job, phase } = useExportStore.getState();
    if (e.type === 'job' && e.kind === 'export' && phase.state === 'running' && e.jobId === phase.jobId && e.event.type === 'phase') {
      useExportStore.setState({ phase: { ...phase, step: e.event.phase } });
      return;
    }
    if (e.type !== 'job-end' || e.kind !== 'export') return;
    if (e.jobId === job?.id) onnxEnded(e, job.weights);
    else if (phase.state === 'running' && e.jobId === phase.jobId) filesEnded(e);
  });
}

type JobEnd = Extract<StudioEvent, { type: 'job-end' }>;

function onnxEnded(e: JobEnd, weights: string): void {
  useExportStore.setState({ job: null });
  if (!e.ok) {
    notify('error', e.cancelled ? 'Export cancelled' : `Export failed: ${e.error ?? 'unknown error'}`);
    return;
  }
  const result = exportResultSchema.safeParse(e.result);
  if (!result.success) notify('error', 'Export finished, but the host sent no result this app can read');
  else {
    const report = exportReport(result.data, weights);
    notify(report.ok ? 'info' : 'error', report.text);
  }
}

function filesEnded(e: JobEnd): void {
  if (!e.ok) {
    const error = e.cancelled ? 'Export cancelled' : `Export failed: ${e.error ?? 'unknown error'}`;
    useExportStore.setState({ phase: { state: 'failed', error } });
    notify('error', error.split('\n')[0]!);
    return;
  }
  const result = exportFilesResultSchema.safeParse(e.result);
  if (!result.success) {
    useExportStore.setState({ phase: { state: 'failed', error: 'Export finished, but the host sent no result this app can read' } });
    return;
  }
  useExportStore.setState({ phase: { state: 'done', result: result.data } });
  notify('info', filesReport(result.data));
}

/** The status bar's line for a finished PyTorch or NIR export: the files and their sizes. */
export function filesReport(r: ExportFilesResult): string {
  const name = (p: string) => p.split(/[\\/]/).pop() ?? p;
  const weights = r.checkpoint === null ? 'seeded, untrained weights' : 'trained weights';
  return `Exported ${FORMAT_LABELS[r.format]} to ${name(r.path)} (${weights}): ${r.files.map((f) => `${name(f.path)} ${formatBytes(f.bytes)}`).join(', ')}`;
}

/** The status bar's line for a finished ONNX export: the file, the weights, and the reload check. */
export function exportReport(r: ExportResult, weights: string): { ok: boolean; text: string } {
  const name = r.path.split(/[\\/]/).pop() ?? r.path;
  // the host says which weights it wrote; a run without a checkpoint exports seeded ones
  const head = `Exported ${name} (${r.checkpoint === null ? 'seeded, untrained weights' : weights})`;
  const v = r.verified;
  if (!v || v.samples === 0) return { ok: true, text: `${head}; not checked against the training engine` };
  if (v.samePredictions === v.samples) return { ok: true, text: `${head}: predictions on ${v.samples} test samples equal the training engine's` };
  return { ok: false, text: `${head}, but predictions differ from the training engine's on ${v.samples - v.samePredictions} of ${v.samples} test samples (max |Δ| ${v.maxAbsDiff.toPrecision(3)})` };
}
