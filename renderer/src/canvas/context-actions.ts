/**
 * What each item of the canvas's right-click menu does. A block's item applies to the selection
 * when the block is part of it (as in every editor), else to that block alone.
 */
import { addBlock, deleteSelection, editBody, openComposite, selectAll, wrapSelection } from '../actions/edit.js';
import { duplicateSelection } from '../actions/clipboard.js';
import { autoLayout } from '../actions/layout.js';
import { edgeIds } from '../document/ids.js';
import { removeElements, renameNode } from '../document/ops.js';
import { currentScope } from '../state/current-scope.js';
import { select, useViewStore } from '../state/view-store.js';
import { fitView, revealNodes } from './canvas-control.js';
import type { MenuAction, MenuTarget } from './context-menu.js';

/** Runs a menu action that needs no further input ('add-here' and 'rename' ask first: see the menu). */
export function runMenuAction(action: Exclude<MenuAction, 'add-here' | 'rename'>, target: MenuTarget): void {
  if (target.kind === 'node') focusOn(target.id);
  switch (action) {
    case 'select-all':
      return selectAll();
    case 'fit':
      return fitView();
    case 'layout':
      return void autoLayout();
    case 'open':
      return openComposite(target.kind === 'node' ? target.id : undefined);
    case 'duplicate':
      return duplicateSelection();
    case 'wrap':
      return void wrapSelection();
    case 'delete':
      return deleteSelection();
    case 'disconnect':
      return disconnect(target);
    case 'reveal-layers':
      return revealInLayers(target);
    case 'select-ends':
      return selectEnds(target);
  }
}

/** Adds a block where the menu was opened. */
export function addBlockAt(blockId: string, target: MenuTarget): string | null {
  return target.kind === 'pane' ? addBlock(blockId, target.at) : null;
}

/** Renames a block; the message says why a name was refused. */
export function renameBlock(from: string, to: string): { ok: true } | { ok: false; message: string } {
  let failure: string | null = null;
  const applied = editBody((b) => {
    const r = renameNode(b, from, to.trim());
    if (!r.ok) failure = r.message;
    return r.ok ? r.body : b;
  });
  if (failure !== null) return { ok: false, message: failure };
  if (!applied) return { ok: false, message: 'this block is part of a built-in block and cannot be renamed' };
  select([to.trim()]);
  return { ok: true };
}

/** A block right-clicked outside the selection becomes the selection (as a left click would). */
function focusOn(id: string): void {
  const { selectedNodes } = useViewStore.getState();
  if (!selectedNodes.has(id)) select([id]);
}

/** A wire: remove it. A block: remove every wire into or out of the selected blocks. */
function disconnect(target: MenuTarget): void {
  const { body } = currentScope();
  const ids = edgeIds(body.edges);
  if (target.kind === 'edge') {
    editBody((b) => removeElements(b, new Set(), new Set([target.id])));
    select([]);
    return;
  }
  const nodes = useViewStore.getState().selectedNodes;
  const wires = body.edges.flatMap((e, k) => (nodes.has(e.source) || nodes.has(e.target) ? [ids[k]!] : []));
  if (wires.length > 0) editBody((b) => removeElements(b, new Set(), new Set(wires)));
}

/** Shows the Layers tab with the block's row selected and scrolled into view. */
function revealInLayers(target: MenuTarget): void {
  if (target.kind !== 'node') return;
  select([target.id]);
  useViewStore.setState({ bottomTab: 'layers' });
}

function selectEnds(target: MenuTarget): void {
  if (target.kind !== 'edge') return;
  const { body } = currentScope();
  const e = body.edges[edgeIds(body.edges).indexOf(target.id)];
  if (!e) return;
  select([e.source, e.target], [target.id]);
  revealNodes([e.source, e.target]);
}
