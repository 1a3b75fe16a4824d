/**
 * Reverse-mode differentiation over the primitive IR (tinygrad's shape, STYLE.md): switch the ops
 * on the gradient path to their training form, then walk the nodes in reverse topological order,
 * look up each row's VJP and accumulate input gradients. The walk knows no primitive by name;
 * every rule lives in its row of `ir/primitives`.
 */
import { IrBuilder } from '../ir/builder.js';
import { primitive } from '../ir/primitives/index.js';
import type { IrGraph, IrNode, IrValue } from '../ir/types.js';

export interface Differentiated {
  /** The forward graph (training forms switched in) with the backward appended; keep building on it. */
  readonly builder: IrBuilder;
  /** Gradient value of each `wrt` value that the loss depends on. */
  readonly grads: ReadonlyMap<number, number>;
}

/** Gradients of the scalar `loss` with respect to `wrt` (parameters, usually). */
export function gradients(graph: IrGraph, loss: number, wrt: readonly number[]): Differentiated {
  const lossShape = graph.values[loss]?.shape;
  if (!lossShape || lossShape.length !== 0) throw new Error(`autodiff: the loss must be a scalar, got shape [${lossShape?.join(',')}]`);
  const needsGrad = dependents(graph, wrt);
  const feedsLoss = ancestors(graph, loss);
  const onPath = new Set<number>();
  graph.nodes.forEach((n, i) => {
    if (n.inputs.some((v) => needsGrad.has(v)) && n.outputs.some((v) => feedsLoss.has(v))) onPath.add(i);
  });

  const trained = trainingForm(graph, onPath);
  const b = IrBuilder.from(trained);
  const grads = new Map<number, number>([[loss, b.scalar(1)]]);
  for (let i = trained.nodes.length - 1; i >= 0; i--) {
    if (!onPath.has(i)) continue;
    const node = trained.nodes[i]!;
    const gOut = node.outputs.map((o) => grads.get(o));
    if (gOut.every((g) => g === undefined)) continue;
    const rule = primitive(node.op).vjp;
    if (!rule) throw new Error(`autodiff: primitive "${node.op}" (${node.scope || 'top level'}) has no VJP rule`);
    b.withScope(node.scope, () => {
      const gIn = rule(b, node, gOut);
      node.inputs.forEach((input, k) => {
        const g = gIn[k];
        if (g === undefined || !needsGrad.has(input)) return;
        const want = b.shape(input);
        const got = b.shape(g);
        if (want.length !== got.length || want.some((d, j) => d !== got[j])) {
          throw new Error(`autodiff: VJP of "${node.op}" (${node.scope}) gave input ${k} a gradient [${got.join(',')}] for a value [${want.join(',')}]`);
        }
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? g : b.op1('add', [prev, g]));
      });
    });
  }
  const out = new Map<number, number>();
  for (const w of wrt) {
    const g = grads.get(w);
    if (g !== undefined) out.set(w, g);
  }
  return { builder: b, grads: out };
}

/** Values computed from any of `roots` (the roots included). */
function dependents(graph: IrGraph, roots: readonly number[]): Set<number> {
  const set = new Set(roots);
  for (const n of graph.nodes) if (n.inputs.some((v) => set.has(v))) for (const o of n.outputs) set.add(o);
  return set;
}

/** Values that `target` is computed from (itself included). */
function ancestors(graph: IrGraph, target: number): Set<number> {
  const set = new Set([target]);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (n.outputs.some((v) => set.has(v))) for (const v of n.inputs) set.add(v);
  }
  return set;
}

/** Switches the given nodes to their rows' training form; added outputs become new values. */
function trainingForm(graph: IrGraph, which: ReadonlySet<number>): IrGraph {
  const values: IrValue[] = [...graph.values];
  const nodes: IrNode[] = graph.nodes.map((n, i) => {
    const row = primitive(n.op);
    if (!which.has(i) || !row.train) return n;
    const attrs = row.train(n.attrs);
    const outs = row.shape(
      n.inputs.map((v) => graph.values[v]!),
      attrs,
    );
    const extra = outs.slice(n.outputs.length).map((o) => {
      const v: IrValue = { id: values.length, shape: [...o.shape], dtype: o.dtype ?? 'float32' };
      values.push(v);
      return v.id;
    });
    return { ...n, attrs, outputs: [...n.outputs, ...extra] };
  });
  return { ...graph, values, nodes };
}
