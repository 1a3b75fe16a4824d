/**
 * Edit operations on one graph body. Each is a pure function returning a new body (or the same
 * body when nothing changes, so that a no-op never lands in the undo history).
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type EdgeSpec, type NodeSpec } from '../../../engine/core/document/schema.js';
import type { Body } from './body.js';
import { edgeIds, isValidId } from './ids.js';

export interface XY {
  readonly x: number;
  readonly y: number;
}

export interface Connection {
  readonly source: string;
  readonly sourcePort: string;
  readonly target: string;
  readonly targetPort: string;
}

export function addNodes(body: Body, nodes: readonly NodeSpec[], edges: readonly EdgeSpec[] = []): Body {
  if (nodes.length === 0 && edges.length === 0) return body;
  return { nodes: [...body.nodes, ...nodes], edges: [...body.edges, ...edges] };
}

/** Removes nodes and edges by id, and every edge touching a removed node. */
export function removeElements(body: Body, nodeIds: ReadonlySet<string>, edgeIdSet: ReadonlySet<string>): Body {
  const ids = edgeIds(body.edges);
  const nodes = body.nodes.filter((n) => !nodeIds.has(n.id));
  const edges = body.edges.filter((e, k) => !edgeIdSet.has(ids[k]!) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
  if (nodes.length === body.nodes.length && edges.length === body.edges.length) return body;
  return { nodes, edges };
}

/**
 * Connects an output port to an input port. An input port takes one edge, so an edge already
 * entering that port is replaced (what a user dragging a new wire onto a taken port means).
 */
export function connect(body: Body, c: Connection): Body {
  const edge = edgeSpec(c);
  const exists = body.edges.some(
    (e) => e.source === c.source && (e.sourcePort ?? DEFAULT_OUT_PORT) === c.sourcePort && e.target === c.target && (e.targetPort ?? DEFAULT_IN_PORT) === c.targetPort,
  );
  if (exists) return body;
  const kept = body.edges.filter((e) => !(e.target === c.target && (e.targetPort ?? DEFAULT_IN_PORT) === c.targetPort));
  return { nodes: body.nodes, edges: [...kept, edge] };
}

/** The document form of an edge: default port names are left out, as templates write them. */
export function edgeSpec(c: Connection): EdgeSpec {
  return {
    source: c.source,
    ...(c.sourcePort !== DEFAULT_OUT_PORT ? { sourcePort: c.sourcePort } : {}),
    target: c.target,
    ...(c.targetPort !== DEFAULT_IN_PORT ? { targetPort: c.targetPort } : {}),
  };
}

export function moveNodes(body: Body, positions: ReadonlyMap<string, XY>): Body {
  let changed = false;
  const nodes = body.nodes.map((n) => {
    const p = positions.get(n.id);
    if (!p || (n.position && n.position.x === p.x && n.position.y === p.y)) return n;
    changed = true;
    return { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } };
  });
  return changed ? { nodes, edges: body.edges } : body;
}

/**
 * Sets one parameter, possibly nested (`['surrogate', 'alpha']`); `undefined` removes the key so
 * that the block's default applies again. Empty params objects are dropped from the node.
 */
export function setParam(body: Body, nodeId: string, path: readonly string[], value: unknown): Body {
  return updateNode(body, nodeId, (n) => {
    const params = setIn(n.params ?? {}, path, value);
    if (params === n.params) return n;
    const { params: _old, ...rest } = n;
    return Object.keys(params).length === 0 ? rest : { ...rest, params };
  });
}

export function setLabel(body: Body, nodeId: string, label: string): Body {
  return updateNode(body, nodeId, (n) => {
    const { label: _old, ...rest } = n;
    const trimmed = label.trim();
    if (trimmed === (n.label ?? '')) return n;
    return trimmed === '' ? rest : { ...rest, label: trimmed };
  });
}

export type RenameResult = { ok: true; body: Body } | { ok: false; message: string };

/** Renames a node and every edge end that names it. */
export function renameNode(body: Body, from: string, to: string): RenameResult {
  if (from === to) return { ok: true, body };
  if (!isValidId(to)) return { ok: false, message: 'must start with a letter or _ and use only letters, digits, _ . -' };
  if (body.nodes.some((n) => n.id === to)) return { ok: false, message: `a node "${to}" already exists` };
  return {
    ok: true,
    body: {
      nodes: body.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
      edges: body.edges.map((e) => (e.source === from || e.target === from ? { ...e, ...(e.source === from ? { source: to } : {}), ...(e.target === from ? { target: to } : {}) } : e)),
    },
  };
}

export function updateNode(body: Body, nodeId: string, fn: (n: NodeSpec) => NodeSpec): Body {
  let changed = false;
  const nodes = body.nodes.map((n) => {
    if (n.id !== nodeId) return n;
    const next = fn(n);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { nodes, edges: body.edges } : body;
}

function setIn(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  if (rest.length === 0) {
    if (value === undefined) {
      if (!(head in obj)) return obj;
      const { [head]: _removed, ...others } = obj;
      return others;
    }
    if (Object.is(obj[head], value)) return obj;
    return { ...obj, [head]: value };
  }
  const inner = obj[head];
  const base = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  const next = setIn(base, rest, value);
  if (next === inner) return obj;
  return { ...obj, [head]: next };
}
