/**
 * File → Import weights…: a published checkpoint (a PyTorch state_dict .pth/.pt, never executed,
 * or safetensors) chosen through the host's file dialog, mapped onto the open document by its
 * template's name table in the host's job worker, and saved as a new run of the document, which
 * the Run panel lists and Profile and Export use like a trained run.
 */
import { create } from 'zustand';
import { importResultSchema, type ImportReport, type StudioEvent } from '../../../engine/api/studio-api.js';
import { errorMessage, studio } from '../api.js';
import { getDocument } from '../state/document-store.js';
import { limitsParam } from '../state/limits-store.js';
import { notify } from '../state/view-store.js';
import { choosePath } from './choose-path.js';
import { documentPath, refreshRuns, showRunIfIdle } from './run-list-actions.js';

export type ImportPhase =
  | { readonly state: 'idle' }
  | { readonly state: 'running'; readonly jobId: string; readonly file: string }
  | { readonly state: 'done'; readonly report: ImportReport }
  | { readonly state: 'failed'; readonly error: string };

export const useImportStore = create<{ readonly dialogOpen: boolean; readonly phase: ImportPhase }>()(() => ({ dialogOpen: false, phase: { state: 'idle' } }));

export function openImportDialog(): void {
  const busy = useImportStore.getState().phase.state === 'running';
  useImportStore.setState({ dialogOpen: true, ...(busy ? {} : { phase: { state: 'idle' } }) });
}

export function closeImportDialog(): void {
  useImportStore.setState({ dialogOpen: false });
}

export async function importWeights(): Promise<void> {
  try {
    const file = await choosePath('weights');
    if (!file) return;
    const { jobId } = await studio().startJob({ kind: 'import', document: getDocument(), options: { path: file.path, documentPath: documentPath() }, ...limitsParam() });
    useImportStore.setState({ phase: { state: 'running', jobId, file: file.name } });
  } catch (e) {
    useImportStore.setState({ phase: { state: 'failed', error: errorMessage(e) } });
  }
}

export function installImportEvents(): () => void {
  return studio().onEvent((e: StudioEvent) => {
    const { phase } = useImportStore.getState();
    if (e.type !== 'job-end' || e.kind !== 'import' || phase.state !== 'running' || e.jobId !== phase.jobId) return;
    if (!e.ok) {
      const error = e.cancelled ? 'Import cancelled' : (e.error ?? 'unknown error');
      useImportStore.setState({ phase: { state: 'failed', error } });
      notify('error', `Could not import ${phase.file}: ${error.split('\n')[0]}`);
      return;
    }
    const report = importResultSchema.safeParse(e.result);
    if (!report.success) {
      useImportStore.setState({ phase: { state: 'failed', error: 'The import finished, but the host sent no report this app can read' } });
      return;
    }
    useImportStore.setState({ phase: { state: 'done', report: report.data } });
    notify('info', `Imported ${report.data.mapped} tensors from ${phase.file} as run ${report.data.run.label}`);
    void refreshRuns().then(() => showRunIfIdle(report.data.run.name));
  });
}

/** The ignored tensors grouped by the rule that ignores them, with a count each. */
export function ignoredByRule(report: ImportReport): { why: string; count: number; example: string }[] {
  const groups = new Map<string, { why: string; count: number; example: string }>();
  for (const [name, why] of report.ignored) {
    const g = groups.get(why);
    if (g) g.count += 1;
    else groups.set(why, { why, count: 1, example: name });
  }
  return [...groups.values()];
}
