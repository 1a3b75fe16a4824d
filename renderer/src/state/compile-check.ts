/**
 * Build check: the host compiles the open document's inference model, as an export would, under
 * the user's limits, and reports its size and build time. A large model takes seconds to build,
 * so the build runs on the host's analysis thread and can be cancelled (the host ends that thread
 * and starts another). One build at a time per window.
 */
import { create } from 'zustand';
import { StudioError, type ResponseMap } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { errorMessage, studio } from '../api.js';
import { getDocument } from './document-store.js';
import { limitsParam } from './limits-store.js';

export type CompileCheck =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly ticket: string; readonly doc: GraphDocument }
  | { readonly phase: 'done'; readonly doc: GraphDocument; readonly result: ResponseMap['compile'] }
  | { readonly phase: 'cancelled'; readonly doc: GraphDocument }
  | { readonly phase: 'failed'; readonly doc: GraphDocument; readonly error: string };

export const useCompileCheck = create<CompileCheck>()(() => ({ phase: 'idle' }));

/** Builds `doc` (default: the open document) on the host; resolves when the build ended, however it ended. */
export async function startCompileCheck(doc: GraphDocument = getDocument()): Promise<void> {
  if (useCompileCheck.getState().phase === 'running') return;
  // unique across windows: two pages of one browser-mode host share its tickets
  const ticket = `compile-check-${crypto.randomUUID()}`;
  useCompileCheck.setState({ phase: 'running', ticket, doc }, true);
  let next: CompileCheck;
  try {
    next = { phase: 'done', doc, result: await studio().compile({ document: doc, ticket, ...limitsParam() }) };
  } catch (e) {
    next = e instanceof StudioError && e.code === 'cancelled' ? { phase: 'cancelled', doc } : { phase: 'failed', doc, error: errorMessage(e) };
  }
  useCompileCheck.setState(next, true);
}

/** Stops the running build; its start resolves as cancelled. */
export async function cancelCompileCheck(): Promise<void> {
  const s = useCompileCheck.getState();
  if (s.phase === 'running') await studio().cancelCompile({ ticket: s.ticket });
}
