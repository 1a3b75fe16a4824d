/**
 * Edits the user makes on the canvas, as commands: each reads the scope on screen, applies one
 * pure op from document/ to the body there, and lands as one undo step.
 */
import { findBlock } from '../../../engine/core/blocks/catalogue.js';
import { resolveBlock } from '../../../engine/core/graph/infer.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import { bodyOf, nodeIdsOf, updateBody, type Body, type BodyKey } from '../document/body.js';
import { edgeIds } from '../document/ids.js';
import { newNode } from '../document/new-node.js';
import { addNodes, connect, moveNodes, removeElements, type Connection, type XY } from '../document/ops.js';
import { wrapIntoComposite } from '../document/wrap.js';
import { layoutAll } from '../layout/layout-document.js';
import { estimateNodeSize } from '../layout/node-size.js';
import { besideSelection, boundsOf, freeSpot, type Box } from '../layout/placement.js';
import { currentScope } from '../state/current-scope.js';
import { editDocument, getDocument } from '../state/document-store.js';
import { enterComposite, leaveToDepth, notify, select, useViewStore } from '../state/view-store.js';
import { drawnBoxes, keepInView, revealNodes, visibleCenter } from '../canvas/canvas-control.js';

/** The editable body on screen, or null (with a notice) when it is a catalogue block's inside. */
export function editableKey(): BodyKey | undefined {
  const scope = currentScope();
  if (scope.key === undefined) notify('info', 'This is the inside of a built-in block, generated from its parameters: make an editable copy to change it.');
  return scope.key;
}

export function editBody(fn: Parameters<typeof updateBody>[2], coalesceKey?: string): boolean {
  const key = editableKey();
  if (key === undefined) return false;
  editDocument((doc) => updateBody(doc, key, fn), coalesceKey === undefined ? {} : { coalesceKey });
  return true;
}

/** Adds a block (from the catalogue or the document's own composites) at a flow position. */
export function addBlock(blockId: string, at: XY): string | null {
  const key = editableKey();
  if (key === undefined) return null;
  const doc = getDocument();
  const block = resolveBlock(blockId, doc.composites ?? {});
  const body = bodyOf(doc, key);
  if (!block || !body) return null;
  if (key !== null && blockId === key) {
    notify('error', `"${block.label}" cannot contain itself`);
    return null;
  }
  const node = newNode(block, nodeIdsOf(body), at);
  editDocument((d) => updateBody(d, key, (b) => addNodes(b, [node])));
  select([node.id]);
  return node.id;
}

/**
 * Adds a block from the keyboard (Enter or a double-click in the palette): beside the selection,
 * else at the centre of the view, and never on top of another block.
 */
export function addBlockInFreeSpace(blockId: string): string | null {
  const scope = currentScope();
  const doc = getDocument();
  const block = resolveBlock(blockId, doc.composites ?? {});
  if (!block || scope.key === undefined) return addBlock(blockId, visibleCenter());
  const probe = newNode(block, nodeIdsOf(scope.body), { x: 0, y: 0 });
  const size = estimateNodeSize(doc, { nodes: [...scope.body.nodes, probe], edges: scope.body.edges }, probe.id);
  const boxes = bodyBoxes(doc, scope.body);
  const selection = boundsOf([...useViewStore.getState().selectedNodes].flatMap((id) => boxes.get(id) ?? []));
  const c = visibleCenter();
  const centre = { x: Math.round(c.x - size.width / 2), y: Math.round(c.y - size.height / 2) };
  const at = freeSpot(size, [...boxes.values()], selection ? [...besideSelection(selection, size), centre] : [centre]);
  const id = addBlock(blockId, at);
  if (id !== null) keepInView({ ...at, ...size });
  return id;
}

/** Every node's box in a body: as drawn where the canvas shows it, else from its position and estimated size. */
function bodyBoxes(doc: GraphDocument, body: Body, drawn = drawnBoxes()): Map<string, Box> {
  const out = new Map<string, Box>();
  for (const n of body.nodes) {
    const box = drawn.get(n.id) ?? (n.position ? { ...n.position, ...estimateNodeSize(doc, body, n.id) } : undefined);
    if (box) out.set(n.id, box);
  }
  return out;
}

export function connectPorts(c: Connection): void {
  editBody((b) => connect(b, c));
}

export function commitMove(positions: ReadonlyMap<string, XY>, coalesceKey?: string): void {
  const key = currentScope().key;
  if (key === undefined) return;
  editDocument((doc) => updateBody(doc, key, (b) => moveNodes(b, positions)), coalesceKey === undefined ? {} : { coalesceKey });
}

export function deleteSelection(): void {
  const { selectedNodes, selectedEdges } = useViewStore.getState();
  if (selectedNodes.size === 0 && selectedEdges.size === 0) return;
  if (editBody((b) => removeElements(b, selectedNodes, selectedEdges))) select([]);
}

export function selectAll(): void {
  const { body } = currentScope();
  select(
    body.nodes.map((n) => n.id),
    edgeIds(body.edges),
  );
}

