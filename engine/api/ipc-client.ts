/**
 * StudioApi over the Electron preload's bridge (`window.studio`). The bridge's `call` crosses
 * contextBridge and IPC to the main process, which relays it to the engine's utility process.
 */
import type { StudioBridge } from './bridge.js';
import { StudioClient, type StudioTransport } from './client.js';
import type { Method, StudioEvent, WireResponse } from './studio-api.js';

export class IpcTransport implements StudioTransport {
  private nextId = 1;

  constructor(private readonly bridge: StudioBridge) {}

  async request(method: Method, params: unknown): Promise<WireResponse> {
    const id = this.nextId++;
    try {
      return await this.bridge.call({ id, method, params });
    } catch (e) {
      // IPC itself failed (params that cannot be cloned, main process gone): an error reply like any other
      return { id, ok: false, code: 'unavailable', error: `IPC to the SNN Studio host failed: ${(e as Error).message}` };
    }
  }

  onEvent(listener: (e: StudioEvent) => void): () => void {
    return this.bridge.onEvent(listener);
  }
}

export class IpcStudioClient extends StudioClient {
  constructor(bridge: StudioBridge) {
    super(new IpcTransport(bridge));
  }
}
