/**
 * What the Electron preload exposes as `window.studio` (through contextBridge), and the IPC channel
 * names the preload and the main process share. Nothing else of Electron or Node reaches the page.
 */
import type { MenuCommand } from './menu-commands.js';
import type { StudioEvent, WireRequest, WireResponse } from './studio-api.js';

export const IPC_CALL = 'studio:call';
export const IPC_EVENT = 'studio:event';
export const IPC_COMMAND = 'studio:command';

export interface StudioBridge {
  /** One StudioApi call; the host validates it and always answers (an error reply, never a rejection). */
  call(request: WireRequest): Promise<WireResponse>;
  onEvent(listener: (event: StudioEvent) => void): () => void;
  /** Menu commands (File › Save, View › Fit, ...); the renderer runs them as if their shortcut was pressed. */
  onCommand(listener: (command: MenuCommand) => void): () => void;
  /** `process.platform` of the desktop (for shortcut labels: ⌘ or Ctrl). */
  readonly platform: string;
}

declare global {
  interface Window {
    /** Present in the desktop app only; browser mode talks to the host over a WebSocket. */
    readonly studio?: StudioBridge;
  }
}
