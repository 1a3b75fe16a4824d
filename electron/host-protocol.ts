/**
 * What the main process and the engine's utility process say to each other. The renderer's
 * requests pass through the main process untouched (the engine validates them); the engine asks the
 * main process for native dialogs, which only the main process can show.
 */
import type { OpenPurpose, SavePurpose } from '../engine/host/files/file-kinds.js';
import type { StudioEvent, WireResponse } from '../engine/api/studio-api.js';

export interface HostInit {
  /** Electron's userData folder: recent files and the autosave recovery file live there. */
  readonly configDir: string;
  readonly version: string;
}

export type DialogRequest =
  | { readonly type: 'open'; readonly purpose: OpenPurpose }
  | { readonly type: 'save'; readonly purpose: SavePurpose; readonly suggestedName: string };

export type MainToHost =
  | { readonly kind: 'init'; readonly init: HostInit }
  | { readonly kind: 'call'; readonly id: number; readonly message: unknown }
  | { readonly kind: 'dialog-result'; readonly id: number; readonly path: string | null };

export type HostToMain =
  | { readonly kind: 'reply'; readonly id: number; readonly response: WireResponse }
  | { readonly kind: 'event'; readonly event: StudioEvent }
  | { readonly kind: 'dialog'; readonly id: number; readonly request: DialogRequest };
