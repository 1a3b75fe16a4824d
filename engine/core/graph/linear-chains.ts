/**
 * What the deployed model computes where the training graph has chains of linear layers with no
 * neuron between them. Such a chain (conv, average pool, BN, BN-and-pad, and the add of two chains
 * that read the same input) re-parameterises into one convolution,
 * and when its first layer reads binary spikes so does that convolution: the chain is spike-driven
 * as a whole (RepConv's depthwise and pointwise convs read analog values only while training).
 * The chains are exactly the ones inference folds (`optimize/fold-linear-chains.ts`): both ask
 * `optimize/linear-form.ts` whether one more layer composes.
 *
 * Also here: the number of ACs a layer fed spike counts performs per input (a count of k is k
 * accumulates of the same weight), where the graph bounds it.
 */
import { decorateNodePath } from '../document/load.js';
import { finding, type Problem } from '../problems.js';
import { numel, type TensorType } from '../tensor.js';
import { describeForm, macsPerOutput, poolStep, sameOutputSize, startForm, withAffine, withBnPad, withConv, withSum, type ConvForm, type ConvStep } from '../optimize/linear-form.js';
import { flatKey, flattenAnalysis, readersOf, type FlatGraph, type FlatNode, type FlatRef } from './flatten.js';
import type { BodyInfo } from './infer.js';

export interface FoldedChain {
  /** Node-id paths of the chain's layers, in order (document node first in each). */
  readonly layers: readonly (readonly string[])[];
  readonly form: ConvForm;
  /** `RepConv "q_conv" and "q_bn" fold to one 3×3 conv, 384→384, on spikes` */
  readonly text: string;
  /** Per sample over all T: the chain's MACs as built (training) and as the one folded conv. */
  readonly builtMacs: number;
  readonly foldedMacs: number;
  /** Each layer's MACs as built, in the order of `layers`. */
  readonly layerMacs: readonly number[];
}

export interface DeployedView {
  /** Every chain from spikes with two or more convolutions (a single conv + BN is already one op). */
  readonly chains: readonly FoldedChain[];
  /** The analysis's findings with those true only of the training graph replaced. */
  readonly problems: Problem[];
  /** MACs of the deployed (folded) model, and of them those on binary spikes. */
  readonly macs: number;
  readonly spikeMacs: number;
}

export function deployedView(body: BodyInfo, timeSteps: number, problems: readonly Problem[], built: { macs: number; spikeMacs: number }): DeployedView {
  const g = flattenAnalysis(body);
  const chains = findChains(g, timeSteps);
  let macs = built.macs;
  let spikeMacs = built.spikeMacs;
  const replaced = new Map<string, FoldedChain>();
  const folded: FoldedChain[] = [];
  for (const c of chains) {
    // a single conv (+ BN) is the same MACs either way, and a lone pool is no synapse: only chains of two or more fold
    if (c.form.convs < 2) continue;
    macs += c.foldedMacs - c.builtMacs;
    spikeMacs += c.foldedMacs - c.members.reduce((s, m) => s + m.info.spikeMacs, 0);
    const chain = describeChain(c);
    folded.push(chain);
    for (const m of c.members) replaced.set(flatKey(m.ids), chain);
  }
  const bounds = countBounds(g);
  const out: Problem[] = [];
  const placed = new Set<FoldedChain>();
  for (const p of problems) {
    const key = p.nodeId === undefined ? undefined : flatKey([p.nodeId, ...(p.inner ?? [])]);
    const chain = key === undefined ? undefined : replaced.get(key);
    if (chain && p.code === 'not-spike-driven') {
      if (!placed.has(chain)) out.push(chainFinding(chain, g));
      placed.add(chain);
      continue;
    }
    if (key !== undefined && p.code === 'macs-on-counts' && bounds.has(key)) {
      out.push({ ...p, message: countsText(bounds.get(key)) });
      continue;
    }
    out.push(p);
  }
  for (const c of folded) if (!placed.has(c)) out.push(chainFinding(c, g));
  return { chains: folded, problems: out, macs, spikeMacs };
}

/**
 * What folding changes per node, keyed by its dotted path through composites (`stage1.rep.c1`):
 * each chain's folded MACs go to the node holding its first layer (and each composite around it),
 * and its layers' MACs as built come off the nodes holding them. A node's deployed MACs are its
 * MACs plus this change; a node no chain touches is absent.
 */
export function foldedMacsChange(chains: readonly FoldedChain[]): Map<string, number> {
  const change = new Map<string, number>();
  const add = (ids: readonly string[], d: number) => {
    for (let k = 1; k <= ids.length; k++) {
      const key = ids.slice(0, k).join('.');
      change.set(key, (change.get(key) ?? 0) + d);
    }
  };
  for (const c of chains) {
    c.layers.forEach((ids, k) => add(ids, -c.layerMacs[k]!));
    add(c.layers[0]!, c.foldedMacs);
  }
  return change;
}

