/**
 * The main process's IPC endpoint and the preload's bridge: only the app's own top-level page is
 * answered; the page gets payloads, never Electron's event objects; garbage sent over IPC gets
 * error replies from the engine's dispatcher.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HostBridge } from '../../electron/host-bridge.js';
import { runHostService } from '../../electron/host-service.js';
import { isTrustedSender, registerStudioIpc } from '../../electron/ipc-main.js';
import { createStudioBridge } from '../../electron/preload-bridge.js';
import { IPC_CALL, IPC_COMMAND, IPC_EVENT } from '../../engine/api/bridge.js';
import { StudioHost } from '../../engine/host/studio-host.js';
import { FakeDialogs, FakeEngineLink, FakeIpcMain, FakeIpcRenderer, senderFrame } from './fake-electron.js';

describe('registerStudioIpc', () => {
  it('relays calls from the app page, and refuses other senders', async () => {
    const ipcMain = new FakeIpcMain();
    const relayed: unknown[] = [];
    const dispose = registerStudioIpc(ipcMain, { call: async (m) => (relayed.push(m), { id: 1, ok: true, result: 'relayed' }) });
    const ask = (frame: unknown) => ipcMain.handlers.get(IPC_CALL)!({ senderFrame: frame }, { id: 1, method: 'capabilities' });
    expect(await ask(senderFrame())).toEqual({ id: 1, ok: true, result: 'relayed' });
    for (const frame of [senderFrame('https://evil.example/'), senderFrame('file:///tmp/x.html'), senderFrame('app://studio/index.html', {}), null]) {
      expect(await ask(frame)).toMatchObject({ ok: false, code: 'denied' });
    }
    expect(relayed).toHaveLength(1);
    dispose();
    expect(ipcMain.handlers.has(IPC_CALL)).toBe(false);
  });

  it('trusts the top-level app frame only', () => {
    expect(isTrustedSender({ senderFrame: senderFrame() } as never)).toBe(true);
    expect(isTrustedSender({ senderFrame: senderFrame('app://studio/x', { url: 'app://studio/' }) } as never)).toBe(false);
  });
});

describe('preload bridge', () => {
  it('exposes calls, events and commands only, and hands the page payloads, not IPC events', async () => {
    const ipcMain = new FakeIpcMain();
    ipcMain.handle(IPC_CALL, (_e, m) => ({ id: (m as { id: number }).id, ok: true, result: 'pong' }));
    const ipc = new FakeIpcRenderer(ipcMain);
    const bridge = createStudioBridge(ipc, 'darwin');
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onCommand', 'onEvent', 'platform']);
    expect(bridge.platform).toBe('darwin');
    expect(await bridge.call({ id: 3, method: 'capabilities', params: {} })).toEqual({ id: 3, ok: true, result: 'pong' });

    const events = vi.fn();
    const commands = vi.fn();
    const offEvents = bridge.onEvent(events);
    bridge.onCommand(commands);
    ipc.deliver(IPC_EVENT, { type: 'recent-files', files: [] });
    ipc.deliver(IPC_COMMAND, { command: 'file.save' });
    expect(events.mock.calls).toEqual([[{ type: 'recent-files', files: [] }]]);
    expect(commands.mock.calls).toEqual([[{ command: 'file.save' }]]);
    offEvents();
    expect(ipc.count(IPC_EVENT)).toBe(0);
    expect(ipc.count(IPC_COMMAND)).toBe(1);
  });

  it('preload.ts puts exactly that bridge on window.studio through contextBridge', async () => {
    const exposed: [string, unknown][] = [];
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer: new FakeIpcRenderer(new FakeIpcMain()),
    }));
    try {
      await import('../../electron/preload.js');
    } finally {
      vi.doUnmock('electron');
    }
    expect(exposed.map(([k]) => k)).toEqual(['studio']);
    expect(Object.keys(exposed[0]![1] as object).sort()).toEqual(['call', 'onCommand', 'onEvent', 'platform']);
  });
});

describe('garbage over IPC', () => {
  it('gets error replies from the engine, which keeps serving', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-ipc-garbage-'));
    const ipcMain = new FakeIpcMain();
    let host: StudioHost | undefined;
    const bridge = new HostBridge(
      () => {
        const link = new FakeEngineLink();
        runHostService(link.port, async (o) => (host = await StudioHost.create(o)));
        return link.main;
      },
      { configDir: dir, version: 'test' },
      new FakeDialogs(),
    );
    registerStudioIpc(ipcMain, bridge);
    const call = createStudioBridge(new FakeIpcRenderer(ipcMain), 'linux').call as (m: unknown) => Promise<unknown>;
    try {
      expect(await call('not an object')).toMatchObject({ id: null, ok: false, code: 'bad-message' });
      expect(await call({ id: 1, method: 'format disk', params: {} })).toMatchObject({ id: 1, code: 'unknown-method' });
      expect(await call({ id: 2, method: 'validate', params: { document: 42 } })).toMatchObject({ id: 2, code: 'invalid-params' });
      expect(await call({ id: 3, method: 'browseFiles', params: { purpose: 'open' } })).toMatchObject({ id: 3, code: 'unavailable' });
      expect(await call({ id: 4, method: 'validate', params: { document: { huge: 'x'.repeat(4_000_000) } } })).toMatchObject({ id: 4, ok: true, result: { ok: false } });
      expect(await call({ id: 5, method: 'capabilities' })).toMatchObject({ id: 5, ok: true, result: { mode: 'desktop', nativeDialogs: true } });
    } finally {
      bridge.stop();
      await host?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
