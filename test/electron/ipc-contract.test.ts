/**
 * The StudioApi contract over the desktop transport, everything but Electron itself real: the
 * renderer's IPC client → the preload's bridge → (fake) ipcRenderer/ipcMain → the main process's
 * IPC handler → HostBridge → the engine's message port (in memory, cloned like a process boundary)
 * → runHostService → the StudioHost, with native dialogs answered by a fake.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostBridge } from '../../electron/host-bridge.js';
import { runHostService } from '../../electron/host-service.js';
import { registerStudioIpc } from '../../electron/ipc-main.js';
import { createStudioBridge } from '../../electron/preload-bridge.js';
import { IPC_EVENT } from '../../engine/api/bridge.js';
import { IpcStudioClient } from '../../engine/api/ipc-client.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { describeStudioContract } from '../host/studio-contract.js';
import { FakeDialogs, FakeEngineLink, FakeIpcMain, FakeIpcRenderer } from './fake-electron.js';

describeStudioContract('Electron IPC', async () => {
  const workDir = realpathSync(mkdtempSync(join(tmpdir(), 'snn-ipc-contract-')));
  const dialogs = new FakeDialogs();
  const ipcMain = new FakeIpcMain();
  const ipcRenderer = new FakeIpcRenderer(ipcMain);
  let host: StudioHost | undefined;
  const bridge = new HostBridge(
    () => {
      const link = new FakeEngineLink();
      runHostService(link.port, async (options) => (host = await StudioHost.create(options)));
      return link.main;
    },
    { configDir: join(workDir, '.config'), version: '0.0.0-test' },
    dialogs,
  );
  registerStudioIpc(ipcMain, bridge);
  bridge.onEvent((event) => ipcRenderer.deliver(IPC_EVENT, event));
  const api = new IpcStudioClient(createStudioBridge(ipcRenderer, 'linux'));
  return {
    api,
    mode: 'desktop',
    workDir,
    async choose(path, purpose) {
      dialogs.answers.push(path);
      return (await api.chooseFile({ purpose }))!;
    },
    async close() {
      bridge.stop();
      await host?.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
});
