/**
 * Every command of the app in one table: its label, its shortcut and what it does. The keyboard
 * binding, the help overlay, the toolbar menus and the desktop menu (MENU_COMMANDS of the host)
 * all read this table, so a shortcut is defined once.
 */
import type { MenuCommandId } from '../../../engine/api/menu-commands.js';
import { deleteSelection, leaveComposite, openComposite, revealSelection, selectAll, wrapSelection } from '../actions/edit.js';
import { copySelection, cutSelection, duplicateSelection, paste } from '../actions/clipboard.js';
import { newDocument, openFile, save, saveAs } from '../actions/files.js';
import { autoLayout } from '../actions/layout.js';
import { openExportDialog } from '../run/export-model.js';
import { openImportDialog } from '../run/import-weights.js';
import { fitView, zoomBy, zoomTo } from '../canvas/canvas-control.js';
import { redo, undo } from '../state/document-store.js';
import { togglePanel } from '../state/panels.js';
import { toggleTheme } from '../state/theme-store.js';
import { clearSelection, toggleHelp, toggleLegend, toggleMinimap, useViewStore } from '../state/view-store.js';
import { currentScope } from '../state/current-scope.js';

export type CommandGroup = 'File' | 'Edit' | 'Graph' | 'View' | 'Help';

export interface Command {
  readonly id: string;
  readonly label: string;
  readonly group: CommandGroup;
  /** Shortcuts in Mantine's hotkey syntax (`mod` is ⌘ on macOS, Ctrl elsewhere); the first is shown. */
  readonly keys: readonly string[];
  /** The submenu of its group the menus show it in (File → Export). */
  readonly submenu?: string;
  /** Shortcuts the browser delivers as clipboard events instead of key bindings (copy, cut, paste). */
  readonly viaClipboardEvent?: boolean;
  readonly run: () => void;
}

const showGallery = () => useViewStore.setState({ galleryOpen: true });
const showHelp = () => toggleHelp('shortcuts');
const focusPaletteSearch = () => document.querySelector<HTMLInputElement>('[data-palette-search]')?.focus();

/** Escape: first drop the selection, then leave the opened composite. */
function escape(): void {
  const { selectedNodes, selectedEdges } = useViewStore.getState();
  if (selectedNodes.size > 0 || selectedEdges.size > 0) clearSelection();
  else if (currentScope().frames.length > 0) leaveComposite();
}

