/**
 * Native file dialogs, as the host needs them. The desktop app implements them in the Electron main
 * process (the engine's process asks over its message port); browser mode has none and uses the
 * picker instead. Whatever path a dialog returns is the user's choice, and the host grants it.
 */
import type { OpenPurpose, SavePurpose } from './file-kinds.js';

export interface NativeDialogs {
  /** The document to open (for `dataset`, the folder to train on; for `weights`, the file to import), or null when the user cancelled. */
  showOpen(purpose: OpenPurpose): Promise<string | null>;
  /** Where to save a document or export a model (for `pytorch`, the folder to create), or null when the user cancelled. */
  showSave(purpose: SavePurpose, suggestedName: string): Promise<string | null>;
}
