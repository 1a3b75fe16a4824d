/**
 * Inference-only: folds each chain of linear operators with no nonlinearity between them — conv,
 * BatchNorm with frozen statistics, BN-and-pad (RepConv's BN padded with BN(0)) — into one conv
 * whose weights are the composition, computed in float64 and rounded once. Which chains compose
 * exactly is `linear-form.ts`'s rule, the one the value-kind analysis uses to call a chain on
 * spikes spike-driven, so the model this pass emits is the model the analysis describes.
 *
 * Two modes. `all` folds every chain into one operator: the deployed form, where RepConv is one
 * 3×3 conv that reads spikes. `cheaper` folds a layer into the chain only where the folded conv does
 * no more MACs than the layers it replaces (a BN always; a 1×1 after a 1×1 of no fewer channels),
 * since composing a depthwise and a pointwise conv gives a dense one with many more MACs.
 */
import { indexGraph } from '../ir/graph-index.js';
import type { IrGraph, IrNode, IrParam } from '../ir/types.js';
import { numel } from '../tensor.js';
import { pruneGraph } from './prune.js';
import { macsPerOutput, sameOutputSize, startForm, withAffine, withBnPad, withConv, type ConvForm, type ConvStep } from './linear-form.js';

export type FoldMode = 'all' | 'cheaper';

export interface LinearFoldResult {
  readonly graph: IrGraph;
  /** The values of the parameters the folded graph uses: the untouched ones and the folded. */
  readonly params: Map<string, Float32Array>;
  /** Chains folded, and the operators they replaced (convs, BNs, pads). */
  readonly chains: number;
  readonly replaced: number;
}

/** The pad and the add of BN(0) on the border that follow a BN (bn_pad's lowering). */
interface BnPadStep {
  readonly kind: 'bnpad';
  readonly pad: number;
  readonly add: number;
  readonly size: number;
}
type Step = { readonly kind: 'conv'; readonly node: number } | { readonly kind: 'bn'; readonly node: number } | BnPadStep;

interface Chain {
  readonly steps: Step[];
  /** The folded conv's form after each step. */
  readonly forms: ConvForm[];
  readonly input: number;
  readonly output: number;
}

