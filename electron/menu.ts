/**
 * The application menu. Each app item sends its command to the renderer, which runs it as if its
 * shortcut had been pressed; the shortcuts themselves are the renderer's (one keymap, alike in the
 * desktop app and in browser mode), so the menu shows them without registering them
 * (`registerAccelerator: false`: a key the page already handles is not handled twice). Cut, Copy
 * and Paste are the native roles: they act on text fields and fire the DOM clipboard events the
 * canvas listens to.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { FileRef } from '../engine/api/studio-api.js';
import { MENU_COMMANDS, type MenuCommand, type MenuCommandId } from '../engine/api/menu-commands.js';

export interface MenuContext {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  readonly recent: readonly FileRef[];
  /** Delivers a command to the focused studio window. */
  send(command: MenuCommand): void;
  /** Reload and developer tools, for working on the app itself. */
  readonly development: boolean;
}

export function buildMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const command = (id: MenuCommandId, path?: string): MenuItemConstructorOptions => {
    const spec: { label: string; accelerator?: string } = MENU_COMMANDS[id];
    return {
      id,
      label: spec.label,
      ...(spec.accelerator ? { accelerator: spec.accelerator, registerAccelerator: false } : {}),
      click: () => ctx.send(path === undefined ? { command: id } : { command: id, path }),
    };
  };
  const sep: MenuItemConstructorOptions = { type: 'separator' };

  const recent: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: 'No Recent Files', enabled: false }]
      : ctx.recent.map((f) => ({ ...command('file.openRecent', f.path), id: undefined, label: f.name, toolTip: f.path }));

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      command('file.new'),
      command('file.open'),
      { id: 'file.openRecent', label: MENU_COMMANDS['file.openRecent'].label, submenu: recent },
      sep,
      command('file.save'),
      command('file.saveAs'),
      sep,
      { id: 'file.exportMenu', label: 'Export', submenu: [command('file.export'), command('file.exportPytorch'), command('file.exportNir')] },
      command('file.importWeights'),
      sep,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [command('edit.undo'), command('edit.redo'), sep, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, command('edit.delete'), sep, command('edit.selectAll')],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      command('view.zoomIn'),
      command('view.zoomOut'),
      command('view.zoomReset'),
      command('view.fit'),
      sep,
      command('view.togglePalette'),
      command('view.toggleInspector'),
      command('view.toggleBottomPanel'),
      command('view.toggleMinimap'),
      command('view.toggleLegend'),
      sep,
      command('view.toggleTheme'),
      ...(ctx.development ? [sep, { role: 'reload' } as const, { role: 'toggleDevTools' } as const] : []),
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = { role: 'help', submenu: [command('help.shortcuts'), ...(mac ? [] : [sep, command('help.about')])] };

  if (!mac) return [file, edit, view, help];
  const appMenu: MenuItemConstructorOptions = {
    label: ctx.appName,
    submenu: [command('help.about'), sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
  };
  return [appMenu, file, edit, view, { role: 'windowMenu' }, help];
}
