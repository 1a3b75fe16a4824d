/**
 * Stand-ins for the Electron objects the main process and preload use, recording what is done to
 * them, so that the desktop code is tested without Electron's binary. IPC payloads are passed
 * through structuredClone, as Electron's IPC does, so a value that IPC could not carry fails here too.
 */
import { APP_URL } from '../../electron/app-origin.js';
import type { EngineProcess } from '../../electron/host-bridge.js';
import type { HostToMain, MainToHost } from '../../electron/host-protocol.js';
import type { ParentPortLike } from '../../electron/host-service.js';
import type { NativeDialogs } from '../../engine/host/files/dialogs.js';
import type { OpenPurpose, SavePurpose } from '../../engine/host/files/file-kinds.js';

type Listener = (...args: any[]) => void;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      listener(...args);
    };
    return this.on(event, wrapped);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** A sender frame as ipcMain sees it; the app's own top-level page unless told otherwise. */
export function senderFrame(url = APP_URL, parent: unknown = null) {
  return { url, parent };
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: any, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: any, ...args: any[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`a handler for ${channel} is already registered`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

/** The renderer's ipcRenderer, wired to a FakeIpcMain; `deliver` is webContents.send seen from the page. */
export class FakeIpcRenderer extends FakeEmitter {
  constructor(
    private readonly main: FakeIpcMain,
    private readonly frame = senderFrame(),
  ) {
    super();
  }
  async invoke(channel: string, ...args: unknown[]): Promise<any> {
    const handler = this.main.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    const result = await handler({ senderFrame: this.frame }, ...args.map((a) => structuredClone(a)));
    return structuredClone(result);
  }
  deliver(channel: string, payload: unknown): void {
    this.emit(channel, { sender: 'the real IpcRendererEvent carries ipcRenderer here' }, structuredClone(payload));
  }
}

/**
 * The engine's utility process, in memory: the main side (EngineProcess) and the engine side
 * (ParentPortLike) of one link, each message cloned and delivered on a later tick like a real
 * process boundary. `exit` simulates the process dying.
 */
export class FakeEngineLink {
  readonly main: EngineProcess & { killed: boolean };
  readonly port: ParentPortLike;
  private readonly mainSide = new FakeEmitter();
  private readonly engineSide = new FakeEmitter();
  alive = true;

  constructor() {
    const main = {
      killed: false,
      postMessage: (message: MainToHost) => {
        if (this.alive) setImmediate(() => this.engineSide.emit('message', { data: structuredClone(message) }));
      },
      on: (event: 'message' | 'exit', listener: Listener) => {
        this.mainSide.on(event, listener);
        return main;
      },
      kill: () => {
        main.killed = true;
        this.exit(0);
        return true;
      },
    };
    this.main = main;
    this.port = {
      on: (event, listener) => this.engineSide.on(event, listener as Listener),
      postMessage: (message: HostToMain) => {
        if (this.alive) setImmediate(() => this.mainSide.emit('message', structuredClone(message)));
      },
    };
  }

  exit(code: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.mainSide.emit('exit', code);
  }
}

/** Native dialogs answered from a queue: each entry is what the user picks (null: cancel). */
export class FakeDialogs implements NativeDialogs {
  readonly answers: (string | null)[] = [];
  readonly asked: { type: 'open' | 'save'; purpose: string; suggestedName?: string }[] = [];
  async showOpen(purpose: OpenPurpose): Promise<string | null> {
    this.asked.push({ type: 'open', purpose });
    return this.answers.shift() ?? null;
  }
  async showSave(purpose: SavePurpose, suggestedName: string): Promise<string | null> {
    this.asked.push({ type: 'save', purpose, suggestedName });
    return this.answers.shift() ?? null;
  }
}