export function foldLinearChains(graph: IrGraph, params: ReadonlyMap<string, Float32Array>, mode: FoldMode): LinearFoldResult {
  const paramOf = new Map<number, IrParam>(graph.params.map((p) => [p.value, p]));
  const constOf = new Map(graph.constants.map((c) => [c.value, c.data]));
  const { producer, uses } = indexGraph(graph);
  const reader = new Map<number, number>();
  graph.nodes.forEach((n, i) => n.inputs.forEach((v) => reader.set(v, i)));
  const isOutput = new Set(graph.outputs.map((o) => o.value));
  const shape = (v: number) => graph.values[v]!.shape;
  const nodeAt = (v: number | undefined, op: string): IrNode | undefined => {
    const i = v === undefined ? undefined : producer.get(v);
    const n = i === undefined ? undefined : graph.nodes[i];
    return n?.op === op ? n : undefined;
  };

  const taken = new Set<number>();
  const chains: Chain[] = [];
  graph.nodes.forEach((n, i) => {
    if (n.op !== 'conv2d' || taken.has(i)) return;
    const first = convStepOf(n);
    const f0 = first && startForm(first);
    if (!f0) return;
    const chain: Chain = { steps: [{ kind: 'conv', node: i }], forms: [f0], input: n.inputs[0]!, output: n.outputs[0]! };
    grow(chain);
    if (chain.steps.length < 2) return;
    for (const s of chain.steps) for (const k of stepNodes(s)) taken.add(k);
    chains.push(chain);
  });

  function grow(c: Chain): void {
    let v = c.output;
    for (;;) {
      if (uses.get(v) !== 1 || isOutput.has(v)) return;
      const at = reader.get(v)!;
      const r = graph.nodes[at]!;
      if (r.inputs[0] !== v) return;
      const f = c.forms.at(-1)!;
      let step: Step | undefined;
      let form: ConvForm | undefined;
      if (r.op === 'batchnorm' && shape(v).length === 4 && r.inputs.slice(1).every((p) => paramOf.has(p))) {
        [step, form] = [{ kind: 'bn', node: at }, withAffine(f)];
      } else if (r.op === 'conv2d') {
        const cs = convStepOf(r);
        [step, form] = [{ kind: 'conv', node: at }, cs && withConv(f, cs)];
      } else if (r.op === 'pad') {
        const bp = bnPadAt(c, at);
        const before = c.forms.at(-2);
        if (bp && before) [step, form] = [bp, withBnPad(before, bp.size)];
      }
      const out = step && (step.kind === 'bnpad' ? graph.nodes[step.add]!.outputs[0]! : r.outputs[0]!);
      if (!step || !form || out === undefined) return;
      // the folded conv must give the chain's own output size (a guard: linear-form's compositions always do)
      const [xs, ys] = [shape(c.input), shape(out)];
      if (!sameOutputSize(form, [xs[2]!, xs[3]!], [ys[2]!, ys[3]!])) return;
      if (mode === 'cheaper' && foldedMacs(form, out) > builtMacs([...c.steps, step])) return;
      c.steps.push(step);
      c.forms.push(form);
      (c as { output: number }).output = out;
      v = out;
    }
  }

  /** The pad at node `at` and the add after it, if they are bn_pad's border fill with BN(0) of the chain's last BN. */
  function bnPadAt(c: Chain, at: number): BnPadStep | undefined {
    const last = c.steps.at(-1);
    if (last?.kind !== 'bn') return undefined;
    const bn = graph.nodes[last.node]!;
    const pad = graph.nodes[at]!;
    const p = (pad.attrs as { pads?: number[] }).pads;
    const size = p?.[2];
    if (!p || p.length !== 8 || size === undefined || !p.every((x, k) => x === (k % 4 < 2 ? 0 : size))) return undefined;
    if (uses.get(pad.outputs[0]!) !== 1) return undefined;
    const addAt = reader.get(pad.outputs[0]!)!;
    const add = graph.nodes[addAt]!;
    if (add.op !== 'add' || add.inputs[0] !== pad.outputs[0]) return undefined;
    const mul = nodeAt(add.inputs[1], 'mul');
    const fillBn = nodeAt(nodeAt(mul?.inputs[1], 'stop_gradient')?.inputs[0], 'batchnorm');
    if (!mul || !fillBn || !fillBn.inputs.slice(1).every((x, k) => x === bn.inputs[k + 1])) return undefined;
    if (!isConstFill(nodeAt(fillBn.inputs[0], 'expand'), 0)) return undefined;
    // the border mask: 1 − pad(ones) shifted by one, 1 on the added ring, 0 inside
    const ring = nodeAt(nodeAt(nodeAt(mul.inputs[0], 'shift')?.inputs[0], 'neg')?.inputs[0], 'pad');
    const shift = nodeAt(mul.inputs[0], 'shift');
    if (!ring || (shift?.attrs as { offset?: number }).offset !== 1 || JSON.stringify(ring.attrs.pads) !== JSON.stringify(p)) return undefined;
    if (!isConstFill(nodeAt(ring.inputs[0], 'expand'), 1)) return undefined;
    return { kind: 'bnpad', pad: at, add: addAt, size };
  }

  function isConstFill(expand: IrNode | undefined, value: number): boolean {
    const data = expand && constOf.get(expand.inputs[0]!);
    return data !== undefined && data.length === 1 && Number(data[0]) === value;
  }

  function convStepOf(n: IrNode): ConvStep | undefined {
    const [x, w, b] = n.inputs;
    if (!paramOf.has(w!) || (b !== undefined && !paramOf.has(b))) return undefined;
    const a = n.attrs as { stride: [number, number]; pads: [number, number, number, number]; dilation: [number, number]; groups: number };
    const ws = shape(w!);
    return { kernel: [ws[2]!, ws[3]!], stride: a.stride, pads: a.pads, dilation: a.dilation, groups: a.groups, inChannels: shape(x!)[1]!, outChannels: ws[0]!, bias: b !== undefined };
  }

  function builtMacs(steps: readonly Step[]): number {
    return steps.reduce((s, st) => {
      if (st.kind !== 'conv') return s;
      const n = graph.nodes[st.node]!;
      const w = shape(n.inputs[1]!);
      return s + numel(shape(n.outputs[0]!)) * w[1]! * w[2]! * w[3]!;
    }, 0);
  }

  function foldedMacs(form: ConvForm, out: number): number {
    return numel(shape(out)) * macsPerOutput(form);
  }

  // ---- rewrite ----------------------------------------------------------------------------------
  const nodes: (IrNode | undefined)[] = [...graph.nodes];
  const values = [...graph.values];
  const newParams: IrParam[] = [];
  const outValues = new Map<string, Float32Array>();
  let replaced = 0;
  for (const c of chains) {
    const { w, b, form } = compose(c, graph, params, paramOf);
    const firstConv = graph.nodes[(c.steps[0] as { node: number }).node]!;
    const wp = paramOf.get(firstConv.inputs[1]!)!;
    const wId = values.length;
    values.push({ id: wId, shape: [form.outChannels, form.inChannels / form.groups, form.kernel[0], form.kernel[1]], dtype: 'float32' });
    const bId = values.length;
    values.push({ id: bId, shape: [form.outChannels], dtype: 'float32' });
    const wName = `${wp.name}.folded`;
    const bName = `${wp.name.replace(/weight$/, 'bias')}.folded`;
    newParams.push({ name: wName, value: wId, init: wp.init, role: 'weight' }, { name: bName, value: bId, init: { kind: 'const', value: 0 }, role: 'bias' });
    outValues.set(wName, Float32Array.from(w));
    outValues.set(bName, Float32Array.from(b));
    const lastAt = Math.max(...c.steps.flatMap(stepNodes));
    for (const s of c.steps) for (const k of stepNodes(s)) nodes[k] = undefined;
    nodes[lastAt] = {
      op: 'conv2d',
      inputs: [c.input, wId, bId],
      outputs: [c.output],
      attrs: { stride: [...form.stride], pads: [...form.pads], dilation: [1, 1], groups: form.groups },
      scope: firstConv.scope,
    };
    replaced += c.steps.reduce((s, st) => s + stepNodes(st).length, 0);
  }

  const pruned = pruneGraph({ ...graph, values, nodes: nodes.filter((n): n is IrNode => n !== undefined), params: [...graph.params, ...newParams] });
  const used = new Set<number>(pruned.nodes.flatMap((n) => n.inputs));
  for (const o of pruned.outputs) used.add(o.value);
  const allParams = pruned.params.filter((p) => used.has(p.value));
  for (const p of allParams) if (!outValues.has(p.name)) outValues.set(p.name, params.get(p.name)!);
  return { graph: { ...pruned, params: allParams }, params: outValues, chains: chains.length, replaced };
}

