/**
 * The renderer's one entry point to the host: the preload's bridge in the desktop app, the
 * WebSocket of the page's own server in browser mode.
 *
 *   import { connectStudio } from '../engine/api/connect.js';
 *   const api = connectStudio();
 */
import { IpcStudioClient } from './ipc-client.js';
import type { StudioApi } from './studio-api.js';
import { WsStudioClient } from './ws-client.js';

export function connectStudio(): StudioApi {
  const bridge = (globalThis as { studio?: Window['studio'] }).studio;
  return bridge ? new IpcStudioClient(bridge) : WsStudioClient.fromPage();
}
