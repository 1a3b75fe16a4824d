/**
 * Where a problem belongs in what the canvas shows. Problems name their place by document path,
 * node id and edge index; inside a composite, core reports them on the outer node with the chain
 * of inner node ids (`inner`), the inner edge (`innerEdgeIndex`) and the culprit's input port
 * (`port`). This maps them onto the body at the current scope: a node, an edge, a node whose
 * inside holds the problem, or the body itself.
 */
import { DEFAULT_IN_PORT, type EdgeSpec } from '../../../engine/core/document/schema.js';
import type { Problem } from '../../../engine/core/problems.js';
import { edgeIds } from '../document/ids.js';
import type { Body } from '../document/body.js';

export type Placement =
  | { readonly at: 'node'; readonly nodeId: string; readonly edgeId?: string }
  | { readonly at: 'edge'; readonly edgeId: string }
  /** The problem is deeper inside composite node `nodeId`. */
  | { readonly at: 'inside'; readonly nodeId: string; readonly path: readonly string[] }
  | { readonly at: 'body' }
  /** Not in this body (another scope). */
  | { readonly at: 'elsewhere' };

/**
 * @param scopePath node ids of the opened composites, outermost first ([] at the top level)
 */
export function placeProblem(p: Problem, scopePath: readonly string[], body: Body): Placement {
  const chain = [...(p.nodeId !== undefined ? [p.nodeId] : []), ...(p.inner ?? [])];
  if (scopePath.length === 0) {
    if (p.inner && p.inner.length > 0 && p.nodeId !== undefined) return { at: 'inside', nodeId: p.nodeId, path: p.inner };
    if (p.edgeIndex !== undefined) {
      const id = edgeIds(body.edges)[p.edgeIndex];
      if (id !== undefined) return p.nodeId !== undefined ? { at: 'node', nodeId: p.nodeId, edgeId: id } : { at: 'edge', edgeId: id };
    }
    if (p.nodeId !== undefined) return { at: 'node', nodeId: p.nodeId };
    return { at: 'body' };
  }
  for (let i = 0; i < scopePath.length; i++) if (chain[i] !== scopePath[i]) return { at: 'elsewhere' };
  const rest = chain.slice(scopePath.length);
  if (rest.length > 1) return { at: 'inside', nodeId: rest[0]!, path: rest.slice(1) };
  const edgeId = innerEdge(p, body, rest[0]);
  if (rest.length === 1) return edgeId === undefined ? { at: 'node', nodeId: rest[0]! } : { at: 'node', nodeId: rest[0]!, edgeId };
  return edgeId === undefined ? { at: 'body' } : { at: 'edge', edgeId };
}

/** The edge of the opened body an inner problem points at: by its index there, or by the port its wire enters. */
function innerEdge(p: Problem, body: Body, nodeId: string | undefined): string | undefined {
  const ids = edgeIds(body.edges);
  if (p.innerEdgeIndex !== undefined) return ids[p.innerEdgeIndex];
  if (p.port === undefined || nodeId === undefined) return undefined;
  const k = body.edges.findIndex((e: EdgeSpec) => e.target === nodeId && (e.targetPort ?? DEFAULT_IN_PORT) === p.port);
  return k < 0 ? undefined : ids[k];
}
