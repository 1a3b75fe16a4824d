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
