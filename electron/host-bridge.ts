/**
 * The main process's link to the engine's utility process: relays each renderer request and its
 * reply, answers the engine's dialog requests with native dialogs, and fans the engine's events
 * out. The engine runs in its own process, so a long compile or a training run never blocks the
 * window's UI thread (or the main process, which serves every window's input). If the engine
 * process dies, calls in flight get an error reply and the next call starts a fresh one.
 */
import { EventListeners } from '../engine/api/event-listeners.js';
import type { StudioEvent } from '../engine/api/studio-api.js';
import { requestIdOf, type WireResponse } from '../engine/api/wire.js';
import type { NativeDialogs } from '../engine/host/files/dialogs.js';
import type { DialogRequest, HostInit, HostToMain, MainToHost } from './host-protocol.js';

/** The parts of Electron's UtilityProcess used here. */
export interface EngineProcess {
  postMessage(message: MainToHost): void;
  on(event: 'message', listener: (message: HostToMain) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

interface Pending {
  readonly requestId: number | null;
  readonly resolve: (response: WireResponse) => void;
}

export class HostBridge {
  private engine: EngineProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly events = new EventListeners();
  private nextId = 1;

  constructor(
    private readonly spawn: () => EngineProcess,
    private readonly init: HostInit,
    private readonly dialogs: NativeDialogs,
  ) {}

  call(message: unknown): Promise<WireResponse> {
    const id = this.nextId++;
    const engine = this.ensureEngine();
    return new Promise((resolve) => {
      this.pending.set(id, { requestId: requestIdOf(message), resolve });
      engine.postMessage({ kind: 'call', id, message });
    });
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.events.add(listener);
  }

  stop(): void {
    const engine = this.engine;
    this.engine = null;
    engine?.kill();
    this.failPending('the engine was stopped');
  }

  private ensureEngine(): EngineProcess {
    if (this.engine) return this.engine;
    const engine = this.spawn();
    this.engine = engine;
    engine.on('message', (m) => this.receive(engine, m));
    engine.on('exit', (code) => {
      if (this.engine !== engine) return;
      this.engine = null;
      this.failPending(`the engine process stopped (exit code ${code}); the next call starts it again`);
    });
    engine.postMessage({ kind: 'init', init: this.init });
    return engine;
  }

  private receive(engine: EngineProcess, m: HostToMain): void {
    if (m.kind === 'reply') {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      waiting?.resolve(m.response);
    } else if (m.kind === 'event') {
      this.events.emit(m.event);
    } else if (m.kind === 'dialog') {
      void this.showDialog(m.request).then((path) => engine.postMessage({ kind: 'dialog-result', id: m.id, path }));
    }
  }

  private async showDialog(request: DialogRequest): Promise<string | null> {
    try {
      return request.type === 'open' ? await this.dialogs.showOpen(request.purpose) : await this.dialogs.showSave(request.purpose, request.suggestedName);
    } catch {
      return null; // a dialog that fails to show is a cancelled choice, not a granted one
    }
  }

  private failPending(error: string): void {
    for (const { requestId, resolve } of this.pending.values()) resolve({ id: requestId, ok: false, code: 'unavailable', error });
    this.pending.clear();
  }
}