/** The finding's text for a layer fed spike counts bounded by `k` (undefined: no bound known). */
export function countsText(k: number | undefined): string {
  const bound = k === undefined ? 'a count per input, not a spike; no bound is known here' : `up to ${k} ACs per input`;
  return `accumulates counts (${bound}): it reads spike counts, not binary spikes`;
}

// ---- chains -----------------------------------------------------------------------------------

interface Chain {
  members: FlatNode[];
  form: ConvForm;
  builtMacs: number;
  foldedMacs: number;
  /** What the chain's first layers read. */
  readonly input: FlatRef;
}

/** Adds of analog values: the join of two chains when both read the same input. */
const isSum = (n: FlatNode): boolean => n.info.block.id === 'membrane_add' || (n.info.block.id === 'sew' && n.info.params.mode === 'add');

function findChains(g: FlatGraph, timeSteps: number): Chain[] {
  const at = new Map<FlatNode, Chain>();
  const live = new Set<Chain>();
  /** The chain whose last layer gives `ref`, where this layer alone reads it: a chain goes on only from there. */
  const open = (ref: FlatRef | undefined): Chain | undefined => {
    const c = ref?.node && readersOf(g, ref) === 1 ? at.get(ref.node) : undefined;
    return c && c.members.at(-1) === ref!.node ? c : undefined;
  };
  const sameRef = (a: FlatRef, b: FlatRef) => a.node === b.node && a.port === b.port;
  const order = new Map(g.nodes.map((n, k) => [n, k]));
  for (const n of g.nodes) {
    const tail = open(n.inputs.in);
    const id = n.info.block.id;
    const step = id === 'conv2d' ? convStep(n) : id === 'avgpool2d' ? poolStepOf(n) : undefined;
    let form: ConvForm | undefined;
    if (tail && step) form = withConv(tail.form, step);
    else if (tail && id === 'batchnorm2d') form = withAffine(tail.form);
    else if (tail && id === 'bn_pad') form = withBnPad(tail.form, Number(n.info.params.pad ?? 1));
    // the folded conv must give the chain's own output size (a guard: linear-form's compositions always do)
    const fits = (c: Chain, f: ConvForm) => sameOutputSize(f, hw(inputType(c)), hw(n.info.outputs.out!));
    let chain: Chain | undefined;
    if (tail && form && fits(tail, form)) chain = extend(tail, n, form);
    else if (isSum(n)) chain = join(n);
    if (!chain && step && n.info.inputs.in?.kind === 'spikes' && n.inputs.in) {
      const f = startForm(step, hw(n.info.inputs.in));
      if (f) live.add((chain = { members: [n], form: f, builtMacs: n.info.macs, foldedMacs: 0, input: n.inputs.in }));
    }
    if (!chain) continue;
    at.set(n, chain);
    chain.foldedMacs = elements(n.info.outputs.out!, timeSteps) * macsPerOutput(chain.form);
  }
  return [...live];

  function join(n: FlatNode): Chain | undefined {
    const [a, b] = [open(n.inputs.a), open(n.inputs.b)];
    if (!a || !b || a === b || !sameRef(a.input, b.input)) return undefined;
    const form = withSum(a.form, b.form);
    if (!form || !sameOutputSize(form, hw(inputType(a)), hw(n.info.outputs.out!))) return undefined;
    live.delete(a);
    live.delete(b);
    // layers in the graph's order, as the fold pass meets them (it names the fold after the first)
    const members = [...a.members, ...b.members].sort((x, y) => order.get(x)! - order.get(y)!);
    const c: Chain = { members: [...members, n], form, builtMacs: a.builtMacs + b.builtMacs + n.info.macs, foldedMacs: 0, input: a.input };
    live.add(c);
    return c;
  }
}

/** The type a chain's first layer reads. */
function inputType(c: Chain): TensorType {
  return c.members[0]!.info.inputs.in!;
}

function poolStepOf(n: FlatNode): ConvStep | undefined {
  const x = n.info.inputs.in;
  if (!x || x.shape.length !== 3) return undefined;
  const p = n.info.params as { kernel: number | number[]; stride?: number | number[]; padding: number | number[] };
  const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0]!, v[1] ?? v[0]!] : [v, v]);
  const [ph, pw] = pair(p.padding);
  return poolStep(pair(p.kernel), pair(p.stride ?? p.kernel), [ph, pw, ph, pw], x.shape[0]!);
}

/** The [H, W] of a [C, H, W] map. */
function hw(t: TensorType): [number, number] {
  return [t.shape[1]!, t.shape[2]!];
}

function extend(c: Chain, n: FlatNode, form: ConvForm): Chain {
  c.members.push(n);
  c.form = form;
  c.builtMacs += n.info.macs;
  return c;
}