export const COMMANDS: readonly Command[] = [
  { id: 'file.new', label: 'New graph', group: 'File', keys: ['mod+N'], run: () => void newDocument() },
  { id: 'file.templates', label: 'Template gallery…', group: 'File', keys: ['mod+shift+N'], run: showGallery },
  { id: 'file.open', label: 'Open…', group: 'File', keys: ['mod+O'], run: () => void openFile() },
  { id: 'file.save', label: 'Save', group: 'File', keys: ['mod+S'], run: () => void save() },
  { id: 'file.saveAs', label: 'Save as…', group: 'File', keys: ['mod+shift+S'], run: () => void saveAs() },
  { id: 'file.export', label: 'ONNX…', group: 'File', submenu: 'Export', keys: ['mod+E'], run: () => void openExportDialog('onnx') },
  { id: 'file.exportPytorch', label: 'PyTorch (DDP)…', group: 'File', submenu: 'Export', keys: [], run: () => void openExportDialog('pytorch') },
  { id: 'file.exportNir', label: 'NIR…', group: 'File', submenu: 'Export', keys: [], run: () => void openExportDialog('nir') },
  { id: 'file.importWeights', label: 'Import weights…', group: 'File', keys: [], run: openImportDialog },

  { id: 'edit.undo', label: 'Undo', group: 'Edit', keys: ['mod+Z'], run: undo },
  { id: 'edit.redo', label: 'Redo', group: 'Edit', keys: ['mod+shift+Z', 'mod+Y'], run: redo },
  { id: 'edit.cut', label: 'Cut', group: 'Edit', keys: ['mod+X'], viaClipboardEvent: true, run: () => void cutSelection() },
  { id: 'edit.copy', label: 'Copy', group: 'Edit', keys: ['mod+C'], viaClipboardEvent: true, run: () => void copySelection() },
  { id: 'edit.paste', label: 'Paste', group: 'Edit', keys: ['mod+V'], viaClipboardEvent: true, run: () => paste() },
  { id: 'edit.duplicate', label: 'Duplicate', group: 'Edit', keys: ['mod+D'], run: duplicateSelection },
  { id: 'edit.delete', label: 'Delete', group: 'Edit', keys: ['Delete', 'Backspace'], run: deleteSelection },
  { id: 'edit.selectAll', label: 'Select all', group: 'Edit', keys: ['mod+A'], run: selectAll },
  { id: 'edit.escape', label: 'Clear selection / leave block', group: 'Edit', keys: ['Escape'], run: escape },

  { id: 'graph.addBlock', label: 'Find a block to add', group: 'Graph', keys: ['/', 'mod+K'], run: focusPaletteSearch },
  { id: 'graph.wrap', label: 'Wrap selection into a block', group: 'Graph', keys: ['mod+G'], run: () => void wrapSelection() },
  { id: 'graph.open', label: 'Open block', group: 'Graph', keys: ['Enter'], run: () => openComposite() },
  { id: 'graph.up', label: 'Leave block', group: 'Graph', keys: ['alt+ArrowUp'], run: leaveComposite },
  { id: 'graph.layout', label: 'Auto-layout', group: 'Graph', keys: ['shift+L'], run: () => void autoLayout() },
  { id: 'graph.reveal', label: 'Show selection', group: 'Graph', keys: ['shift+F'], run: revealSelection },

  { id: 'view.fit', label: 'Fit graph', group: 'View', keys: ['mod+1', 'F'], run: () => fitView() },
  { id: 'view.zoomIn', label: 'Zoom in', group: 'View', keys: ['mod+='], run: () => zoomBy(1.25) },
  { id: 'view.zoomOut', label: 'Zoom out', group: 'View', keys: ['mod+minus'], run: () => zoomBy(0.8) },
  { id: 'view.actualSize', label: 'Zoom to 100%', group: 'View', keys: ['mod+0'], run: () => zoomTo(1) },
  { id: 'view.togglePalette', label: 'Toggle palette', group: 'View', keys: ['mod+B'], run: () => togglePanel('palette') },
  { id: 'view.toggleInspector', label: 'Toggle inspector', group: 'View', keys: ['mod+I'], run: () => togglePanel('inspector') },
  { id: 'view.toggleBottomPanel', label: 'Toggle bottom panel', group: 'View', keys: ['mod+J'], run: () => togglePanel('bottom') },
  { id: 'view.toggleTheme', label: 'Toggle dark theme', group: 'View', keys: ['mod+shift+L'], run: toggleTheme },
  { id: 'view.toggleMinimap', label: 'Show or hide the minimap', group: 'View', keys: [], run: toggleMinimap },
  { id: 'view.toggleLegend', label: 'Show or hide the wire legend', group: 'View', keys: [], run: toggleLegend },

  { id: 'help.start', label: 'Getting started', group: 'Help', keys: ['F1'], run: () => toggleHelp('start') },
  { id: 'help.blocks', label: 'Block reference', group: 'Help', keys: [], run: () => toggleHelp('blocks') },
  { id: 'help.shortcuts', label: 'Keyboard shortcuts', group: 'Help', keys: ['shift+?', 'mod+/'], run: showHelp },
  { id: 'help.about', label: 'About SNN Studio', group: 'Help', keys: [], run: () => toggleHelp('about') },
];

export const COMMAND_BY_ID: ReadonlyMap<string, Command> = new Map(COMMANDS.map((c) => [c.id, c]));

export function runCommand(id: string): void {
  COMMAND_BY_ID.get(id)?.run();
}

/** Desktop menu items that are commands of this table (the rest, such as Open Recent, are handled by the caller). */
/** Every desktop menu item's command here; complete by type (Open Recent carries a path: App.tsx handles it). */
export const MENU_TO_COMMAND: Record<Exclude<MenuCommandId, 'file.openRecent'>, string> = {
  'file.new': 'file.new',
  'file.open': 'file.open',
  'file.save': 'file.save',
  'file.saveAs': 'file.saveAs',
  'file.export': 'file.export',
  'file.exportPytorch': 'file.exportPytorch',
  'file.exportNir': 'file.exportNir',
  'file.importWeights': 'file.importWeights',
  'edit.undo': 'edit.undo',
  'edit.redo': 'edit.redo',
  'edit.delete': 'edit.delete',
  'edit.selectAll': 'edit.selectAll',
  'view.zoomIn': 'view.zoomIn',
  'view.zoomOut': 'view.zoomOut',
  'view.fit': 'view.fit',
  'view.togglePalette': 'view.togglePalette',
  'view.toggleInspector': 'view.toggleInspector',
  'view.toggleBottomPanel': 'view.toggleBottomPanel',
  'view.toggleTheme': 'view.toggleTheme',
  'view.zoomReset': 'view.actualSize',
  'view.toggleMinimap': 'view.toggleMinimap',
  'view.toggleLegend': 'view.toggleLegend',
  'help.shortcuts': 'help.shortcuts',
  'help.about': 'help.about',
};
