/**
 * The document store: the one place the open graph document lives (STYLE.md "The document lives
 * outside the view"). React Flow renders it, components subscribe to the slices they show, and
 * zundo keeps its history: only the document is tracked, never the viewport or the selection.
 *
 * Documents are immutable values; an edit replaces the objects on its path, so `doc` references
 * identify versions (the saved version, an analysed version) without deep comparison.
 */
import { temporal } from 'zundo';
import { useStore } from 'zustand';
import { create } from 'zustand';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { blankDocument } from '../document/blank.js';

export interface DocumentState {
  readonly doc: GraphDocument;
  /** Counts documents opened in this window; a new one resets caches and the view. */
  readonly session: number;
}

const HISTORY_LIMIT = 300;
/** Edits of one field within this time merge into one undo step (typing "128" is one edit). */
const COALESCE_MS = 1500;

let coalesce: { key: string; at: number } | null = null;
let pendingKey: string | null = null;

export const useDocumentStore = create<DocumentState>()(
  temporal(() => ({ doc: blankDocument(), session: 0 }), {
    partialize: (s): Pick<DocumentState, 'doc'> => ({ doc: s.doc }),
    equality: (a, b) => a.doc === b.doc,
    limit: HISTORY_LIMIT,
    // zundo types the function it hands over as setState; it is its history recorder (4 arguments)
    handleSet: (setState) => (past, replace, current, delta) => {
      const record = setState as unknown as (...args: unknown[]) => void;
      const now = Date.now();
      const key = pendingKey;
      const merge = key !== null && coalesce !== null && coalesce.key === key && now - coalesce.at < COALESCE_MS;
      coalesce = key === null ? null : { key, at: now };
      if (!merge) record(past, replace, current, delta);
    },
  }),
);

export interface EditOptions {
  /** Successive edits with the same key (one field being typed in) merge into one undo step. */
  readonly coalesceKey?: string;
}

/** Applies an edit; an edit that returns the same document is a no-op and leaves no history. */
export function editDocument(fn: (doc: GraphDocument) => GraphDocument, options: EditOptions = {}): void {
  const prev = useDocumentStore.getState().doc;
  const next = fn(prev);
  if (next === prev) return;
  pendingKey = options.coalesceKey ?? null;
  try {
    useDocumentStore.setState({ doc: next });
  } finally {
    pendingKey = null;
  }
}

/** Opens a different document: a fresh history and a new session. */
export function loadDocument(doc: GraphDocument): void {
  const history = useDocumentStore.temporal.getState();
  history.pause();
  useDocumentStore.setState((s) => ({ doc, session: s.session + 1 }));
  history.clear();
  history.resume();
  coalesce = null;
}

export function undo(): void {
  coalesce = null;
  useDocumentStore.temporal.getState().undo();
}

export function redo(): void {
  coalesce = null;
  useDocumentStore.temporal.getState().redo();
}

export function getDocument(): GraphDocument {
  return useDocumentStore.getState().doc;
}

export function useDocument(): GraphDocument {
  return useDocumentStore((s) => s.doc);
}

export function useHistoryState(): { canUndo: boolean; canRedo: boolean } {
  const canUndo = useStore(useDocumentStore.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useDocumentStore.temporal, (s) => s.futureStates.length > 0);
  return { canUndo, canRedo };
}
