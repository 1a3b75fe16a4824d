/** The application menu: the usual items with their shortcuts, each sending its command. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuContext } from '../../electron/menu.js';
import { MENU_COMMANDS, type MenuCommand } from '../../engine/api/menu-commands.js';

function menu(change: Partial<MenuContext> = {}) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ platform: 'linux', appName: 'SNN Studio', recent: [], development: false, send: (c) => sent.push(c), ...change });
  const items: MenuItemConstructorOptions[] = [];
  const walk = (list: MenuItemConstructorOptions[]) => {
    for (const i of list) {
      items.push(i);
      if (Array.isArray(i.submenu)) walk(i.submenu);
    }
  };
  walk(template);
  const click = (i: MenuItemConstructorOptions) => (i.click as () => void)();
  return { template, items, sent, click, byId: (id: string) => items.find((i) => i.id === id)! };
}

describe('application menu', () => {
  it('has File, Edit, View and Help; on macOS also the app and Window menus', () => {
    expect(menu().template.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'help']);
    expect(menu({ platform: 'darwin' }).template.map((m) => m.label ?? m.role)).toEqual(['SNN Studio', 'File', 'Edit', 'View', 'windowMenu', 'help']);
  });

  it('offers every command, with the shared shortcut shown but left to the renderer', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const m = menu({ platform });
      for (const [id, spec] of Object.entries(MENU_COMMANDS)) {
        const item = m.byId(id);
        expect(item, `${platform} ${id}`).toBeDefined();
        expect(item.label).toBe(spec.label);
        if ('accelerator' in spec) expect(item).toMatchObject({ accelerator: spec.accelerator, registerAccelerator: false });
      }
    }
  });

  it('sends the command of the item clicked', () => {
    const m = menu();
    for (const id of ['file.save', 'edit.undo', 'view.fit', 'view.toggleTheme', 'help.shortcuts']) m.click(m.byId(id));
    expect(m.sent).toEqual([{ command: 'file.save' }, { command: 'edit.undo' }, { command: 'view.fit' }, { command: 'view.toggleTheme' }, { command: 'help.shortcuts' }]);
  });

  it('has File → Export with ONNX (Ctrl+E), PyTorch and NIR, and File → Import Weights, each sending its command', () => {
    const m = menu();
    const file = m.template[0]!.submenu as MenuItemConstructorOptions[];
    const exportMenu = file.find((i) => i.label === 'Export')!;
    const formats = exportMenu.submenu as MenuItemConstructorOptions[];
    expect(formats.map((i) => [i.label, i.accelerator])).toEqual([
      ['ONNX…', 'CmdOrCtrl+E'],
      ['PyTorch (DDP)…', undefined],
      ['NIR…', undefined],
    ]);
    expect(file.indexOf(m.byId('file.importWeights'))).toBe(file.indexOf(exportMenu) + 1);
    for (const item of [...formats, m.byId('file.importWeights')]) m.click(item);
    expect(m.sent).toEqual([{ command: 'file.export' }, { command: 'file.exportPytorch' }, { command: 'file.exportNir' }, { command: 'file.importWeights' }]);
  });

  it('lists recent files, each opening its own path', () => {
    const m = menu({ recent: [{ path: '/home/u/a.snn.json', name: 'a.snn.json' }, { path: '/home/u/b.snn.json', name: 'b.snn.json' }] });
    const recent = m.byId('file.openRecent').submenu as MenuItemConstructorOptions[];
    expect(recent.map((i) => i.label)).toEqual(['a.snn.json', 'b.snn.json']);
    m.click(recent[1]!);
    expect(m.sent).toEqual([{ command: 'file.openRecent', path: '/home/u/b.snn.json' }]);
    const none = menu().byId('file.openRecent').submenu as MenuItemConstructorOptions[];
    expect(none).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });

  it('leaves cut, copy and paste to the native roles (text fields and DOM clipboard events)', () => {
    const roles = menu().items.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'quit']));
    expect(roles).not.toContain('toggleDevTools');
    expect(menu({ development: true }).items.map((i) => i.role)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});
