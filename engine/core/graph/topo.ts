/** Topological order of a body's nodes (Kahn), with the nodes left over when there is a cycle. */
export interface TopoResult {
  readonly order: number[];
  /** Node indices that sit on or behind a cycle, empty when the graph is acyclic. */
  readonly cyclic: number[];
}

export function topoSort(nodeCount: number, edges: readonly (readonly [number, number])[]): TopoResult {
  const indegree = new Array<number>(nodeCount).fill(0);
  const next: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const [s, t] of edges) {
    indegree[t]!++;
    next[s]!.push(t);
  }
  const queue: number[] = [];
  for (let i = 0; i < nodeCount; i++) if (indegree[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    order.push(n);
    for (const m of next[n]!) if (--indegree[m]! === 0) queue.push(m);
  }
  const cyclic: number[] = [];
  if (order.length < nodeCount) for (let i = 0; i < nodeCount; i++) if (indegree[i]! > 0) cyclic.push(i);
  return { order, cyclic };
}

/** One cycle through `start` among the cyclic nodes, as node indices (for the error message). */
export function findCycle(start: number, edges: readonly (readonly [number, number])[], cyclic: ReadonlySet<number>): number[] {
  const next = new Map<number, number[]>();
  for (const [s, t] of edges) if (cyclic.has(s) && cyclic.has(t)) next.set(s, [...(next.get(s) ?? []), t]);
  const path: number[] = [];
  const onPath = new Set<number>();
  const seen = new Set<number>();
  const dfs = (n: number): number[] | undefined => {
    path.push(n);
    onPath.add(n);
    seen.add(n);
    for (const m of next.get(n) ?? []) {
      if (onPath.has(m)) return [...path.slice(path.indexOf(m)), m];
      if (!seen.has(m)) {
        const found = dfs(m);
        if (found) return found;
      }
    }
    path.pop();
    onPath.delete(n);
    return undefined;
  };
  return dfs(start) ?? [start];
}
