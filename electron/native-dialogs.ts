/**
 * The desktop's file dialogs, shown by the main process for the engine (see PortDialogs). The path a
 * dialog returns is the user's choice; the engine grants exactly that path.
 */
import type { BrowserWindow, Dialog } from 'electron';
import type { NativeDialogs } from '../engine/host/files/dialogs.js';

const DOCUMENT_FILTERS = [{ name: 'SNN Studio graph', extensions: ['json'] }];
const EXPORT_FILTERS = [{ name: 'ONNX model', extensions: ['onnx'] }];

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
        title: purpose === 'export' ? 'Export ONNX model' : 'Save graph',
        defaultPath: suggestedName,
        filters: purpose === 'export' ? EXPORT_FILTERS : DOCUMENT_FILTERS,
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const win = parent();
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
