/**
 * The application's commands with their shortcuts, in one table shared by the Electron menu (which
 * shows them and sends a command when an item is clicked) and the renderer (which binds the same
 * shortcuts itself, so that they work alike in the desktop app and in browser mode).
 *
 * Accelerators use Electron's syntax (`CmdOrCtrl+Shift+S`); the renderer maps CmdOrCtrl to ⌘ on
 * macOS and Ctrl elsewhere.
 */
export const MENU_COMMANDS = {
  'file.new': { label: 'New', accelerator: 'CmdOrCtrl+N' },
  'file.open': { label: 'Open…', accelerator: 'CmdOrCtrl+O' },
  'file.openRecent': { label: 'Open Recent' },
  'file.save': { label: 'Save', accelerator: 'CmdOrCtrl+S' },
  'file.saveAs': { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S' },
  'file.export': { label: 'ONNX…', accelerator: 'CmdOrCtrl+E' },
  'file.exportPytorch': { label: 'PyTorch (DDP)…' },
  'file.exportNir': { label: 'NIR…' },
  'file.importWeights': { label: 'Import Weights…' },
  'edit.undo': { label: 'Undo', accelerator: 'CmdOrCtrl+Z' },
  'edit.redo': { label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z' },
  'edit.delete': { label: 'Delete', accelerator: 'Delete' },
  'edit.selectAll': { label: 'Select All', accelerator: 'CmdOrCtrl+A' },
  'view.zoomIn': { label: 'Zoom In', accelerator: 'CmdOrCtrl+=' },
  'view.zoomOut': { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-' },
  'view.zoomReset': { label: 'Actual Size', accelerator: 'CmdOrCtrl+0' },
  'view.fit': { label: 'Fit Graph', accelerator: 'CmdOrCtrl+1' },
  'view.togglePalette': { label: 'Toggle Palette', accelerator: 'CmdOrCtrl+B' },
  'view.toggleInspector': { label: 'Toggle Inspector', accelerator: 'CmdOrCtrl+I' },
  'view.toggleBottomPanel': { label: 'Toggle Bottom Panel', accelerator: 'CmdOrCtrl+J' },
  'view.toggleTheme': { label: 'Toggle Dark Theme', accelerator: 'CmdOrCtrl+Shift+L' },
  'view.toggleMinimap': { label: 'Show or Hide the Minimap' },
  'view.toggleLegend': { label: 'Show or Hide the Wire Legend' },
  'help.shortcuts': { label: 'Keyboard Shortcuts', accelerator: 'CmdOrCtrl+/' },
  'help.about': { label: 'About SNN Studio' },
} as const satisfies Record<string, { label: string; accelerator?: string }>;

export type MenuCommandId = keyof typeof MENU_COMMANDS;

/** What the menu sends to the renderer; `path` only with `file.openRecent` (a file the user chose before). */
export interface MenuCommand {
  readonly command: MenuCommandId;
  readonly path?: string;
}

export function isMenuCommandId(id: string): id is MenuCommandId {
  return Object.prototype.hasOwnProperty.call(MENU_COMMANDS, id);
}
