/**
 * What the canvas's right-click menu offers, for a block, a wire or the empty canvas. The list is
 * built from the situation (what is selected, whether the body is editable, whether the block has
 * an inside) so that the menu never offers what cannot be done; the component only draws it.
 */
import { resolveBlock } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { Body } from '../document/body.js';
import type { XY } from '../document/ops.js';

export type MenuTarget =
  | { readonly kind: 'node'; readonly id: string }
  | { readonly kind: 'edge'; readonly id: string }
  /** The empty canvas, at a flow position (where "Add block here" puts the block). */
  | { readonly kind: 'pane'; readonly at: XY };

export type MenuAction =
  | 'add-here'
  | 'select-all'
  | 'fit'
  | 'layout'
  | 'rename'
  | 'open'
  | 'duplicate'
  | 'wrap'
  | 'disconnect'
  | 'delete'
  | 'reveal-layers'
  | 'select-ends';

export interface MenuItem {
  readonly action: MenuAction;
  readonly label: string;
  /** The command whose shortcut the menu shows beside the item (commands.ts id). */
  readonly command?: string;
  /** Starts a group: a divider is drawn above it. */
  readonly divided?: boolean;
}

export interface MenuSituation {
  readonly doc: GraphDocument;
  readonly body: Body;
  /** False inside a catalogue block (generated from its parameters, shown read-only). */
  readonly editable: boolean;
  readonly selectedNodes: ReadonlySet<string>;
}

export function menuItems(target: MenuTarget, s: MenuSituation): MenuItem[] {
  if (target.kind === 'pane') return paneItems(s);
  if (target.kind === 'edge') return s.editable ? [{ action: 'select-ends', label: 'Select both ends' }, { action: 'disconnect', label: 'Disconnect', command: 'edit.delete', divided: true }] : [{ action: 'select-ends', label: 'Select both ends' }];
  const node = s.body.nodes.find((n) => n.id === target.id);
  if (!node) return [];
  const block = resolveBlock(node.block, s.doc.composites ?? {});
  const isPort = node.block === 'input' || node.block === 'output';
  const items: MenuItem[] = [];
  if (block?.kind === 'composite') items.push({ action: 'open', label: 'Open inside', command: 'graph.open' });
  items.push({ action: 'reveal-layers', label: 'Reveal in Layers table' });
  if (!s.editable) return items;
  items.push({ action: 'rename', label: 'Rename…', divided: true });
  items.push({ action: 'duplicate', label: 'Duplicate', command: 'edit.duplicate' });
  if (!isPort) {
    const many = s.selectedNodes.has(node.id) && s.selectedNodes.size > 1;
    items.push({ action: 'wrap', label: many ? `Wrap ${s.selectedNodes.size} blocks into a block` : 'Wrap into a block', command: 'graph.wrap' });
  }
  if (s.body.edges.some((e) => e.source === node.id || e.target === node.id)) items.push({ action: 'disconnect', label: 'Disconnect all wires', divided: true });
  items.push({ action: 'delete', label: 'Delete', command: 'edit.delete', ...(items[items.length - 1]?.action === 'disconnect' ? {} : { divided: true }) });
  return items;
}

function paneItems(s: MenuSituation): MenuItem[] {
  const items: MenuItem[] = [];
  if (s.editable) items.push({ action: 'add-here', label: 'Add block here…', command: 'graph.addBlock' });
  items.push({ action: 'select-all', label: 'Select all', command: 'edit.selectAll', divided: s.editable });
  items.push({ action: 'fit', label: 'Fit graph', command: 'view.fit' });
  if (s.editable) items.push({ action: 'layout', label: 'Auto-layout', command: 'graph.layout' });
  return items;
}
