/**
 * Inference-only: folds each chain of linear operators with no nonlinearity between them — conv,
 * average pool (count_include_pad), BatchNorm with frozen statistics, a constant scale, BN-and-pad
 * (RepConv's BN padded with BN(0)), and the add of two such chains that read the same input — into
 * one conv whose weights are the composition, computed in float64 and rounded once. Which chains
 * compose exactly is `linear-form.ts`'s rule, the one the value-kind analysis uses to call a chain
 * on spikes spike-driven, so the model this pass emits is the model the analysis describes.
 *
 * Two modes. `all` folds every chain into one operator: the deployed form, where RepConv is one
 * 3×3 conv that reads spikes. `cheaper` folds a layer into the chain only where the folded conv does
 * no more MACs than the layers it replaces (a BN always; a 1×1 after a 1×1 of no fewer channels; a
 * 3×3 and a 1×1 branch into one 3×3), since composing a depthwise and a pointwise conv gives a dense
 * one with many more MACs.
 */
import { indexGraph } from '../ir/graph-index.js';
import type { IrGraph, IrNode, IrParam } from '../ir/types.js';
import { numel } from '../tensor.js';
import { pruneGraph } from './prune.js';
import { macsPerOutput, poolStep, sameOutputSize, startForm, sumOffsets, withAffine, withBnPad, withConv, withScale, withSum, type ConvForm, type ConvStep } from './linear-form.js';

export type FoldMode = 'all' | 'cheaper';

export interface LinearFoldResult {
  readonly graph: IrGraph;
  /** The values of the parameters the folded graph uses: the untouched ones and the folded. */
  readonly params: Map<string, Float32Array>;
  /** Chains folded, and the operators they replaced (convs, pools, BNs, scales, pads, adds). */
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
/** The add of two chains from the same input: always a chain's first step. */
interface SumStep {
  readonly kind: 'sum';
  readonly node: number;
  readonly a: Chain;
  readonly b: Chain;
}
type Step = { readonly kind: 'conv' | 'pool' | 'bn' | 'scale'; readonly node: number } | BnPadStep | SumStep;

interface Chain {
  readonly steps: Step[];
  /** The folded conv's form after each step. */
  readonly forms: ConvForm[];
  readonly input: number;
  output: number;
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
  /** The chain ending at value v, if only one op reads v and v is no graph output: then it may go on. */
  const endingAt = new Map<number, Chain>();
  const open = (v: number | undefined): Chain | undefined => (v !== undefined && uses.get(v) === 1 && !isOutput.has(v) ? endingAt.get(v) : undefined);

  // one walk in the graph's (topological) order: each op extends the chain that ends at its input,
  // joins two chains from one input, or starts a chain
  const live = new Set<Chain>();
  const taken = new Set<number>();
  graph.nodes.forEach((n, i) => {
    if (taken.has(i)) return;
    if (extend(n, i)) return;
    if (n.op === 'add' && join(n, i)) return;
    const first = startStepOf(n);
    const f0 = first && startForm(first.step, mapSize(n.inputs[0]!));
    if (!first || !f0) return;
    const chain: Chain = { steps: [{ kind: first.kind, node: i }], forms: [f0], input: n.inputs[0]!, output: n.outputs[0]! };
    live.add(chain);
    endingAt.set(chain.output, chain);
  });
  const chains = [...live].filter((c) => c.steps.length >= 2 || c.steps[0]!.kind === 'sum');

