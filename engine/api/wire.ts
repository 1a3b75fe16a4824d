/**
 * The wire format both transports share, without zod: the browser-mode server and the desktop
 * relay need these on their start-up path, where loading the schemas would only cost time (the
 * host, which validates, loads them). studio-api.ts re-exports everything here.
 */
import type { StudioEvent } from './studio-api.js';

/** Why a call failed, so the renderer can tell "you may not" from "it broke". */
export type ErrorCode =
  | 'bad-message' // not JSON, not a request, too large
  | 'unknown-method'
  | 'invalid-params'
  | 'denied' // a path the user did not choose, a picker path outside the roots
  | 'unavailable' // not in this mode (no native dialog in the browser), not wired, connection lost
  | 'failed' // the call was fine; the work failed (unreadable file, compile error)
  | 'cancelled'; // the caller stopped it (cancelCompile)

/** Browser mode: the WebSocket endpoint and the query parameter that carries the one-time token. */
export const WS_API_PATH = '/api';
export const TOKEN_PARAM = 'token';

/** Largest request a transport accepts; a document is kilobytes, so this only stops abuse. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** `id` is null when the request was too broken to carry one. */
export type WireResponse =
  | { readonly id: number | null; readonly ok: true; readonly result: unknown }
  | { readonly id: number | null; readonly ok: false; readonly error: string; readonly code: ErrorCode };

/** A pushed event, as the WebSocket sends it (IPC has a channel of its own for events). */
export interface WireEvent {
  readonly event: StudioEvent;
}

/** The id of a request that may be malformed, when it has a usable one (so even its error reply can be matched). */
export function requestIdOf(message: unknown): number | null {
  const id = (message as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
