/**
 * Wrapping a selection into a new composite block of the document ("My blocks"): the selected
 * nodes move inside it, every wire that crossed the selection's border becomes a port (one input
 * port per outside source, one output port per inside source), and one node of the new block
 * takes their place.
 */
import { allBlocks } from '../../../engine/core/blocks/catalogue.js';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type CompositeDef, type EdgeSpec, type GraphDocument, type NodeSpec } from '../../../engine/core/document/schema.js';
import { bodyOf, withBody, type BodyKey } from './body.js';
import { newNodeId, uniqueId } from './ids.js';
import { edgeSpec } from './ops.js';

export type WrapResult = { ok: true; doc: GraphDocument; composite: string; nodeId: string } | { ok: false; message: string };

const PORT_GAP = 80;
const SIDE_GAP = 240;

export function wrapIntoComposite(doc: GraphDocument, key: BodyKey, nodeIds: ReadonlySet<string>): WrapResult {
  const body = bodyOf(doc, key);
  if (!body) return { ok: false, message: 'nothing to wrap here' };
  const inside = body.nodes.filter((n) => nodeIds.has(n.id));
  if (inside.length === 0) return { ok: false, message: 'select the blocks to wrap first' };
  const ports = inside.filter((n) => n.block === 'input' || n.block === 'output');
  if (ports.length > 0) return { ok: false, message: `"${ports[0]!.id}" is an ${ports[0]!.block} port of this graph and cannot move into a block` };
  const between = nodeBetween(body.edges, nodeIds);
  if (between) return { ok: false, message: `"${between}" lies between selected blocks; select it too, or wrap a connected run of blocks` };

  const incoming = body.edges.filter((e) => nodeIds.has(e.target) && !nodeIds.has(e.source));
  const outgoing = body.edges.filter((e) => nodeIds.has(e.source) && !nodeIds.has(e.target));
  const inGroups = groupBy(incoming, (e) => `${e.source}\u0000${e.sourcePort ?? DEFAULT_OUT_PORT}`);
  const outGroups = groupBy(outgoing, (e) => `${e.source}\u0000${e.sourcePort ?? DEFAULT_OUT_PORT}`);
  const inNames = portNames('x', inGroups.length);
  const outNames = portNames('y', outGroups.length);

  const box = bounds(inside);
  const taken = new Set(inside.map((n) => n.id));
  const innerNodes: NodeSpec[] = [...inside];
  const innerEdges: EdgeSpec[] = body.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  inGroups.forEach((group, i) => {
    const id = uniqueId(`in_${inNames[i]}`, taken);
    taken.add(id);
    innerNodes.push({ id, block: 'input', params: { name: inNames[i]! }, position: { x: box.minX - SIDE_GAP, y: box.minY + i * PORT_GAP } });
    for (const e of group) innerEdges.push(edgeSpec({ source: id, sourcePort: DEFAULT_OUT_PORT, target: e.target, targetPort: e.targetPort ?? DEFAULT_IN_PORT }));
  });
  outGroups.forEach((group, i) => {
    const id = uniqueId(`out_${outNames[i]}`, taken);
    taken.add(id);
    const first = group[0]!;
    innerNodes.push({ id, block: 'output', params: { name: outNames[i]! }, position: { x: box.maxX + SIDE_GAP, y: box.minY + i * PORT_GAP } });
    innerEdges.push(edgeSpec({ source: first.source, sourcePort: first.sourcePort ?? DEFAULT_OUT_PORT, target: id, targetPort: DEFAULT_IN_PORT }));
  });

  const reserved = new Set([...Object.keys(doc.composites ?? {}), ...allBlocks().map((b) => b.id)]);
  const name = newNodeId('block', reserved);
  const def: CompositeDef = { label: `Block ${name.slice('block_'.length)}`, nodes: innerNodes, edges: innerEdges };

  const outsideIds = new Set(body.nodes.filter((n) => !nodeIds.has(n.id)).map((n) => n.id));
  const nodeId = uniqueId(name, outsideIds);
  // where the first of the wrapped blocks was: the space they leave is free
  const wrapper: NodeSpec = { id: nodeId, block: name, position: { x: Math.round(box.minX), y: Math.round(box.minY) } };
  const outerEdges: EdgeSpec[] = body.edges.filter((e) => !nodeIds.has(e.source) && !nodeIds.has(e.target));
  inGroups.forEach((group, i) => {
    const first = group[0]!;
    outerEdges.push(edgeSpec({ source: first.source, sourcePort: first.sourcePort ?? DEFAULT_OUT_PORT, target: nodeId, targetPort: inNames[i]! }));
  });
  outGroups.forEach((group, i) => {
    for (const e of group) outerEdges.push(edgeSpec({ source: nodeId, sourcePort: outNames[i]!, target: e.target, targetPort: e.targetPort ?? DEFAULT_IN_PORT }));
  });

  const withDef: GraphDocument = { ...doc, composites: { ...(doc.composites ?? {}), [name]: def } };
  const outerNodes = [...body.nodes.filter((n) => !nodeIds.has(n.id)), wrapper];
  return { ok: true, doc: withBody(withDef, key, { nodes: outerNodes, edges: outerEdges }), composite: name, nodeId };
}

/**
 * An unselected node that is downstream of the selection and upstream of it too: wrapping would
 * make the new block feed itself through that node (a cycle).
 */
function nodeBetween(edges: readonly EdgeSpec[], selected: ReadonlySet<string>): string | undefined {
  const next = adjacency(edges, (e) => [e.source, e.target]);
  const prev = adjacency(edges, (e) => [e.target, e.source]);
  const down = reach(selected, next);
  const up = reach(selected, prev);
  for (const id of down) if (!selected.has(id) && up.has(id)) return id;
  return undefined;
}

function adjacency(edges: readonly EdgeSpec[], ends: (e: EdgeSpec) => [string, string]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = ends(e);
    m.set(a, [...(m.get(a) ?? []), b]);
  }
  return m;
}

/** Nodes reachable from the selection through at least one edge that leaves it. */
function reach(from: ReadonlySet<string>, next: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const m of next.get(id) ?? []) {
      if (seen.has(m) || from.has(m)) continue;
      seen.add(m);
      stack.push(m);
    }
  }
  return seen;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return [...m.values()];
}

function portNames(stem: string, n: number): string[] {
  return n === 1 ? [stem] : Array.from({ length: n }, (_, i) => `${stem}${i + 1}`);
}

function bounds(nodes: readonly NodeSpec[]): { minX: number; minY: number; maxX: number; maxY: number } {
  const xs = nodes.map((n) => n.position?.x ?? 0);
  const ys = nodes.map((n) => n.position?.y ?? 0);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}
