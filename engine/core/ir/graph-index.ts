/** Who computes each value and how often it is read: what a rewrite pass asks before it moves ops. */
import type { IrGraph } from './types.js';

export interface GraphIndex {
  /** Value id → index of the node that outputs it (absent for inputs, parameters, constants). */
  readonly producer: ReadonlyMap<number, number>;
  /** Value id → how many node inputs and graph outputs read it. */
  readonly uses: ReadonlyMap<number, number>;
}

export function indexGraph(graph: IrGraph): GraphIndex {
  const producer = new Map<number, number>();
  const uses = new Map<number, number>();
  graph.nodes.forEach((n, i) => {
    for (const o of n.outputs) producer.set(o, i);
    for (const v of n.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  });
  for (const o of graph.outputs) uses.set(o.value, (uses.get(o.value) ?? 0) + 1);
  return { producer, uses };
}