export async function wrapSelection(): Promise<void> {
  const key = editableKey();
  if (key === undefined) return;
  const before = getDocument();
  const result = wrapIntoComposite(before, key, useViewStore.getState().selectedNodes);
  if (!result.ok) {
    notify('error', result.message);
    return;
  }
  // the inside is laid out before the edit lands, so that wrapping is one undo step
  const def = result.doc.composites![result.composite]!;
  const laid = await layoutAll(result.doc, def);
  if (getDocument() !== before) return; // edited meanwhile: this wrap no longer applies
  const wrapped = { ...result.doc, composites: { ...result.doc.composites, [result.composite]: { ...def, nodes: [...laid.nodes], edges: [...laid.edges] } } };
  editDocument(() => placeWrapper(wrapped, key, result.nodeId, bodyBoxes(before, bodyOf(before, key)!)));
  select([result.nodeId]);
  notify('info', `Wrapped into "${result.composite}", now in My blocks`);
}

/**
 * The new block goes where the wrapped ones were; when it is taller or wider than the space they
 * left, the nearest free spot, so that it covers no other block.
 */
const WRAP_GAP = 12;

function placeWrapper(doc: GraphDocument, key: BodyKey, nodeId: string, before: ReadonlyMap<string, Box>): GraphDocument {
  const body = bodyOf(doc, key);
  const wrapper = body?.nodes.find((n) => n.id === nodeId);
  if (!body || !wrapper?.position) return doc;
  const size = estimateNodeSize(doc, body, nodeId);
  const others = body.nodes.filter((n) => n.id !== nodeId).flatMap((n) => before.get(n.id) ?? []);
  // the wrapped blocks sat as close as their layout put them: a tight gap keeps the spot they left
  const at = freeSpot(size, others, [wrapper.position], WRAP_GAP);
  if (at.x === wrapper.position.x && at.y === wrapper.position.y) return doc;
  return updateBody(doc, key, (b) => moveNodes(b, new Map([[nodeId, at]])));
}

/** Opens the selected composite node (or `nodeId`) to show its inside. */
export function openComposite(nodeId?: string): void {
  const scope = currentScope();
  const id = nodeId ?? [...useViewStore.getState().selectedNodes][0];
  const node = id === undefined ? undefined : scope.body.nodes.find((n) => n.id === id);
  if (!node) return;
  const block = resolveBlock(node.block, getDocument().composites ?? {});
  if (block?.kind !== 'composite') {
    notify('info', `"${node.label ?? node.id}" is a primitive block; only composite blocks have an inside`);
    return;
  }
  enterComposite({ nodeId: node.id, block: node.block });
}

export function leaveComposite(): void {
  const depth = currentScope().frames.length;
  if (depth > 0) leaveToDepth(depth - 1);
}

/**
 * Turns the catalogue block on screen (opened read-only) into a composite of the document: its
 * generated inside is copied, the opened node now uses the copy, and the copy opens editable.
 */
export function makeEditableCopy(): void {
  const scope = currentScope();
  const frame = scope.frames[scope.frames.length - 1];
  if (scope.key !== undefined || !frame) return;
  const parentDepth = scope.frames.length - 1;
  // the parent must be editable for the node to change its block
  const doc = getDocument();
  const parent = resolveParentKey(doc, parentDepth);
  if (parent === undefined) {
    notify('info', 'Open the outermost built-in block to copy it; blocks inside a built-in block are generated with it');
    return;
  }
  const block = findBlock(frame.block);
  const composites = doc.composites ?? {};
  let name = `${frame.block}_custom`;
  for (let i = 2; name in composites || findBlock(name); i++) name = `${frame.block}_custom_${i}`;
  const inside = { nodes: scope.body.nodes.map((n, i) => ({ ...n, position: n.position ?? { x: i * 240, y: 0 } })), edges: [...scope.body.edges] };
  editDocument((d) => {
    const withDef: GraphDocument = { ...d, composites: { ...composites, [name]: { label: `${block?.label ?? frame.block} (custom)`, ...(block ? { description: block.description } : {}), ...inside } } };
    return updateBody(withDef, parent, (b) => ({ nodes: b.nodes.map((n) => (n.id === frame.nodeId ? { id: n.id, block: name, ...(n.label ? { label: n.label } : {}), ...(n.position ? { position: n.position } : {}) } : n)), edges: b.edges }));
  });
  leaveToDepth(parentDepth);
  enterComposite({ nodeId: frame.nodeId, block: name });
  notify('info', `Copied into "${name}" (My blocks); edits change every node that uses it`);
}

/** The body key of the scope `depth` levels down, or undefined when one of them is a built-in block's inside. */
function resolveParentKey(doc: GraphDocument, depth: number): BodyKey | undefined {
  let key: BodyKey = null;
  for (const f of useViewStore.getState().scope.slice(0, depth)) {
    if (!doc.composites?.[f.block]) return undefined;
    key = f.block;
  }
  return key;
}

export function revealSelection(): void {
  revealNodes([...useViewStore.getState().selectedNodes]);
}
