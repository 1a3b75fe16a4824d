/**
 * The studio's window: secure web preferences, shown once the first paint is ready (no white
 * flash), and a native question before closing over unsaved work or a training run (the page says
 * so by cancelling `beforeunload`, which Electron otherwise obeys silently).
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, Dialog } from 'electron';
import { APP_URL } from './app-origin.js';
import { secureWebPreferences } from './security.js';

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'SNN Studio',
    backgroundColor: '#1a1b1e',
    webPreferences: secureWebPreferences(preload),
  };
}

export function createMainWindow(Window: typeof BrowserWindow, preload: string, dialog: Pick<Dialog, 'showMessageBoxSync'>): BrowserWindow {
  const win = new Window(mainWindowOptions(preload));
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Close SNN Studio?',
      message: 'The graph has unsaved changes, or a training run is in progress.',
      detail:
        'Unsaved changes are kept in the recovery file and offered again at the next start. A training run stops when the app closes; ' +
        'everything it wrote stays in its run folder, and Resume in the run list continues it from its last checkpoint.',
    });
    // preventing the prevention lets the window close
    if (choice === 0) event.preventDefault();
  });
  void win.loadURL(APP_URL);
  return win;
}
