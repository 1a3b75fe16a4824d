/**
 * The main process's IPC endpoint for the StudioApi: one invoke channel for calls, answered only
 * for the app's own page (a frame from any other origin gets a refusal), relayed to the engine.
 * Events and menu commands go the other way on their own channels.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { IPC_CALL } from '../engine/api/bridge.js';
import type { WireResponse } from '../engine/api/studio-api.js';
import { isAppUrl } from './app-origin.js';

export interface CallRelay {
  call(message: unknown): Promise<WireResponse>;
}

export function registerStudioIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, relay: CallRelay): () => void {
  ipcMain.handle(IPC_CALL, (event: IpcMainInvokeEvent, message: unknown): Promise<WireResponse> => {
    if (!isTrustedSender(event)) {
      return Promise.resolve({ id: null, ok: false, code: 'denied', error: 'the StudioApi answers the SNN Studio page only' });
    }
    return relay.call(message);
  });
  return () => ipcMain.removeHandler(IPC_CALL);
}

/** The app's top-level page; not a subframe, not a page that somehow navigated elsewhere. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}
