/**
 * New, open, save, save as, templates and recovery: the document's way in and out, through the
 * host (StudioApi). Anything that would replace a document with unsaved changes asks first.
 */
import type { FileRef, OpenedDocument } from '../../../engine/api/studio-api.js';
import { parseDocument } from '../../../engine/core/document/load.js';
import { formatProblem } from '../../../engine/core/problems.js';
import { DOCUMENT_VERSION, type GraphDocument } from '../../../engine/core/document/schema.js';
import { errorMessage, hostCapabilities, studio } from '../api.js';
import { blankDocument } from '../document/blank.js';
import { layoutMissing } from '../layout/layout-document.js';
import { explainOpenError, explainProblems } from '../dialogs/not-document.js';
import { askFile, askUnsaved, showNotDocument } from '../state/dialog-store.js';
import { getDocument, loadDocument } from '../state/document-store.js';
import { getDirty, markSaved, useFileStore } from '../state/file-store.js';
import { notify, resetView, useViewStore } from '../state/view-store.js';

/** Resolves true when the current document may be replaced (clean, saved now, or discarded). */
export async function confirmLeave(action: string): Promise<boolean> {
  if (!getDirty()) return true;
  const answer = await askUnsaved(action);
  if (answer === 'cancel') return false;
  if (answer === 'discard') return true;
  return save();
}

export async function newDocument(): Promise<void> {
  if (!(await confirmLeave('start a new graph'))) return;
  await show(blankDocument(), null, { clean: true });
}

/** Opens a gallery template's preset; `options` switches template options on (QKFormer's released-code forms). */
export async function openTemplate(id: string, preset?: string, options: Readonly<Record<string, boolean>> = {}): Promise<boolean> {
  if (!(await confirmLeave('open a template'))) return false;
  try {
    const on = Object.fromEntries(Object.entries(options).filter(([, v]) => v));
    const opened = await studio().loadTemplate({ id, ...(preset === undefined ? {} : { preset }), ...(Object.keys(on).length > 0 ? { options: on } : {}) });
    return await showOpened(opened, { clean: true });
  } catch (e) {
    notify('error', `Could not open the template: ${errorMessage(e)}`);
    return false;
  }
}

/** Opens a file: `path` when the user chose it before (recent files), else through a dialog or the picker. */
export async function openFile(path?: string): Promise<boolean> {
  if (!(await confirmLeave('open another file'))) return false;
  try {
    let target = path;
    if (target === undefined && !(await hostCapabilities()).nativeDialogs) {
      const chosen = await askFile('open');
      if (!chosen) return false;
      target = chosen.path;
    }
    const opened = await studio().openDocument(target === undefined ? {} : { path: target });
    if (!opened) return false;
    const ok = await showOpened(opened, { clean: true });
    void refreshRecent();
    return ok;
  } catch (e) {
    const explained = explainOpenError(errorMessage(e), path === undefined ? 'The file' : baseName(path));
    if (explained) showNotDocument(explained);
    else notify('error', `Could not open the file: ${errorMessage(e)}`);
    return false;
  }
}

export async function save(): Promise<boolean> {
  const file = useFileStore.getState().file;
  return file ? write(file.path, false) : saveAs();
}

export async function saveAs(): Promise<boolean> {
  try {
    if ((await hostCapabilities()).nativeDialogs) return await write(undefined, true);
    const current = useFileStore.getState().file;
    const chosen = await askFile('save', current?.name ?? `${fileStem(getDocument().name)}.snn.json`);
    return chosen ? await write(chosen.path, false) : false;
  } catch (e) {
    notify('error', `Could not save: ${errorMessage(e)}`);
    return false;
  }
}

/** Work autosaved before a crash or a closed window, reopened as unsaved changes. */
export async function recover(recovered: { document: unknown; path: string | null }): Promise<boolean> {
  if (!(await confirmLeave('recover autosaved work'))) return false;
  const file: FileRef | null = recovered.path ? { path: recovered.path, name: baseName(recovered.path) } : null;
  return showOpened({ file, document: recovered.document }, { clean: false });
}

export async function refreshRecent(): Promise<void> {
  try {
    useFileStore.setState({ recent: await studio().recentFiles() });
  } catch {
    // the recent list is a convenience; a host that cannot give it leaves it empty
  }
}

async function write(path: string | undefined, saveAs: boolean): Promise<boolean> {
  const doc = getDocument();
  try {
    const ref = await studio().saveDocument({ document: doc, ...(path !== undefined ? { path } : {}), ...(saveAs ? { saveAs } : {}) });
    if (!ref) return false;
    markSaved(ref, doc);
    notify('info', `Saved ${ref.name}`);
    void refreshRecent();
    return true;
  } catch (e) {
    notify('error', `Could not save: ${errorMessage(e)}`);
    return false;
  }
}

async function showOpened(opened: OpenedDocument, options: { clean: boolean }): Promise<boolean> {
  const parsed = parseDocument(opened.document);
  if (!parsed.ok) {
    showNotDocument(explainProblems(opened.file?.name ?? 'This document', parsed.problems.map(formatProblem)));
    return false;
  }
  await show(parsed.doc, opened.file, options);
  const from = opened.migratedFrom ?? parsed.migratedFrom;
  if (from < DOCUMENT_VERSION) notify('info', `Converted from document version ${from}; saving writes version ${DOCUMENT_VERSION}`);
  return true;
}

async function show(doc: GraphDocument, file: FileRef | null, options: { clean: boolean }): Promise<void> {
  const laidOut = await layoutMissing(doc);
  loadDocument(laidOut);
  resetView();
  if (options.clean) markSaved(file, laidOut);
  else useFileStore.setState({ file, savedDoc: null });
  useViewStore.setState({ galleryOpen: false });
}

function fileStem(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
