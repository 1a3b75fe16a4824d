/**
 * Where the open document comes from and whether it has unsaved changes. Dirty is "the document
 * is not the version last opened or saved": undoing back to that version makes it clean again.
 */
import { create } from 'zustand';
import type { FileRef } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { useDocumentStore } from './document-store.js';

export interface FileState {
  readonly file: FileRef | null;
  /** The document as last opened or saved; null for a document never saved (a template, a blank graph). */
  readonly savedDoc: GraphDocument | null;
  readonly recent: readonly FileRef[];
  readonly autosavedAt: string | null;
}

// the blank graph the window starts with is nobody's work yet: clean until edited
export const useFileStore = create<FileState>()(() => ({ file: null, savedDoc: useDocumentStore.getState().doc, recent: [], autosavedAt: null }));

export function markSaved(file: FileRef | null, doc: GraphDocument): void {
  useFileStore.setState({ file, savedDoc: doc });
}

export function isDirty(doc: GraphDocument, saved: GraphDocument | null): boolean {
  return saved !== doc;
}

export function useDirty(): boolean {
  const doc = useDocumentStore((s) => s.doc);
  const saved = useFileStore((s) => s.savedDoc);
  return isDirty(doc, saved);
}

export function getDirty(): boolean {
  return isDirty(useDocumentStore.getState().doc, useFileStore.getState().savedDoc);
}
