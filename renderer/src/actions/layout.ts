/** Auto-layout of the body on screen, as one undo step. */
import { updateBody } from '../document/body.js';
import { layoutAll } from '../layout/layout-document.js';
import { fitView, measuredSizes } from '../canvas/canvas-control.js';
import { currentScope } from '../state/current-scope.js';
import { editDocument, getDocument } from '../state/document-store.js';
import { editableKey } from './edit.js';

export async function autoLayout(): Promise<void> {
  const key = editableKey();
  if (key === undefined) return;
  const doc = getDocument();
  const laid = await layoutAll(doc, currentScope().body, measuredSizes());
  // the user may have edited while the layout ran: apply it only to the version it was made for
  if (getDocument() !== doc) return;
  editDocument((d) => updateBody(d, key, () => laid));
  requestAnimationFrame(() => fitView());
}
