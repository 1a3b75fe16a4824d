/**
 * The bridge the preload exposes as `window.studio`: StudioApi calls, events and menu commands,
 * nothing else. Listeners receive the payload only — never Electron's IPC event, whose `sender`
 * would hand the page ipcRenderer itself.
 */
import { IPC_CALL, IPC_COMMAND, IPC_EVENT, type StudioBridge } from '../engine/api/bridge.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<any>;
  on(channel: string, listener: (event: unknown, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (...args: any[]) => void): unknown;
}

export function createStudioBridge(ipc: IpcRendererLike, platform: string): StudioBridge {
  const subscribe = <T>(channel: string, listener: (payload: T) => void): (() => void) => {
    const forward = (_event: unknown, payload: T) => listener(payload);
    ipc.on(channel, forward);
    return () => void ipc.removeListener(channel, forward);
  };
  return {
    call: (request) => ipc.invoke(IPC_CALL, request),
    onEvent: (listener) => subscribe(IPC_EVENT, listener),
    onCommand: (listener) => subscribe(IPC_COMMAND, listener),
    platform,
  };
}
