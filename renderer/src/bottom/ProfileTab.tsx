/**
 * The profiler in the bottom panel: the open document, profiled with the weights of the run the
 * Run tab shows (its latest checkpoint) or, without one, its seeded weights; a row picked in the
 * table is revealed on the canvas.
 */
import { revealNodePath } from '../actions/reveal.js';
import { ProfilePanel } from '../profile/ProfilePanel.js';
import { shownRunName, useRunStore } from '../run/run-store.js';
import { useDocument } from '../state/document-store.js';
import { useFileStore } from '../state/file-store.js';

export function ProfileTab() {
  const document = useDocument();
  const documentPath = useFileStore((s) => s.file?.path ?? null);
  const run = useRunStore(shownRunName);
  return <ProfilePanel document={document} documentPath={documentPath} run={run} onSelectNode={revealNodePath} />;
}
