/**
 * The desktop's file dialogs, shown by the main process for the engine (see PortDialogs). The path a
 * dialog returns is the user's choice; the engine grants exactly that path.
 */
import type { BrowserWindow, Dialog } from 'electron';
import type { NativeDialogs } from '../engine/host/files/dialogs.js';
import type { SavePurpose } from '../engine/host/files/file-kinds.js';

const DOCUMENT_FILTERS = [{ name: 'SNN Studio graph', extensions: ['json'] }];
const EXPORT_FILTERS = [{ name: 'ONNX model', extensions: ['onnx'] }];
const SAVE_FILTERS: Readonly<Record<SavePurpose, { name: string; extensions: string[] }[]>> = {
  save: DOCUMENT_FILTERS,
  export: EXPORT_FILTERS,
  metrics: [{ name: 'CSV table', extensions: ['csv'] }],
  image: [{ name: 'PNG image', extensions: ['png'] }],
};
const SAVE_TITLES: Readonly<Record<SavePurpose, string>> = { save: 'Save graph', export: 'Export ONNX model', metrics: 'Export metrics', image: 'Export chart' };

export function electronDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, parent: () => BrowserWindow | null): NativeDialogs {
  return {
    async showOpen(purpose) {
      const options =
        purpose === 'dataset'
          ? { title: 'Choose a dataset folder', properties: ['openDirectory' as const] }
          : { title: 'Open graph', properties: ['openFile' as const], filters: DOCUMENT_FILTERS };
      const win = parent();
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async showSave(purpose, suggestedName) {
      const options = {
        title: SAVE_TITLES[purpose],
        defaultPath: suggestedName,
        filters: SAVE_FILTERS[purpose],
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const win = parent();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