function convStep(n: FlatNode): ConvStep | undefined {
  const x = n.info.inputs.in;
  const y = n.info.outputs.out;
  if (!x || !y) return undefined;
  const p = n.info.params as { kernel: number | number[]; stride: number | number[]; padding: number | number[]; groups: number; bias: boolean; outChannels: number };
  const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0]!, v[1] ?? v[0]!] : [v, v]);
  const [ph, pw] = pair(p.padding);
  return { kernel: pair(p.kernel), stride: pair(p.stride), pads: [ph, pw, ph, pw], groups: p.groups, inChannels: x.shape[0]!, outChannels: p.outChannels, bias: p.bias };
}

function elements(t: TensorType, timeSteps: number): number {
  return numel(t.shape) * (t.timed ? timeSteps : 1);
}

function describeChain(c: Chain): FoldedChain {
  const convs = c.members.filter((m) => m.info.block.id === 'conv2d' || m.info.block.id === 'avgpool2d');
  // the innermost composite holding every conv of the chain names it when all of its layers fold
  const depth = commonDepth(convs.map((m) => m.ids.slice(0, -1)));
  const holder = depth > 0 ? convs[0]!.ancestors[depth - 1] : undefined;
  const prefix = convs[0]!.ids.slice(0, depth);
  const inside = (m: FlatNode) => m.ids.length > depth && sameHead(m.ids, prefix, depth);
  const whole = holder?.inner !== undefined && c.members.filter(inside).length === countPrimitives(holder.inner);
  const others = whole ? c.members.filter((m) => !inside(m)) : c.members;
  const named = others.map((m) => `"${m.ids.at(-1)}"`);
  // a sum's layers are two branches, not one line
  const subject = whole ? [`${holder.block.label} "${holder.id}"`, ...named].join(named.length > 0 ? ' and ' : '') : named.join(c.members.some(isSum) ? ', ' : ' → ');
  const text = `${subject} fold${whole && named.length === 0 ? 's' : ''} to one ${describeForm(c.form)}, on spikes: spike-driven once folded (${mega(c.foldedMacs)} MACs folded, ${mega(c.builtMacs)} as built)`;
  return { layers: c.members.map((m) => m.ids), form: c.form, text, builtMacs: c.builtMacs, foldedMacs: c.foldedMacs, layerMacs: c.members.map((m) => m.info.macs) };
}

function commonDepth(paths: readonly (readonly string[])[]): number {
  let d = 0;
  while (paths.every((p) => p.length > d && p[d] === paths[0]![d])) d++;
  return d;
}

function sameHead(a: readonly string[], b: readonly string[], n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function countPrimitives(body: BodyInfo): number {
  return body.nodes.reduce((s, n) => s + (n.inner ? countPrimitives(n.inner) : n.block.id === 'input' || n.block.id === 'output' ? 0 : 1), 0);
}

function mega(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n);
}

/** Located at the chain's first layer, in the form the analysis gives inner findings. */
function chainFinding(c: FoldedChain, g: FlatGraph): Problem {
  const first = g.nodes.find((n) => flatKey(n.ids) === flatKey(c.layers[0]!))!;
  const levels = first.ids.map((id, d) => decorateNodePath(`nodes[${first.indices[d]}]`, id));
  const inside = first.ids.length > 1 ? { inner: first.ids.slice(1), innerPath: levels.slice(1) } : {};
  return finding('folds-on-spikes', { path: levels[0]!, nodeId: first.ids[0]!, ...inside, message: c.text });
}

// ---- count bounds -------------------------------------------------------------------------------

/** Blocks whose output is one of their input's values, moved or selected: a count stays in bound. */
const SELECTING = new Set(['maxpool2d', 'flatten', 'tokens', 'untokens', 'untokens_like', 'reshape', 'dropout']);

/** For each synaptic layer fed counts, by flat key: the largest count it can read (undefined: unbounded here). */
function countBounds(g: FlatGraph): Map<string, number | undefined> {
  const bound = new Map<FlatNode, number | undefined>();
  const of = (ref: FlatRef | undefined): number | undefined => {
    if (!ref?.node) return undefined;
    const t = ref.node.info.outputs[ref.port];
    if (t?.kind === 'spikes') return 1;
    return t?.kind === 'counts' ? bound.get(ref.node) : undefined;
  };
  const out = new Map<string, number | undefined>();
  for (const n of g.nodes) {
    const id = n.info.block.id;
    const ins = Object.values(n.inputs);
    if (id === 'sew' && n.info.params.mode === 'add') {
      const [a, b] = [of(n.inputs.a), of(n.inputs.b)];
      bound.set(n, a === undefined || b === undefined ? undefined : a + b);
    } else if (SELECTING.has(id) && ins.length === 1) bound.set(n, of(ins[0]));
    if (n.info.synapticKind === 'counts') {
      const port = Object.entries(n.info.inputs).find(([, t]) => t.kind === 'counts')?.[0];
      out.set(flatKey(n.ids), port === undefined ? undefined : of(n.inputs[port]));
    }
  }
  return out;
}