  /** Adds op `n` to the chain ending at its input, where that composes exactly (and, in `cheaper`, saves MACs). */
  function extend(n: IrNode, at: number): boolean {
    const v = n.inputs[0];
    const c = open(v);
    if (!c || v === undefined) return false;
    const f = c.forms.at(-1)!;
    let step: Step | undefined;
    let form: ConvForm | undefined;
    if (n.op === 'batchnorm' && shape(v).length === 4 && n.inputs.slice(1).every((p) => paramOf.has(p))) {
      [step, form] = [{ kind: 'bn', node: at }, withAffine(f)];
    } else if (n.op === 'scale' && shape(v).length === 4) {
      [step, form] = [{ kind: 'scale', node: at }, withScale(f)];
    } else if (n.op === 'pad') {
      const bp = bnPadAt(c, at);
      const before = c.forms.at(-2);
      if (bp && before) [step, form] = [bp, withBnPad(before, bp.size)];
    } else {
      const s = startStepOf(n);
      if (s) [step, form] = [{ kind: s.kind, node: at }, withConv(f, s.step)];
    }
    const out = step && (step.kind === 'bnpad' ? graph.nodes[step.add]!.outputs[0]! : n.outputs[0]!);
    if (!step || !form || out === undefined || !fits(form, c.input, out)) return false;
    if (mode === 'cheaper' && foldedMacs(form, out) > builtMacs([...c.steps, step])) return false;
    c.steps.push(step);
    c.forms.push(form);
    c.output = out;
    endingAt.set(out, c);
    if (step.kind === 'bnpad') taken.add(step.add);
    return true;
  }

  /** The add of two chains that read the same input, as one chain (RepVGG's branches). */
  function join(n: IrNode, at: number): boolean {
    const [va, vb] = n.inputs;
    const [a, b] = [open(va), open(vb)];
    const out = n.outputs[0]!;
    if (!a || !b || a === b || a.input !== b.input || n.inputs.length !== 2) return false;
    if (![va!, vb!].every((v) => shape(v).length === 4 && shape(v).every((d, k) => d === shape(out)[k]))) return false;
    const form = withSum(a.forms.at(-1)!, b.forms.at(-1)!);
    if (!form || !fits(form, a.input, out)) return false;
    const step: SumStep = { kind: 'sum', node: at, a, b };
    if (mode === 'cheaper' && foldedMacs(form, out) > builtMacs([step])) return false;
    const c: Chain = { steps: [step], forms: [form], input: a.input, output: out };
    live.delete(a);
    live.delete(b);
    live.add(c);
    endingAt.set(out, c);
    return true;
  }

  /** The folded conv must give the chain's own output size (a guard: linear-form's compositions always do). */
  function fits(form: ConvForm, input: number, out: number): boolean {
    const [xs, ys] = [shape(input), shape(out)];
    return xs.length === 4 && ys.length === 4 && sameOutputSize(form, [xs[2]!, xs[3]!], [ys[2]!, ys[3]!]);
  }

