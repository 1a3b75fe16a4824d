/**
 * Copy, cut, paste and duplicate. The copied fragment is kept in memory and also put on the system
 * clipboard as tagged JSON, so that blocks paste into another window of SNN Studio too. Keyboard
 * copy/paste go through the DOM clipboard events, which reach the system clipboard without asking
 * the user for permission; the menu commands use the in-memory copy.
 */
import type { EdgeSpec, NodeSpec } from '../../../engine/core/document/schema.js';
import { extractFragment, fragmentFromText, fragmentToText, pasteFragment, type Fragment } from '../document/fragment.js';
import { removeElements } from '../document/ops.js';
import { updateBody } from '../document/body.js';
import { currentScope } from '../state/current-scope.js';
import { editDocument, getDocument } from '../state/document-store.js';
import { notify, select, useViewStore } from '../state/view-store.js';
import { editableKey } from './edit.js';

const PASTE_STEP = 32;

let clipboard: Fragment | null = null;
let pasteCount = 0;

export function copySelection(): Fragment | null {
  const fragment = selectionFragment();
  if (!fragment) return null;
  clipboard = fragment;
  pasteCount = 0;
  return fragment;
}

export function cutSelection(): Fragment | null {
  const key = editableKey();
  if (key === undefined) return null;
  const fragment = copySelection();
  if (!fragment) return null;
  const { selectedNodes } = useViewStore.getState();
  editDocument((doc) => updateBody(doc, key, (b) => removeElements(b, selectedNodes, new Set())));
  select([]);
  return fragment;
}

/** Pastes `fragment` (from the system clipboard) or else the in-memory copy. */
export function paste(fragment?: Fragment | null): void {
  if (fragment && (!clipboard || fragmentToText(fragment) !== fragmentToText(clipboard))) {
    clipboard = fragment;
    pasteCount = 0;
  }
  if (!clipboard) {
    notify('info', 'Nothing to paste: copy blocks first');
    return;
  }
  pasteCount++;
  insertFragment(clipboard, pasteCount * PASTE_STEP);
}

export function duplicateSelection(): void {
  const fragment = selectionFragment();
  if (fragment) insertFragment(fragment, PASTE_STEP);
}

/** Routes the window's copy/cut/paste events to the canvas when no text field has the focus. */
export function installClipboardEvents(target: Document = document): () => void {
  const isText = (e: Event): boolean => {
    const el = e.target as HTMLElement | null;
    return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  };
  const onCopy = (e: ClipboardEvent, cut: boolean): void => {
    if (isText(e)) return;
    const fragment = cut ? cutSelection() : copySelection();
    if (!fragment) return;
    e.clipboardData?.setData('text/plain', fragmentToText(fragment));
    e.preventDefault();
  };
  const copy = (e: ClipboardEvent) => onCopy(e, false);
  const cut = (e: ClipboardEvent) => onCopy(e, true);
  const pasteEvent = (e: ClipboardEvent): void => {
    if (isText(e)) return;
    e.preventDefault();
    paste(fragmentFromText(e.clipboardData?.getData('text/plain') ?? ''));
  };
  target.addEventListener('copy', copy);
  target.addEventListener('cut', cut);
  target.addEventListener('paste', pasteEvent);
  return () => {
    target.removeEventListener('copy', copy);
    target.removeEventListener('cut', cut);
    target.removeEventListener('paste', pasteEvent);
  };
}

function insertFragment(fragment: Fragment, offset: number): void {
  const key = editableKey();
  if (key === undefined) return;
  let ids: readonly string[] = [];
  editDocument((doc) => {
    const r = pasteFragment(doc, key, fragment, { x: offset, y: offset });
    ids = r.nodeIds;
    return r.doc;
  });
  select(ids);
}

function selectionFragment(): Fragment | null {
  const scope = currentScope();
  const selected = useViewStore.getState().selectedNodes;
  if (scope.key !== undefined) return extractFragment(getDocument(), scope.key, selected);
  // a built-in block's inside: its nodes are all catalogue blocks, so no composites come along
  const nodes: NodeSpec[] = scope.body.nodes.filter((n) => selected.has(n.id));
  if (nodes.length === 0) return null;
  const edges: EdgeSpec[] = scope.body.edges.filter((e) => selected.has(e.source) && selected.has(e.target));
  return { nodes, edges, composites: {} };
}