function stepNodes(s: Step): number[] {
  return s.kind === 'bnpad' ? [s.pad, s.add] : [s.node];
}

/** The chain's folded weights [Co, Ci/g, KH, KW] and bias, in float64. */
function compose(c: Chain, graph: IrGraph, params: ReadonlyMap<string, Float32Array>, paramOf: ReadonlyMap<number, IrParam>): { w: Float64Array; b: Float64Array; form: ConvForm } {
  const value = (v: number): Float32Array => {
    const p = paramOf.get(v);
    const data = p && params.get(p.name);
    if (!data) throw new Error(`fold-linear-chains: no value for parameter ${p?.name ?? `#${v}`}`);
    return data;
  };
  let w: Float64Array = new Float64Array(0);
  let b: Float64Array = new Float64Array(0);
  let f: ConvForm | undefined;
  c.steps.forEach((s, k) => {
    const next = c.forms[k]!;
    if (s.kind === 'conv') {
      const n = graph.nodes[s.node]!;
      const w2 = value(n.inputs[1]!);
      const b2 = n.inputs[2] === undefined ? undefined : value(n.inputs[2]);
      const ws = graph.values[n.inputs[1]!]!.shape as [number, number, number, number];
      const groups = (n.attrs as { groups: number }).groups;
      if (!f) {
        w = Float64Array.from(w2);
        b = b2 ? Float64Array.from(b2) : new Float64Array(ws[0]);
      } else {
        [w, b] = composeConv(w, b, f, w2, b2, ws, groups, next);
      }
    } else if (s.kind === 'bn') {
      const n = graph.nodes[s.node]!;
      const [gamma, beta, mean, variance] = n.inputs.slice(1).map(value) as [Float32Array, Float32Array, Float32Array, Float32Array];
      const eps = (n.attrs as { eps: number }).eps;
      const per = w.length / b.length;
      for (let o = 0; o < b.length; o++) {
        const sc = gamma[o]! / Math.sqrt(variance[o]! + eps);
        for (let k2 = o * per; k2 < (o + 1) * per; k2++) w[k2]! *= sc;
        b[o] = sc * (b[o]! - mean[o]!) + beta[o]!;
      }
    }
    // bnpad: the fill BN(0) is what the folded conv gives on the zero-padded input; only the form changes
    f = next;
  });
  return { w, b, form: f! };
}

/**
 * conv₂ ∘ (the chain so far): K[o, i, q·s₁ + u] = Σ_c W₂[o, c, q] · W₁[c, i, u] over the channels c
 * of o's group, and b[o] = b₂[o] + Σ_{c,q} W₂[o, c, q] · b₁[c]. The result is dense (groups 1).
 */
function composeConv(
  w1: Float64Array,
  b1: Float64Array,
  f1: ConvForm,
  w2: Float32Array,
  b2: Float32Array | undefined,
  ws2: readonly [number, number, number, number],
  g2: number,
  f: ConvForm,
): [Float64Array, Float64Array] {
  const [co2, cpg2, k2h, k2w] = ws2;
  const [k1h, k1w] = f1.kernel;
  const [s1h, s1w] = f1.stride;
  const ci = f1.inChannels;
  const cpg1 = ci / f1.groups; // input channels per group of the chain so far
  const co1PerG1 = f1.outChannels / f1.groups;
  const [kh, kw] = f.kernel;
  const w = new Float64Array(co2 * ci * kh * kw);
  const b = new Float64Array(co2);
  const co2PerG2 = co2 / g2;
  for (let o = 0; o < co2; o++) {
    const c0 = Math.floor(o / co2PerG2) * cpg2;
    let bias = b2 ? b2[o]! : 0;
    for (let cc = 0; cc < cpg2; cc++) {
      const c = c0 + cc;
      const i0 = Math.floor(c / co1PerG1) * cpg1;
      for (let qh = 0; qh < k2h; qh++) {
        for (let qw = 0; qw < k2w; qw++) {
          const a = w2[((o * cpg2 + cc) * k2h + qh) * k2w + qw]!;
          if (a === 0) continue;
          bias += a * b1[c]!;
          if (k2h === 1 && k2w === 1) {
            // a pointwise conv₂ keeps the kernel: one contiguous axpy over c's whole filter
            const len = cpg1 * k1h * k1w;
            const src = c * len;
            const dst = (o * ci + i0) * kh * kw;
            for (let k = 0; k < len; k++) w[dst + k]! += a * w1[src + k]!;
            continue;
          }
          for (let ii = 0; ii < cpg1; ii++) {
            const src = (c * cpg1 + ii) * k1h * k1w;
            const dst = (o * ci + i0 + ii) * kh * kw;
            for (let uh = 0; uh < k1h; uh++) {
              const row = dst + (qh * s1h + uh) * kw + qw * s1w;
              const srow = src + uh * k1w;
              for (let uw = 0; uw < k1w; uw++) w[row + uw]! += a * w1[srow + uw]!;
            }
          }
        }
      }
    }
    b[o] = bias;
  }
  return [w, b];
}
