/**
 * The engine's side of the utility process: builds the StudioHost once the main process sends its
 * settings, answers each relayed request through the dispatcher (so IPC requests are validated
 * exactly like WebSocket ones), forwards the host's events, and implements the host's native
 * dialogs by asking the main process.
 */
import type { StudioEvent, StudioMethods } from '../engine/api/studio-api.js';
import { createDispatcher, type Dispatch } from '../engine/host/dispatch.js';
import type { NativeDialogs } from '../engine/host/files/dialogs.js';
import type { OpenPurpose, SavePurpose } from '../engine/host/files/file-kinds.js';
import { StudioHost, type HostOptions } from '../engine/host/studio-host.js';
import type { DialogRequest, HostToMain, MainToHost } from './host-protocol.js';

/** `process.parentPort` in a utility process; an in-memory pair in tests. */
export interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  postMessage(message: HostToMain): void;
}

export interface HostLike {
  onEvent(listener: (e: StudioEvent) => void): () => void;
}

export type CreateHost = (options: HostOptions) => Promise<StudioMethods & HostLike>;

export function runHostService(port: ParentPortLike, createHost: CreateHost = (o) => StudioHost.create(o)): void {
  const dialogs = new PortDialogs(port);
  let ready: Promise<Dispatch> | null = null;
  port.on('message', ({ data }) => {
    const m = data as MainToHost;
    if (m.kind === 'init') {
      if (ready) return;
      ready = createHost({ mode: 'desktop', configDir: m.init.configDir, version: m.init.version, dialogs }).then((host) => {
        host.onEvent((event) => port.postMessage({ kind: 'event', event }));
        return createDispatcher(host);
      });
      // logged once here; each call then answers with the reason (an unhandled rejection would end the process)
      ready.catch((e: unknown) => console.error('snn-studio engine: the host could not start:', e));
    } else if (m.kind === 'call') {
      void answer(port, ready, m.id, m.message);
    } else if (m.kind === 'dialog-result') {
      dialogs.settle(m.id, m.path);
    }
  });
}

async function answer(port: ParentPortLike, ready: Promise<Dispatch> | null, id: number, message: unknown): Promise<void> {
  if (!ready) {
    port.postMessage({ kind: 'reply', id, response: { id: null, ok: false, code: 'unavailable', error: 'the engine has not been initialised' } });
    return;
  }
  try {
    const dispatch = await ready;
    port.postMessage({ kind: 'reply', id, response: await dispatch(message) });
  } catch (e) {
    // the host itself could not start (unreadable config folder): every call says why
    port.postMessage({ kind: 'reply', id, response: { id: null, ok: false, code: 'unavailable', error: `the engine could not start: ${(e as Error).message}` } });
  }
}

/** NativeDialogs over the port: each dialog is a request to the main process, answered with the chosen path. */
export class PortDialogs implements NativeDialogs {
  private readonly waiting = new Map<number, (path: string | null) => void>();
  private nextId = 1;

  constructor(private readonly port: ParentPortLike) {}

  showOpen(purpose: OpenPurpose): Promise<string | null> {
    return this.ask({ type: 'open', purpose });
  }

  showSave(purpose: SavePurpose, suggestedName: string): Promise<string | null> {
    return this.ask({ type: 'save', purpose, suggestedName });
  }

  settle(id: number, path: string | null): void {
    this.waiting.get(id)?.(typeof path === 'string' ? path : null);
    this.waiting.delete(id);
  }

  private ask(request: DialogRequest): Promise<string | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.port.postMessage({ kind: 'dialog', id, request });
    });
  }
}
