/**
 * The main process's link to the engine process: dialogs shown for the engine, events fanned out,
 * and a dead engine process answered for (calls in flight fail, the next call starts a new one).
 */
import { describe, expect, it, vi } from 'vitest';
import { HostBridge } from '../../electron/host-bridge.js';
import type { MainToHost } from '../../electron/host-protocol.js';
import { PortDialogs, runHostService, type HostLike } from '../../electron/host-service.js';
import type { StudioEvent, StudioMethods } from '../../engine/api/studio-api.js';
import type { HostOptions } from '../../engine/host/studio-host.js';
import { FakeDialogs, FakeEngineLink } from './fake-electron.js';

/** A host that answers `capabilities`, asks for dialogs on `chooseFile`, hangs on `compile`. */
function fakeHost(options: HostOptions, emit: (listener: (e: StudioEvent) => void) => void) {
  const host = {
    async capabilities() {
      return { configDir: options.configDir, mode: options.mode };
    },
    async chooseFile(p: { purpose: string }) {
      const path = p.purpose === 'open' ? await options.dialogs!.showOpen('open') : await options.dialogs!.showSave('save', 'net.snn.json');
      return path === null ? null : { path, name: 'x' };
    },
    compile: () => new Promise(() => {}),
    onEvent(listener: (e: StudioEvent) => void) {
      emit(listener);
      return () => {};
    },
  };
  return host as unknown as StudioMethods & HostLike;
}

function setup() {
  const links: FakeEngineLink[] = [];
  const dialogs = new FakeDialogs();
  let pushEvent: (e: StudioEvent) => void = () => {};
  const bridge = new HostBridge(
    () => {
      const link = new FakeEngineLink();
      links.push(link);
      runHostService(link.port, async (o) => fakeHost(o, (l) => (pushEvent = l)));
      return link.main;
    },
    { configDir: '/cfg', version: '1.2.3' },
    dialogs,
  );
  return { bridge, links, dialogs, push: (e: StudioEvent) => pushEvent(e) };
}

describe('HostBridge', () => {
  it('starts the engine on the first call and initialises it as a desktop host', async () => {
    const { bridge, links } = setup();
    expect(links).toHaveLength(0);
    expect(await bridge.call({ id: 9, method: 'capabilities', params: {} })).toEqual({ id: 9, ok: true, result: { configDir: '/cfg', mode: 'desktop' } });
    expect(links).toHaveLength(1);
    bridge.stop();
  });

  it('shows native dialogs for the engine and hands back the choice', async () => {
    const { bridge, dialogs } = setup();
    dialogs.answers.push('/home/u/picked.snn.json', null);
    expect(await bridge.call({ id: 1, method: 'chooseFile', params: { purpose: 'open' } })).toMatchObject({ ok: true, result: { path: '/home/u/picked.snn.json' } });
    expect(await bridge.call({ id: 2, method: 'chooseFile', params: { purpose: 'save' } })).toMatchObject({ ok: true, result: null });
    expect(dialogs.asked).toEqual([{ type: 'open', purpose: 'open' }, { type: 'save', purpose: 'save', suggestedName: 'net.snn.json' }]);
    bridge.stop();
  });

  it('treats a dialog that fails to show as cancelled', async () => {
    const { bridge, dialogs } = setup();
    dialogs.showOpen = async () => {
      throw new Error('no display');
    };
    expect(await bridge.call({ id: 1, method: 'chooseFile', params: { purpose: 'open' } })).toMatchObject({ ok: true, result: null });
    bridge.stop();
  });

  it('fans the engine’s events out', async () => {
    const { bridge, push } = setup();
    const seen: StudioEvent[] = [];
    bridge.onEvent((e) => seen.push(e));
    await bridge.call({ id: 1, method: 'capabilities' });
    push({ type: 'recent-files', files: [] });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ type: 'recent-files', files: [] }]);
    bridge.stop();
  });

  it('fails calls in flight when the engine dies, and starts a new engine for the next call', async () => {
    const { bridge, links } = setup();
    await bridge.call({ id: 1, method: 'capabilities' });
    const hanging = bridge.call({ id: 2, method: 'compile', params: {} });
    await new Promise((r) => setImmediate(r));
    links[0]!.exit(139);
    expect(await hanging).toEqual({ id: 2, ok: false, code: 'unavailable', error: expect.stringContaining('exit code 139') });
    expect(await bridge.call({ id: 3, method: 'capabilities' })).toMatchObject({ id: 3, ok: true });
    expect(links).toHaveLength(2);
    bridge.stop();
    expect(links[1]!.main.killed).toBe(true);
  });
});

describe('runHostService', () => {
  it('answers calls that come before the settings, and says why a host could not start', async () => {
    const link = new FakeEngineLink();
    const replies: unknown[] = [];
    const twoReplies = new Promise<void>((resolve) =>
      link.main.on('message', (m) => {
        if (replies.push(m) === 2) resolve();
      }),
    );
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    runHostService(link.port, async () => {
      throw new Error('config folder is read-only');
    });
    const send = (m: MainToHost) => link.main.postMessage(m);
    send({ kind: 'call', id: 1, message: { id: 1, method: 'capabilities' } });
    send({ kind: 'init', init: { configDir: '/ro', version: '1' } });
    send({ kind: 'call', id: 2, message: { id: 2, method: 'capabilities' } });
    await twoReplies;
    expect(replies).toEqual([
      { kind: 'reply', id: 1, response: { id: null, ok: false, code: 'unavailable', error: 'the engine has not been initialised' } },
      { kind: 'reply', id: 2, response: { id: null, ok: false, code: 'unavailable', error: 'the engine could not start: config folder is read-only' } },
    ]);
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
  });

  it('PortDialogs matches each answer to its question', async () => {
    const sent: unknown[] = [];
    const dialogs = new PortDialogs({ on: () => {}, postMessage: (m) => void sent.push(m) });
    const a = dialogs.showOpen('dataset');
    const b = dialogs.showSave('export', 'm.onnx');
    expect(sent).toEqual([
      { kind: 'dialog', id: 1, request: { type: 'open', purpose: 'dataset' } },
      { kind: 'dialog', id: 2, request: { type: 'save', purpose: 'export', suggestedName: 'm.onnx' } },
    ]);
    dialogs.settle(2, '/x/m.onnx');
    dialogs.settle(1, null);
    expect(await Promise.all([a, b])).toEqual([null, '/x/m.onnx']);
  });
});
