/**
 * Where a problem belongs in what the canvas shows. Problems name their place by document path,
 * node id and edge index; inside a composite, core reports them on the outer node with the chain
 * of inner node ids (`inner`) and the inner path in the message. This maps them onto the body at
 * the current scope: a node, an edge, a node whose inside holds the problem, or the body itself.
 */
import { DEFAULT_IN_PORT, type EdgeSpec } from '../../../engine/core/document/schema.js';
import { splitInnerMessage, type Problem } from '../../../engine/core/problems.js';
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
  const edgeId = innerEdge(p.message, body, rest[0]);
  if (rest.length === 1) return edgeId === undefined ? { at: 'node', nodeId: rest[0]! } : { at: 'node', nodeId: rest[0]!, edgeId };
  return edgeId === undefined ? { at: 'body' } : { at: 'edge', edgeId };
}

/**
 * The edge an inner problem's message points at: `edges[3]...` names it by index, and
 * `nodes[2] "lif" port in: ...` by the port its wire enters.
 */
function innerEdge(message: string, body: Body, nodeId: string | undefined): string | undefined {
  const path = innermostPath(message);
  if (path === undefined) return undefined;
  const ids = edgeIds(body.edges);
  const byIndex = /^edges\[(\d+)\]/.exec(path);
  if (byIndex) return ids[Number(byIndex[1])];
  const byPort = / port ([^:\s]+): $/.exec(path);
  if (byPort && nodeId !== undefined) {
    const k = body.edges.findIndex((e: EdgeSpec) => e.target === nodeId && (e.targetPort ?? DEFAULT_IN_PORT) === byPort[1]);
    return k < 0 ? undefined : ids[k];
  }
  return undefined;
}

/** The last of the nested path prefixes of an inner problem's message (the culprit's own path), with its `: `. */
export function innermostPath(message: string): string | undefined {
  const { places } = splitInnerMessage(message);
  return places.length === 0 ? undefined : `${places[places.length - 1]}: `;
}

/** The message without the inner path prefix that `placeProblem` has already turned into a place. */
export function problemText(p: Problem): string {
  if (!p.inner || p.inner.length === 0) return p.message;
  return splitInnerMessage(p.message).text;
}
