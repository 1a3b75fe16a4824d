/**
 * The desktop app's main process: security first (sandbox, the app scheme, hardened sessions and
 * web contents), then the engine in a utility process, the IPC relay, the window and the menu.
 * Everything here is wiring; the parts are in their own modules and tested without Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, utilityProcess } from 'electron';
import { IPC_COMMAND, IPC_EVENT } from '../engine/api/bridge.js';
import type { MenuCommand } from '../engine/api/menu-commands.js';
import type { FileRef } from '../engine/api/studio-api.js';
import { currentPlatform, withHugePages } from '../engine/runtime/huge-pages.js';
import { appPaths } from './app-paths.js';
import { registerAppScheme, serveApp } from './app-protocol.js';
import { HostBridge } from './host-bridge.js';
import { registerStudioIpc } from './ipc-main.js';
import { buildMenuTemplate } from './menu.js';
import { electronDialogs } from './native-dialogs.js';
import { hardenSession, hardenWebContents } from './security.js';
import { createMainWindow } from './window.js';

// before `ready`: the scheme must be privileged before any page loads
registerAppScheme(protocol);
app.enableSandbox();

const paths = appPaths(app.getAppPath(), app.isPackaged);
let mainWindow: BrowserWindow | null = null;

app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, (url) => void shell.openExternal(url));
});

const engine = new HostBridge(
  () =>
    utilityProcess.fork(paths.hostBoot, [], {
      serviceName: 'SNN Studio engine',
      // huge pages behind the engine's big tensors on Linux (engine/runtime/huge-pages.ts)
      env: withHugePages({ ...process.env, SNN_STUDIO_HOST_ENTRY: paths.hostEntry }, currentPlatform()),
      stdio: 'inherit',
    }),
  { configDir: app.getPath('userData'), version: app.getVersion() },
  electronDialogs(dialog, () => BrowserWindow.getFocusedWindow() ?? mainWindow),
);

function sendCommand(command: MenuCommand): void {
  const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
  target?.webContents.send(IPC_COMMAND, command);
}

function setMenu(recent: readonly FileRef[]): void {
  const template = buildMenuTemplate({ platform: process.platform, appName: app.getName(), recent, send: sendCommand, development: !app.isPackaged });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.whenReady().then(async () => {
  hardenSession(session.defaultSession);
  serveApp(protocol, paths.rendererDist);
  registerStudioIpc(ipcMain, engine);
  engine.onEvent((event) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, event);
    if (event.type === 'recent-files') setMenu(event.files);
  });
  setMenu([]);
  mainWindow = createMainWindow(BrowserWindow, paths.preload, dialog);
  mainWindow.on('closed', () => (mainWindow = null));
  const recent = await engine.call({ id: 0, method: 'recentFiles', params: {} });
  if (recent.ok) setMenu(recent.result as FileRef[]);
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow(BrowserWindow, paths.preload, dialog);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => engine.stop());
