/**
 * The primitive nodes of an analysed document in execution order, each with where it sits: its
 * dotted path (the IR scope, so `block1.attn.q_linear`, as parameter names are built), the
 * top-level document node that holds it, and the body it belongs to (whose edges say who feeds it
 * and whom it feeds). The exporters and the export lint walk this, never the document directly.
 */
import type { BodyInfo, NodeInfo } from '../graph/infer.js';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT } from '../document/schema.js';

export interface PlacedNode {
  readonly node: NodeInfo;
  /** Dotted path through composites, as lowering scopes it (`block1.attn.q_linear`). */
  readonly path: string;
  /** The document node that holds it (itself at top level). */
  readonly topId: string;
  /** Composite node ids from the top-level node down to (not including) this node. */
  readonly chain: readonly string[];
  readonly body: BodyInfo;
}

export function primitiveNodes(body: BodyInfo): PlacedNode[] {
  const out: PlacedNode[] = [];
  walk(body, [], out);
  return out;
}

function walk(body: BodyInfo, chain: readonly string[], out: PlacedNode[]): void {
  for (const node of body.nodes) {
    if (node.inner) {
      walk(node.inner, [...chain, node.id], out);
      continue;
    }
    const path = [...chain, node.id].join('.');
    out.push({ node, path, topId: chain[0] ?? node.id, chain, body });
  }
}

/** The node and port that feeds `port` of `nodeId` in `body`, if any. */
export function producerOf(body: BodyInfo, nodeId: string, port = DEFAULT_IN_PORT): { node: NodeInfo; port: string } | undefined {
  const e = body.source.edges.find((x) => x.target === nodeId && (x.targetPort ?? DEFAULT_IN_PORT) === port);
  const node = e ? body.byId.get(e.source) : undefined;
  return e && node ? { node, port: e.sourcePort ?? DEFAULT_OUT_PORT } : undefined;
}

/** The nodes (with their port) that read `port` of `nodeId` in `body`. */
export function consumersOf(body: BodyInfo, nodeId: string, port = DEFAULT_OUT_PORT): { node: NodeInfo; port: string }[] {
  return body.source.edges
    .filter((e) => e.source === nodeId && (e.sourcePort ?? DEFAULT_OUT_PORT) === port)
    .flatMap((e) => {
      const node = body.byId.get(e.target);
      return node ? [{ node, port: e.targetPort ?? DEFAULT_IN_PORT }] : [];
    });
}

/** Where a primitive's input comes from, seen through composite boundaries: a primitive (by path) and its port. */
export interface FlatSource {
  /** The producing primitive's path, or `input` for the document input. */
  readonly path: string;
  readonly port: string;
}

export interface FlatNode extends PlacedNode {
  /** Each input port's producer, through composite boundaries. */
  readonly sources: Readonly<Record<string, FlatSource>>;
}

/**
 * The document as one flat graph of primitives: each primitive's inputs resolved through the
 * composites' port nodes to the primitive (or the document input) that computes them.
 */
export function flatGraph(top: BodyInfo): FlatNode[] {
  const out: FlatNode[] = [];
  flatten(top, [], new Map(), out);
  return out;
}

/** `ports`: what each `input` port node of this body reads (resolved in the parent). */
function flatten(body: BodyInfo, chain: readonly string[], ports: ReadonlyMap<string, FlatSource>, out: FlatNode[]): Map<string, FlatSource> {
  // `${nodeId}:${port}` → the resolved source of that output
  const resolved = new Map<string, FlatSource>();
  const sourceOf = (nodeId: string, port: string): FlatSource => {
    const e = body.source.edges.find((x) => x.target === nodeId && (x.targetPort ?? DEFAULT_IN_PORT) === port);
    const s = e ? resolved.get(`${e.source}:${e.sourcePort ?? DEFAULT_OUT_PORT}`) : undefined;
    if (!s) throw new Error(`flatGraph: "${[...chain, nodeId].join('.')}" port ${port} has no source`);
    return s;
  };
  const results = new Map<string, FlatSource>();
  for (const node of body.nodes) {
    const block = node.block.id;
    if (block === 'input') {
      const name = String(node.params.name ?? 'x');
      const s = chain.length === 0 ? { path: 'input', port: DEFAULT_OUT_PORT } : ports.get(name);
      if (!s) throw new Error(`flatGraph: composite input "${name}" of "${chain.join('.')}" is not bound`);
      resolved.set(`${node.id}:${DEFAULT_OUT_PORT}`, s);
      continue;
    }
    if (block === 'output') {
      const s = sourceOf(node.id, DEFAULT_IN_PORT);
      results.set(String(node.params.name ?? 'y'), s);
      if (chain.length === 0) out.push({ node, path: 'output', topId: node.id, chain, body, sources: { [DEFAULT_IN_PORT]: s } });
      continue;
    }
    const inPorts = Object.keys(node.inputs);
    const sources = Object.fromEntries(inPorts.map((p) => [p, sourceOf(node.id, p)]));
    if (node.inner) {
      const inner = flatten(node.inner, [...chain, node.id], new Map(Object.entries(sources)), out);
      for (const [port, s] of inner) resolved.set(`${node.id}:${port}`, s);
      continue;
    }
    const path = [...chain, node.id].join('.');
    out.push({ node, path, topId: chain[0] ?? node.id, chain, body, sources });
    for (const port of Object.keys(node.outputs)) resolved.set(`${node.id}:${port}`, { path, port });
  }
  return results;
}
