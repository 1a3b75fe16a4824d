/**
 * The host, as the renderer reaches it: the preload's bridge in the desktop app (`window.studio`),
 * or the WebSocket of the page's own server in browser mode. `connectStudio` picks the transport;
 * this module holds the one connection and what the host said it can do.
 */
import { connectStudio } from '../../engine/api/connect.js';
import type { Capabilities, StudioApi } from '../../engine/api/studio-api.js';

let api: StudioApi | null = null;
let capabilities: Capabilities | null = null;

/** The connection; throws a StudioError when the page has no way to reach a host (no bridge, no token). */
export function studio(): StudioApi {
  api ??= connectStudio();
  return api;
}

/** Asks the host once what it can do (native dialogs or the picker, platform for shortcut labels). */
export async function hostCapabilities(): Promise<Capabilities> {
  capabilities ??= await studio().capabilities();
  return capabilities;
}

/** macOS shows ⌘ where other systems show Ctrl. */
export function isMac(): boolean {
  const platform = capabilities?.platform ?? window.studio?.platform ?? navigator.platform;
  return /^(darwin|mac)/i.test(platform);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
