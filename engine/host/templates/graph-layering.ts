/**
 * A layered drawing of a graph body, as small as a thumbnail needs: each node's layer is the length
 * of the longest path reaching it (so every edge points forward), and within a layer nodes are
 * ordered by the mean slot of their predecessors (one barycenter sweep keeps branches beside each
 * other), ties broken by document order. Deterministic: the same body always gives the same slots.
 */
import type { GraphBody } from '../../core/document/schema.js';
import { topoSort } from '../../core/graph/topo.js';

export interface LayeredNode {
  readonly index: number;
  readonly layer: number;
  /** Position within the layer, 0-based. */
  readonly slot: number;
}

export interface Layering {
  readonly nodes: readonly LayeredNode[];
  /** Edges as node index pairs (edges naming a missing node are left out). */
  readonly edges: readonly (readonly [number, number])[];
  readonly layerCount: number;
  /** The most nodes in one layer. */
  readonly width: number;
}

export function layerGraph(body: GraphBody): Layering {
  const indexById = new Map<string, number>();
  body.nodes.forEach((n, i) => {
    if (!indexById.has(n.id)) indexById.set(n.id, i);
  });
  const edges: [number, number][] = [];
  for (const e of body.edges) {
    const s = indexById.get(e.source);
    const t = indexById.get(e.target);
    if (s !== undefined && t !== undefined && s !== t) edges.push([s, t]);
  }

  const preds: number[][] = body.nodes.map(() => []);
  for (const [s, t] of edges) preds[t]!.push(s);
  const layer = new Array<number>(body.nodes.length).fill(0);
  const { order, cyclic } = topoSort(body.nodes.length, edges);
  for (const n of order) for (const p of preds[n]!) layer[n] = Math.max(layer[n]!, layer[p]! + 1);
  // nodes on a cycle (an invalid document) have no longest path; they go after everything else
  const after = Math.max(0, ...order.map((n) => layer[n]! + 1));
  for (const n of cyclic) layer[n] = after;

  const layerCount = body.nodes.length === 0 ? 0 : Math.max(...layer) + 1;
  const byLayer: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < body.nodes.length; i++) byLayer[layer[i]!]!.push(i);
  const slot = new Array<number>(body.nodes.length).fill(0);
  for (const members of byLayer) {
    const key = (n: number) => {
      const ps = preds[n]!.filter((p) => layer[p]! < layer[n]!);
      return ps.length === 0 ? n : ps.reduce((sum, p) => sum + slot[p]!, 0) / ps.length;
    };
    const keyed = members.map((n) => ({ n, k: key(n) }));
    keyed.sort((a, b) => a.k - b.k || a.n - b.n);
    keyed.forEach(({ n }, s) => (slot[n] = s));
  }
  return {
    nodes: body.nodes.map((_, i) => ({ index: i, layer: layer[i]!, slot: slot[i]! })),
    edges,
    layerCount,
    width: Math.max(0, ...byLayer.map((m) => m.length)),
  };
}