  function mapSize(v: number): [number, number] {
    const s = shape(v);
    return [s[2] ?? 0, s[3] ?? 0];
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

  /** A conv with parameter weights, or an average pool that counts its padding: the ops a chain can start with. */
  function startStepOf(n: IrNode): { kind: 'conv' | 'pool'; step: ConvStep } | undefined {
    if (n.op === 'conv2d') {
      const step = convStepOf(n);
      return step && { kind: 'conv', step };
    }
    if (n.op !== 'avgpool2d') return undefined;
    const a = n.attrs as { kernel: [number, number]; stride: [number, number]; pads: [number, number, number, number]; countIncludePad?: boolean };
    const x = shape(n.inputs[0]!);
    if (a.countIncludePad === false || x.length !== 4) return undefined;
    return { kind: 'pool', step: poolStep(a.kernel, a.stride, a.pads, x[1]!) };
  }

  function convStepOf(n: IrNode): ConvStep | undefined {
    const [x, w, b] = n.inputs;
    if (!paramOf.has(w!) || (b !== undefined && !paramOf.has(b))) return undefined;
    const a = n.attrs as { stride: [number, number]; pads: [number, number, number, number]; dilation: [number, number]; groups: number };
    const ws = shape(w!);
    return { kernel: [ws[2]!, ws[3]!], stride: a.stride, pads: a.pads, dilation: a.dilation, groups: a.groups, inChannels: shape(x!)[1]!, outChannels: ws[0]!, bias: b !== undefined };
  }

  /** MACs of the steps as built: a conv's products, a pool's window sums; BNs, scales and adds are per element and not counted. */
  function builtMacs(steps: readonly Step[]): number {
    return steps.reduce((s, st) => {
      if (st.kind === 'sum') return s + builtMacs(st.a.steps) + builtMacs(st.b.steps);
      if (st.kind !== 'conv' && st.kind !== 'pool') return s;
      const n = graph.nodes[st.node]!;
      if (st.kind === 'pool') {
        const k = (n.attrs as { kernel: [number, number] }).kernel;
        return s + numel(shape(n.outputs[0]!)) * k[0] * k[1];
      }
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
    const first = graph.nodes[firstNode(c)]!;
    // named after the chain's first conv (a pool-only chain after its scope), so a fold's weights are found by name
    const conv = firstConv(c);
    const wp = conv === undefined ? undefined : paramOf.get(graph.nodes[conv]!.inputs[1]!);
    const wBase = wp?.name ?? `${first.scope === '' ? 'pool' : first.scope}.weight`;
    const wId = values.length;
    values.push({ id: wId, shape: [form.outChannels, form.inChannels / form.groups, form.kernel[0], form.kernel[1]], dtype: 'float32' });
    const bId = values.length;
    values.push({ id: bId, shape: [form.outChannels], dtype: 'float32' });
    const wName = `${wBase}.folded`;
    const bName = `${wBase.replace(/weight$/, 'bias')}.folded`;
    newParams.push({ name: wName, value: wId, init: wp?.init ?? { kind: 'const', value: 0 }, role: 'weight' }, { name: bName, value: bId, init: { kind: 'const', value: 0 }, role: 'bias' });
    outValues.set(wName, Float32Array.from(w));
    outValues.set(bName, Float32Array.from(b));
    const all = chainNodes(c);
    const lastAt = Math.max(...all);
    for (const k of all) nodes[k] = undefined;
    nodes[lastAt] = {
      op: 'conv2d',
      inputs: [c.input, wId, bId],
      outputs: [c.output],
      attrs: { stride: [...form.stride], pads: [...form.pads], dilation: [1, 1], groups: form.groups },
      // the scope of the chain's first layer, where the analysis places the fold
      scope: first.scope,
    };
    replaced += all.length;
  }

  const pruned = pruneGraph({ ...graph, values, nodes: nodes.filter((n): n is IrNode => n !== undefined), params: [...graph.params, ...newParams] });
  const used = new Set<number>(pruned.nodes.flatMap((n) => n.inputs));
  for (const o of pruned.outputs) used.add(o.value);
  const allParams = pruned.params.filter((p) => used.has(p.value));
  for (const p of allParams) if (!outValues.has(p.name)) outValues.set(p.name, params.get(p.name)!);
  return { graph: { ...pruned, params: allParams }, params: outValues, chains: chains.length, replaced };
}

/** The IR nodes a chain replaces (a sum's add and both its chains). */
function chainNodes(c: Chain): number[] {
  return c.steps.flatMap((s) => (s.kind === 'bnpad' ? [s.pad, s.add] : s.kind === 'sum' ? [s.node, ...chainNodes(s.a), ...chainNodes(s.b)] : [s.node]));
}

/** The chain's first op in the graph's order. */
function firstNode(c: Chain): number {
  return Math.min(...chainNodes(c));
}

/** The chain's first conv, depth first (a sum: its first chain's, then its second's). */
function firstConv(c: Chain): number | undefined {
  for (const s of c.steps) {
    if (s.kind === 'conv') return s.node;
    if (s.kind === 'sum') {
      const k = firstConv(s.a) ?? firstConv(s.b);
      if (k !== undefined) return k;
    }
  }
  return undefined;
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
    if (s.kind === 'conv' || s.kind === 'pool') {
      const n = graph.nodes[s.node]!;
      const { w: w2, b: b2, shape: ws, groups } = s.kind === 'conv' ? convWeights(n, graph, value) : poolWeights(n, graph);
      if (!f) {
        w = Float64Array.from(w2);
        b = b2 ? Float64Array.from(b2) : new Float64Array(ws[0]);
      } else {
        [w, b] = composeConv(w, b, f, w2, b2, ws, groups, next);
      }
    } else if (s.kind === 'sum') {
      [w, b] = addChains(compose(s.a, graph, params, paramOf), compose(s.b, graph, params, paramOf), next);
    } else if (s.kind === 'scale') {
      const factor = (graph.nodes[s.node]!.attrs as { factor: number }).factor;
      for (let k2 = 0; k2 < w.length; k2++) w[k2]! *= factor;
      for (let o = 0; o < b.length; o++) b[o]! *= factor;
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

interface Weights {
  readonly w: ArrayLike<number>;
  readonly b: Float32Array | undefined;
  readonly shape: readonly [number, number, number, number];
  readonly groups: number;
}

function convWeights(n: IrNode, graph: IrGraph, value: (v: number) => Float32Array): Weights {
  return {
    w: value(n.inputs[1]!),
    b: n.inputs[2] === undefined ? undefined : value(n.inputs[2]),
    shape: graph.values[n.inputs[1]!]!.shape as [number, number, number, number],
    groups: (n.attrs as { groups: number }).groups,
  };
}

/** An average pool as its depthwise conv: every weight 1/(kh·kw). */
function poolWeights(n: IrNode, graph: IrGraph): Weights {
  const [kh, kw] = (n.attrs as { kernel: [number, number] }).kernel;
  const c = graph.values[n.inputs[0]!]!.shape[1]!;
  return { w: new Float64Array(c * kh * kw).fill(1 / (kh * kw)), b: undefined, shape: [c, 1, kh, kw], groups: c };
}

/** Two chains' kernels, each placed at its offset in the sum's kernel (dense where their groups differ), and their biases added. */
function addChains(a: { w: Float64Array; b: Float64Array; form: ConvForm }, b: { w: Float64Array; b: Float64Array; form: ConvForm }, sum: ConvForm): [Float64Array, Float64Array] {
  const [kh, kw] = sum.kernel;
  const cpg = sum.inChannels / sum.groups;
  const w = new Float64Array(sum.outChannels * cpg * kh * kw);
  for (const part of [a, b]) {
    const [oh, ow] = sumOffsets(sum, part.form);
    const [ph, pw] = part.form.kernel;
    const partCpg = part.form.inChannels / part.form.groups;
    const outPerGroup = part.form.outChannels / part.form.groups;
    for (let o = 0; o < sum.outChannels; o++) {
      // part's input channel j of o's group is input channel i0 + j; in the sum's layout, channel i − (o's group start there)
      const i0 = Math.floor(o / outPerGroup) * partCpg;
      const s0 = Math.floor(o / (sum.outChannels / sum.groups)) * cpg;
      for (let j = 0; j < partCpg; j++) {
        const dst = (o * cpg + (i0 + j - s0)) * kh * kw;
        const src = (o * partCpg + j) * ph * pw;
        for (let u = 0; u < ph; u++) for (let v = 0; v < pw; v++) w[dst + (oh + u) * kw + ow + v]! += part.w[src + u * pw + v]!;
      }
    }
  }
  return [w, Float64Array.from(a.b, (x, o) => x + b.b[o]!)];
}

/**
 * conv₂ ∘ (the chain so far): K[o, i, q·s₁ + u] = Σ_c W₂[o, c, q] · W₁[c, i, u] over the channels c
 * of o's group, and b[o] = b₂[o] + Σ_{c,q} W₂[o, c, q] · b₁[c]. The result is dense (groups 1).
 */
function composeConv(
  w1: Float64Array,
  b1: Float64Array,
  f1: ConvForm,
  w2: ArrayLike<number>,
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
