/**
 * Taking the user to a problem: open the composites it lies in, select its node or wire, and bring
 * it into view.
 */
import type { GraphDocument } from '../../../engine/core/document/schema.js';
import type { GraphAnalysis } from '../../../engine/core/graph/infer.js';
import type { Problem } from '../../../engine/core/problems.js';
import { revealNodes } from '../canvas/canvas-control.js';
import { edgeIds } from '../document/ids.js';
import { entryEdge } from '../problems/entry-edge.js';
import { placeProblem } from '../problems/locate.js';
import { analysisOf } from '../state/analysis.js';
import { getDocument } from '../state/document-store.js';
import { resolveScope } from '../state/scope.js';
import { useViewStore, type ScopeFrame } from '../state/view-store.js';

export function revealProblem(p: Problem): void {
  const doc = getDocument();
  const analysis = analysisOf(doc);
  // a composite that cannot take what its input wire carries: the wire is the culprit
  const entry = entryEdge(p, [], doc, doc.composites ?? {});
  if (entry !== undefined && p.nodeId !== undefined) {
    useViewStore.setState({ scope: [], selectedNodes: new Set(), selectedEdges: new Set([entry]), dragPositions: null });
    const wire = doc.edges[edgeIds(doc.edges).indexOf(entry)];
    setTimeout(() => revealNodes(wire ? [wire.source, wire.target] : [p.nodeId!]), 60);
    return;
  }
  const chain = p.nodeId === undefined ? [] : [p.nodeId, ...(p.inner ?? [])];
  // open every composite on the way down; the last id of the chain is the culprit itself
  const frames = framesAlong(doc, analysis, chain.slice(0, -1));
  const scope = resolveScope(doc, analysis, frames);
  const where = placeProblem(p, frames.map((f) => f.nodeId), scope.body);
  const nodes: string[] = [];
  const edges: string[] = [];
  if (where.at === 'node') {
    nodes.push(where.nodeId);
    if (where.edgeId !== undefined) edges.push(where.edgeId);
  } else if (where.at === 'inside') nodes.push(where.nodeId);
  else if (where.at === 'edge') edges.push(where.edgeId);
  // a wire is brought into view through its two ends
  const ends = edges.flatMap((id) => {
    const k = edgeIds(scope.body.edges).indexOf(id);
    const e = scope.body.edges[k];
    return e ? [e.source, e.target] : [];
  });
  useViewStore.setState({ scope: frames, selectedNodes: new Set(nodes), selectedEdges: new Set(edges), dragPositions: null });
  const show = [...new Set([...nodes, ...ends])];
  // after the scope has rendered and its nodes are measured
  setTimeout(() => revealNodes(show), 60);
}

/** Takes the user to a node by its path from the top (`block1.attn.q_lif`): its composites opened, it selected and in view. */
export function revealNodePath(path: string): void {
  const doc = getDocument();
  const chain = path.split('.');
  const frames = framesAlong(doc, analysisOf(doc), chain.slice(0, -1));
  // a path that leaves the graph (a node renamed since) stops at the deepest block it still finds
  const target = chain[frames.length]!;
  useViewStore.setState({ scope: frames, selectedNodes: new Set([target]), selectedEdges: new Set(), dragPositions: null });
  setTimeout(() => revealNodes([target]), 60);
}

/** The composites along `ids`, opened one inside the other, as far as they exist and can be opened. */
function framesAlong(doc: GraphDocument, analysis: GraphAnalysis, ids: readonly string[]): ScopeFrame[] {
  const frames: ScopeFrame[] = [];
  for (const id of ids) {
    const { body } = resolveScope(doc, analysis, frames);
    const node = body.nodes.find((n) => n.id === id);
    if (!node) break;
    const next = [...frames, { nodeId: id, block: node.block }];
    if (resolveScope(doc, analysis, next).frames.length !== next.length) break;
    frames.push(next[next.length - 1]!);
  }
  return frames;
}
