/**
 * Dead-code elimination: keeps the nodes the graph outputs are computed from. VJP rules compute
 * every input gradient and leave the unneeded ones (the image's gradient, say) to this pass.
 * Inputs and parameters stay, so the graph's interface does not depend on what it uses.
 */
import type { IrGraph } from '../ir/types.js';

export function pruneGraph(graph: IrGraph): IrGraph {
  const live = new Set(graph.outputs.map((o) => o.value));
  const keep: boolean[] = new Array<boolean>(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (!n.outputs.some((v) => live.has(v))) continue;
    keep[i] = true;
    for (const v of n.inputs) live.add(v);
  }
  return {
    ...graph,
    nodes: graph.nodes.filter((_, i) => keep[i]),
    constants: graph.constants.filter((c) => live.has(c.value)),
  };
}
