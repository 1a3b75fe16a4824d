/**
 * Autosave to the host's recovery file: a few seconds after the last edit, while there are unsaved
 * changes. The recovery file is offered on the next start if the window closed without saving.
 */
import { studio } from '../api.js';
import { useDocumentStore } from '../state/document-store.js';
import { getDirty, useFileStore } from '../state/file-store.js';

const DELAY_MS = 3000;

export function installAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = useDocumentStore.subscribe((state, prev) => {
    if (state.doc === prev.doc) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!getDirty()) return;
      const doc = useDocumentStore.getState().doc;
      studio()
        .autosave({ document: doc, path: useFileStore.getState().file?.path ?? null })
        .then((r) => useFileStore.setState({ autosavedAt: r.savedAt }))
        .catch(() => undefined); // a failed autosave is retried after the next edit
    }, DELAY_MS);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
