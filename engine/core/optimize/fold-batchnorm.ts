/**
 * Inference-only: folds a BatchNorm with frozen statistics into the Linear that feeds it,
 *
 *   y = γ·(x·Wᵀ + b − μ)/√(σ² + ε) + β  =  x·(s⊙W)ᵀ + (s·(b − μ) + β),   s = γ/√(σ² + ε)
 *
 * ONNX Runtime fuses Conv+BatchNormalization itself but not Gemm+BatchNormalization, and a
 * BatchNormalization over [M, C] takes its slow path: on Spikformer-4-384 at batch 1 these BNs
 * were a fifth of the forward. The folded weight and bias become new parameters named after the
 * Linear's (`fc1.weight.bn_folded`) so an exported model stays readable; the Linear's and the BN's
 * own parameters leave the graph. Folding is computed in float64 and rounded once.
 */
import { indexGraph } from '../ir/graph-index.js';
import type { IrGraph, IrNode, IrParam } from '../ir/types.js';

export interface FoldResult {
  readonly graph: IrGraph;
  /** The values of the parameters the folded graph uses: the untouched ones and the folded. */
  readonly params: Map<string, Float32Array>;
  readonly folded: number;
  /** The parameters whose arrays now hold folded weights (FoldOptions.overwrite allowed it). */
  readonly overwritten: readonly string[];
}

export interface FoldOptions {
  /**
   * Parameters whose values the caller owns and no longer needs (compile's freshly drawn ones):
   * a folded weight read by its Linear alone is written over them instead of into a copy, which
   * spares a model-sized allocation (Spikformer-8-768: 226 MB of its 265).
   */
  readonly overwrite?: (name: string) => boolean;
}

export function foldBatchNormIntoLinear(graph: IrGraph, params: ReadonlyMap<string, Float32Array>, opts: FoldOptions = {}): FoldResult {
  const paramOf = new Map<number, IrParam>(graph.params.map((p) => [p.value, p]));
  const { producer, uses } = indexGraph(graph);

  const nodes: (IrNode | undefined)[] = [...graph.nodes];
  const newParams: IrParam[] = [];
  const values = [...graph.values];
  const outValues = new Map<string, Float32Array>();
  let folded = 0;
  const overwritten: string[] = [];

  /** Renamed values: a removed BN's output → the value that now carries it. */
  const renamed = new Map<number, number>();

  graph.nodes.forEach((bn, i) => {
    if (bn.op !== 'batchnorm' || graph.values[bn.inputs[0]!]!.shape.length !== 2) return;
    const chain = linearBehind(bn.inputs[0]!);
    if (!chain) return;
    const { li, lin } = chain;
    const stats = bn.inputs.slice(1).map((v) => paramOf.get(v));
    const [wp, bp] = [paramOf.get(lin.inputs[1]!), lin.inputs[2] === undefined ? null : paramOf.get(lin.inputs[2])];
    if (stats.some((p) => !p) || !wp || bp === undefined) return;
    const [gamma, beta, mean, variance] = stats.map((p) => params.get(p!.name));
    const w = params.get(wp.name);
    const b = bp ? params.get(bp.name) : undefined;
    if (!gamma || !beta || !mean || !variance || !w || (bp && !b)) return;

    const eps = (bn.attrs as { eps: number }).eps;
    const [outF, inF] = graph.values[lin.inputs[1]!]!.shape as [number, number];
    const inPlace = uses.get(lin.inputs[1]!) === 1 && !!opts.overwrite?.(wp.name);
    if (inPlace) overwritten.push(wp.name);
    const w2 = inPlace ? w : new Float32Array(outF * inF);
    const b2 = new Float32Array(outF);
    for (let o = 0; o < outF; o++) {
      const s = gamma[o]! / Math.sqrt(variance[o]! + eps);
      for (let k = 0; k < inF; k++) w2[o * inF + k] = w[o * inF + k]! * s;
      b2[o] = s * ((b ? b[o]! : 0) - mean[o]!) + beta[o]!;
    }
    const wId = values.length;
    values.push({ id: wId, shape: [outF, inF], dtype: 'float32' });
    const bId = values.length;
    values.push({ id: bId, shape: [outF], dtype: 'float32' });
    const wName = `${wp.name}.bn_folded`;
    const bName = bp ? `${bp.name}.bn_folded` : `${wp.name.replace(/weight$/, 'bias')}.bn_folded`;
    newParams.push({ name: wName, value: wId, init: wp.init, role: 'weight' }, { name: bName, value: bId, init: { kind: 'const', value: 0 }, role: 'bias' });
    outValues.set(wName, w2);
    outValues.set(bName, b2);
    nodes[li] = { ...lin, inputs: [lin.inputs[0]!, wId, bId] };
    nodes[i] = undefined;
    renamed.set(bn.outputs[0]!, bn.inputs[0]!);
    folded++;
  });

  /**
   * The Linear whose output reaches `x` unchanged but for reshapes that keep the feature axis
   * last (a [M, D] → [T, B, N, D] → [M, D] round trip), each value read only on that path.
   */
  function linearBehind(x: number): { li: number; lin: IrNode } | undefined {
    const d = graph.values[x]!.shape.at(-1);
    for (let v = x; ; ) {
      const at = producer.get(v);
      const node = at === undefined ? undefined : nodes[at];
      if (!node || uses.get(v) !== 1 || graph.values[v]!.shape.at(-1) !== d) return undefined;
      if (node.op === 'linear') return { li: at!, lin: node };
      if (node.op !== 'reshape') return undefined;
      v = node.inputs[0]!;
    }
  }

  const rename = (v: number): number => renamed.get(v) ?? v;
  const kept = nodes.filter((n): n is IrNode => n !== undefined).map((n) => (n.inputs.some((v) => renamed.has(v)) ? { ...n, inputs: n.inputs.map(rename) } : n));
  const outputs = graph.outputs.map((o) => ({ ...o, value: rename(o.value) }));
  const used = new Set<number>(kept.flatMap((n) => n.inputs));
  for (const o of outputs) used.add(o.value);
  const allParams = [...graph.params, ...newParams].filter((p) => used.has(p.value));
  for (const p of allParams) if (!outValues.has(p.name)) outValues.set(p.name, params.get(p.name)!);
  return { graph: { ...graph, values, nodes: kept, params: allParams, outputs }, params: outValues, folded, overwritten };
}
