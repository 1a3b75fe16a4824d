/**
 * Layers over a T-repeated input run once, on B (notes/ort-training.md). A direct encoder repeats
 * the image T times; every row-wise layer after it (conv, BN, pooling, linear, elementwise) maps
 * equal rows to equal rows, so f(repeat(x)) = repeat(f(x)) — for batch-statistics BN too, since
 * repeating rows changes neither the mean nor the biased variance (the running variance's n/(n−1)
 * is applied by the lowering with the full count). The first neuron then takes one step [1, M] and
 * charges from it at every step; its VJP returns the gradient summed over T, so the backward of
 * the hoisted layers runs once as well. Exact: the same arithmetic on fewer rows. Which ops are
 * row-wise, and which take a repeat as one step, their primitive rows say (`rowwise`, `repeatStep`).
 */
import { IrBuilder } from '../ir/builder.js';
import { isRowwise } from '../ir/primitive.js';
import { primitive } from '../ir/primitives/index.js';
import type { IrGraph, IrNode } from '../ir/types.js';

/** A value whose rows are `times` stacked copies of `base` along axis 0. */
interface Repeat {
  readonly base: number;
  readonly times: number;
}

export function hoistRepeats(graph: IrGraph): IrGraph {
  const b = IrBuilder.from({ ...graph, nodes: [], outputs: [] });
  const renamed = new Map<number, number>();
  const at = (v: number) => renamed.get(v) ?? v;
  const repeats = new Map<number, Repeat>();
  const data = dataValues(graph);

  for (const node of graph.nodes) {
    b.withScope(node.scope, () => {
      const ins = node.inputs.map(at);
      const outs = hoist(b, node, ins, repeats, data) ?? b.op(node.op, ins, node.attrs);
      node.outputs.forEach((o, k) => renamed.set(o, outs[k]!));
      noteRepeat(b, node, ins, outs[0]!, repeats);
    });
  }
  for (const o of graph.outputs) b.output(o.name, at(o.value));
  return b.build();
}

function hoist(b: IrBuilder, node: IrNode, ins: number[], repeats: Map<number, Repeat>, data: ReadonlySet<number>): number[] | undefined {
  const dataIns = node.inputs.map((v, k) => (data.has(v) ? k : -1)).filter((k) => k >= 0);
  if (dataIns.length === 0) return undefined;
  const reps = dataIns.map((k) => repeats.get(ins[k]!));
  const first = reps[0];
  if (!first || reps.some((r) => !r || r.times !== first.times || b.shape(r.base)[0] !== b.shape(first.base)[0])) return undefined;
  const baseIns = ins.map((v, k) => (dataIns.includes(k) ? repeats.get(v)!.base : v));

  const row = primitive(node.op);
  if (row.repeatStep) {
    if (b.shape(first.base)[0] !== 1 || b.shape(ins[0]!)[0] !== first.times) return undefined;
    const attrs = row.repeatStep(node.attrs, first.times);
    return attrs === undefined ? undefined : b.op(node.op, baseIns, attrs);
  }
  if (!isRowwise(row, node.attrs, ins.map((v) => b.shape(v).length), dataIns)) return undefined;
  const outs = b.op(node.op, baseIns, node.attrs);
  return outs.map((o, k) => {
    const want = b.shape(node.outputs[k]!);
    const got = b.shape(o);
    if (got.length === want.length && got[0]! * first.times === want[0] && got.every((d, j) => j === 0 || d === want[j])) {
      return materialize(b, o, first.times, repeats);
    }
    if (got.length !== want.length || got.some((d, j) => d !== want[j])) throw new Error(`hoistRepeats: ${node.op} output ${k} changed shape`);
    return o;
  });
}

/** repeat(base) as IR, for consumers that cannot take the base; pruned when none needs it. */
function materialize(b: IrBuilder, base: number, times: number, repeats: Map<number, Repeat>): number {
  const s = b.shape(base);
  const stacked = b.op1('expand', [b.op1('reshape', [base], { shape: [1, ...s] })], { shape: [times, ...s] });
  const v = b.op1('reshape', [stacked], { shape: [times * s[0]!, ...s.slice(1)] });
  repeats.set(v, { base, times });
  return v;
}

/** Recognises the repeats the graph makes itself: a leading-axis expand, and reshapes of repeats. */
function noteRepeat(b: IrBuilder, node: IrNode, ins: number[], out: number, repeats: Map<number, Repeat>): void {
  if (repeats.has(out)) return;
  if (node.op === 'expand') {
    const from = b.shape(ins[0]!);
    const to = b.shape(out);
    if (from.length === to.length && from[0] === 1 && to[0]! > 1 && from.every((d, j) => j === 0 || d === to[j])) repeats.set(out, { base: ins[0]!, times: to[0]! });
    return;
  }
  const src = repeats.get(ins[0]!);
  if (node.op !== 'reshape' || !src) return;
  const to = b.shape(out);
  if (to[0]! % src.times !== 0) return;
  // rows t·n + i of the input are rows of the base; a reshape keeping T·m rows keeps that split
  repeats.set(out, { base: b.op1('reshape', [src.base], { shape: [to[0]! / src.times, ...to.slice(1)] }), times: src.times });
}

/** Values computed from the graph inputs (the data), as opposed to parameters and constants. */
function dataValues(graph: IrGraph): Set<number> {
  const set = new Set(graph.inputs.map((i) => i.value));
  for (const n of graph.nodes) if (n.inputs.some((v) => set.has(v))) for (const o of n.outputs) set.add(o);
  return set;
}
