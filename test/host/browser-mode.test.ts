/**
 * Browser mode serves its page before the engine has loaded, and an engine that cannot start is
 * reported to each call (and once in the log) while the page is still served.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WsStudioClient } from '../../engine/api/ws-client.js';
import { wsFrom } from './ws-test-client.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'snn-browser-mode-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SNN Studio</title>');
});
afterEach(() => {
  vi.doUnmock('../../engine/host/studio-host.js');
  vi.resetModules();
  rmSync(dir, { recursive: true, force: true });
});

describe('startBrowserMode', () => {
  it('answers the first call once the engine is loaded', async () => {
    const { startBrowserMode } = await import('../../engine/host/browser-mode.js');
    const mode = await startBrowserMode({ staticRoot: dir, configDir: join(dir, 'config'), workingDir: dir });
    const api = new WsStudioClient(`ws://127.0.0.1:${mode.server.port}/api?token=${mode.server.token}`, { WebSocket: wsFrom(mode.server.origin) });
    expect((await api.capabilities()).roots[0]).toEqual({ path: realpathSync(dir), name: basename(realpathSync(dir)) });
    expect(await mode.host).toBeDefined();
    api.close();
    await mode.close();
  });

  it('keeps serving the page when the engine cannot start, and says why on every call', async () => {
    vi.doMock('../../engine/host/studio-host.js', () => ({
      StudioHost: { create: () => Promise.reject(new Error('engine modules are broken')) },
    }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { startBrowserMode } = await import('../../engine/host/browser-mode.js');
    const mode = await startBrowserMode({ staticRoot: dir, configDir: join(dir, 'config'), workingDir: dir });
    try {
      expect((await fetch(mode.server.origin + '/')).status).toBe(200);
      const api = new WsStudioClient(`ws://127.0.0.1:${mode.server.port}/api?token=${mode.server.token}`, { WebSocket: wsFrom(mode.server.origin) });
      for (let i = 0; i < 2; i++) {
        await expect(api.listTemplates()).rejects.toMatchObject({ code: 'unavailable', message: 'the engine could not start: engine modules are broken' });
      }
      api.close();
      expect(logged).toHaveBeenCalledOnce();
    } finally {
      await mode.close();
      logged.mockRestore();
    }
  });
});
