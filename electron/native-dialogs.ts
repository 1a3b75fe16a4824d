/**
 * The desktop's file dialogs, shown by the main process for the engine (see PortDialogs). The path a
 * dialog returns is the user's choice; the engine grants exactly that path.
 */
import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { NativeDialogs } from '../engine/host/files/dialogs.js';
import { WEIGHTS_EXTENSIONS, type OpenPurpose, type SavePurpose } from '../engine/host/files/file-kinds.js';

const DOCUMENT_FILTERS = [{ name: 'SNN Studio graph', extensions: ['json'] }];
const EXPORT_FILTERS = [{ name: 'ONNX model', extensions: ['onnx'] }];
const SAVE_FILTERS: Readonly<Record<SavePurpose, { name: string; extensions: string[] }[]>> = {
  save: DOCUMENT_FILTERS,
  export: EXPORT_FILTERS,
  metrics: [{ name: 'CSV table', extensions: ['csv'] }],
  image: [{ name: 'PNG image', extensions: ['png'] }],
  // the folder the export creates: no filter, its name is the folder's
  pytorch: [],
  nir: [{ name: 'NIR graph', extensions: ['nir'] }],
};
const SAVE_TITLES: Readonly<Record<SavePurpose, string>> = {
  save: 'Save graph',
  export: 'Export ONNX model',
  metrics: 'Export metrics',
  image: 'Export chart',
  pytorch: 'Export PyTorch project (a new folder)',
  nir: 'Export NIR graph',
};
const OPEN_OPTIONS: Readonly<Record<OpenPurpose, OpenDialogOptions>> = {
  open: { title: 'Open graph', properties: ['openFile'], filters: DOCUMENT_FILTERS },
  dataset: { title: 'Choose a dataset folder', properties: ['openDirectory'] },
  weights: { title: 'Import weights', properties: ['openFile'], filters: [{ name: 'PyTorch state_dict or safetensors', extensions: WEIGHTS_EXTENSIONS.map((e) => e.slice(1)) }] },
};

export function electronDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, parent: () => BrowserWindow | null): NativeDialogs {
  return {
    async showOpen(purpose) {
      const options = OPEN_OPTIONS[purpose];
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
