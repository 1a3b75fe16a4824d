/**
 * A path the user chooses for `purpose`, in either mode: the desktop's native dialog (chooseFile
 * with a suggested name), or in browser mode the app's own picker, whose pick the host then
 * grants (the picker calls chooseFile itself). null when the user cancelled.
 */
import type { FilePurpose, FileRef } from '../../../engine/api/studio-api.js';
import { hostCapabilities, studio } from '../api.js';
import { askFile } from '../state/dialog-store.js';

export async function choosePath(purpose: FilePurpose, suggestedName = ''): Promise<FileRef | null> {
  if ((await hostCapabilities()).nativeDialogs) return studio().chooseFile(suggestedName === '' ? { purpose } : { purpose, path: suggestedName });
  return askFile(purpose, suggestedName);
}

/** A file name made of a label (a run, a document): letters, digits, dots, dashes. */
export function fileStem(label: string): string {
  return label.trim().replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}
