/**
 * Questions the app asks the user and waits for (keep unsaved changes? which file?): a command
 * awaits the answer as a promise, and the dialog components render whatever is being asked.
 */
import { create } from 'zustand';
import type { FilePurpose, FileRef } from '../../../engine/api/studio-api.js';
import type { NotDocument } from '../dialogs/not-document.js';

export type UnsavedAnswer = 'save' | 'discard' | 'cancel';

interface Asking<T> {
  readonly resolve: (answer: T) => void;
}

export interface DialogState {
  readonly unsaved: (Asking<UnsavedAnswer> & { readonly action: string }) | null;
  readonly file: (Asking<FileRef | null> & { readonly purpose: FilePurpose; readonly suggestedName: string }) | null;
  /** A file was opened that is not a graph document: why, until the user closes the message. */
  readonly notDocument: NotDocument | null;
}

export const useDialogStore = create<DialogState>()(() => ({ unsaved: null, file: null, notDocument: null }));

export function showNotDocument(explanation: NotDocument): void {
  useDialogStore.setState({ notDocument: explanation });
}

/** "You have unsaved changes": `action` names what would lose them ("open a template"). */
export function askUnsaved(action: string): Promise<UnsavedAnswer> {
  return new Promise((resolve) => {
    useDialogStore.setState({
      unsaved: {
        action,
        resolve: (a) => {
          useDialogStore.setState({ unsaved: null });
          resolve(a);
        },
      },
    });
  });
}

/** Browser mode's file picker (the desktop app uses native dialogs instead). */
export function askFile(purpose: FilePurpose, suggestedName = ''): Promise<FileRef | null> {
  return new Promise((resolve) => {
    useDialogStore.setState({
      file: {
        purpose,
        suggestedName,
        resolve: (f) => {
          useDialogStore.setState({ file: null });
          resolve(f);
        },
      },
    });
  });
}
