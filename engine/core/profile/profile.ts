/**
 * The profile of a document: per node (composites summing their insides) its parameters, dense
 * MACs, the activity of the spike tensors it reads and writes, NeuroBench's synaptic operations,
 * membrane updates, energy under each convention, activation memory and measured time. Costs come
 * from the analysis that `info` prints; only the activity and the times are measured. Where linear
 * chains on spikes fold (RepConv), rows also carry the deployed MACs, and the `paper` convention
 * charges the deployed model: each chain as its one folded conv, at its input's firing rate.
 */
import type { GraphDocument } from '../document/schema.js';
import type { GraphAnalysis, NodeInfo } from '../graph/infer.js';
import { foldedMacsChange, type FoldedChain } from '../graph/linear-chains.js';
import { numel, type ValueKind } from '../tensor.js';
import type { InferCtx } from '../blocks/types.js';
import { isMeasuredKind, mean, synapticPort, walkTensors, type ActivityMap } from './activity.js';
import { CONVENTIONS, DEFAULT_COSTS, energyPj, RULES, type AttentionInput, type Charge, type Convention, type EnergyCosts, type OperandActivity, type SynapticInput } from './conventions.js';

export interface TensorRate {
  readonly port: string;
  /** The tensor's canonical key (`producer path:port`). */
  readonly tensor: string;
  readonly kind: ValueKind;
  /** Mean value (firing rate for spikes) over steps; absent for analog/membrane values. */
  readonly rate?: number;
  readonly perStep?: readonly number[];
  readonly nonzero?: number;
}

export interface SynapticOps {
  readonly dense: number;
  readonly effMacs: number;
  readonly effAcs: number;
}

export interface ConventionEnergy extends Charge {
  readonly pj: number;
}

export interface ProfileRow {
  /** Dotted path through composites (`block1.attn.q_lif`). */
  readonly path: string;
  readonly id: string;
  readonly block: string;
  readonly depth: number;
  readonly params: number;
  /** Dense (ANN-equivalent) MACs per sample over all T. */
  readonly macs: number;
  /** MACs once linear chains on spikes fold into one conv each (the deployed model); only where that differs. */
  readonly foldedMacs?: number;
  readonly reads: readonly TensorRate[];
  readonly writes: readonly TensorRate[];
  readonly synaptic: SynapticOps;
  /** Neuron state updates per sample (neurons × T). */
  readonly membraneUpdates: number;
  /** 1 − nonzero fraction of the spikes this node's neurons write; absent without neurons. */
  readonly sparsity?: number;
  readonly energy: Readonly<Record<Convention, ConventionEnergy>>;
  /** Bytes of the tensors this node (and its inside) writes, per sample (float32). */
  readonly activationBytes: number;
  /** Measured ms per sample; absent when not timed. */
  readonly timeMs?: number;
  readonly children?: readonly ProfileRow[];
}

export interface ProfileTotals {
  readonly params: number;
  readonly macs: number;
  /** MACs of the deployed model: linear chains on spikes folded (equal to `macs` where nothing folds). */
  readonly foldedMacs: number;
  readonly synaptic: SynapticOps;
  readonly membraneUpdates: number;
  /** Over all neuron outputs: 1 − nonzero elements / elements (NeuroBench's activation sparsity). */
  readonly activationSparsity: number;
  /** Energy per sample in mJ under each convention, with the MACs and ACs behind it. */
  readonly energy: Readonly<Record<Convention, ConventionEnergy & { readonly mj: number }>>;
  readonly peakActivationBytes: number;
  /** Σ of every measured op's time, ms per sample (rows plus `unattributedMs`). */
  readonly timeMs?: number;
  /** Time in ops outside any document node (the final mean over T, output copies). */
  readonly unattributedMs?: number;
}

export interface Profile {
  readonly name: string;
  readonly timeSteps: number;
  readonly costs: EnergyCosts;
  readonly rows: readonly ProfileRow[];
  readonly totals: ProfileTotals;
}

export interface ProfileInputs {
  readonly activity: ActivityMap;
  /** ms per sample by IR scope (a document node's dotted path); '' for ops outside any node. */
  readonly times?: ReadonlyMap<string, number>;
  readonly costs?: EnergyCosts;
}

export function profileModel(doc: GraphDocument, analysis: GraphAnalysis, inputs: ProfileInputs): Profile {
  const costs = inputs.costs ?? DEFAULT_COSTS;
  const T = doc.timeSteps;
  const flat: ProfileRow[] = [];
  const direct = new Map<string, boolean>();
  const change = foldedMacsChange(analysis.foldedChains);
  const chainOf = new Map(analysis.foldedChains.flatMap((c) => c.layers.map((ids, k) => [ids.join('.'), { chain: c, first: k === 0 }] as const)));
  const kinds = new Map<string, { kind: ValueKind; timed: boolean }>();
  const rate = (key: string, port: string): TensorRate => {
    const t = kinds.get(key)!;
    const a = inputs.activity.get(key);
    if (a === undefined) return { port, tensor: key, kind: t.kind };
    // an analog value has no firing rate; NeuroBench still counts only its nonzero elements
    if (!isMeasuredKind(t.kind)) return { port, tensor: key, kind: t.kind, nonzero: mean(a.nonzeroPerStep) };
    return { port, tensor: key, kind: t.kind, rate: mean(a.perStep), perStep: a.perStep, nonzero: mean(a.nonzeroPerStep) };
  };

  walkTensors(
    analysis.body,
    '',
    new Map(),
    (t) => kinds.set(t.key, { kind: t.type.kind, timed: t.type.timed }),
    (node, path, ports) => {
      const reads = Object.entries(ports.inputs).map(([p, k]) => rate(k, p));
      const writes = Object.entries(ports.outputs).map(([p, k]) => rate(k, p));
      const isDirect = node.block.id === 'input' || node.block.category === 'encoders' || (synapticPort(node, ctxOf(doc)) === undefined && reads.some((r) => direct.get(r.tensor)));
      for (const w of writes) if (!direct.has(w.tensor)) direct.set(w.tensor, isDirect);
      if (node.block.id === 'input' || node.block.id === 'output') return;
      const depth = path.split('.').length - 1;
      if (node.inner) {
        const children = flat.filter((r) => r.depth === depth + 1 && r.path.startsWith(`${path}.`));
        flat.push(compositeRow(node, path, depth, reads, writes, children, inputs.times));
      } else {
        flat.push(leafRow(node, path, depth, reads, writes, { doc, T, costs, direct, times: inputs.times, chain: chainOf.get(path) }));
      }
    },
  );

  const rows = flat.filter((r) => r.depth === 0).map((r) => withFolded(r, change));
  return { name: doc.name, timeSteps: T, costs, rows, totals: totalsOf(analysis, rows, flat, costs, T, inputs.times) };
}

interface LeafCtx {
  readonly doc: GraphDocument;
  readonly T: number;
  readonly costs: EnergyCosts;
  readonly direct: ReadonlyMap<string, boolean>;
  readonly times: ReadonlyMap<string, number> | undefined;
  /** The folded chain this node is a layer of, and whether it is the first. */
  readonly chain: { readonly chain: FoldedChain; readonly first: boolean } | undefined;
}

function leafRow(node: NodeInfo, path: string, depth: number, reads: TensorRate[], writes: TensorRate[], c: LeafCtx): ProfileRow {
  const port = synapticPort(node, ctxOf(c.doc));
  const syn = port === undefined ? undefined : reads.find((r) => r.port === port);
  const charges = {} as Record<Convention, Charge>;
  let synaptic: SynapticOps = { dense: 0, effMacs: 0, effAcs: 0 };
  if (node.block.id === 'ssa_core' && node.macs > 0) {
    const a = attentionInput(node, reads);
    for (const conv of CONVENTIONS) charges[conv] = RULES[conv].attention(a);
    synaptic = { dense: node.macs, effMacs: charges.neurobench.macs, effAcs: charges.neurobench.acs };
  } else if (syn !== undefined && node.macs > 0) {
    const out = Object.values(node.outputs)[0];
    const s: SynapticInput = {
      macs: node.macs,
      kind: syn.kind,
      ...(syn.rate === undefined ? {} : { rate: syn.rate }),
      ...(syn.nonzero === undefined ? {} : { nonzero: syn.nonzero }),
      direct: c.direct.get(syn.tensor) === true,
      timeSteps: c.T,
      timed: out?.timed ?? true,
    };
    for (const conv of CONVENTIONS) charges[conv] = RULES[conv].synapse(s);
    synaptic = { dense: node.macs, effMacs: charges.neurobench.macs, effAcs: charges.neurobench.acs };
  } else {
    // arithmetic outside a synapse (softmax attention) is ANN work in every convention
    for (const conv of CONVENTIONS) charges[conv] = { macs: node.macs, acs: 0 };
  }
  if (c.chain) charges.paper = deployedCharge(c.chain, reads.find((r) => r.port === 'in'), c.T);
  const neuron = node.block.category === 'neurons';
  const membraneUpdates = neuron ? outputElements(node, c.T) : 0;
  const spikes = neuron ? writes.filter((w) => w.nonzero !== undefined) : [];
  const time = timeOf(path, c.times);
  return {
    path,
    id: node.id,
    block: node.block.id,
    depth,
    params: node.paramCount,
    macs: node.macs,
    reads,
    writes,
    synaptic,
    membraneUpdates,
    ...(spikes.length > 0 ? { sparsity: 1 - mean(spikes.map((w) => w.nonzero!)) } : {}),
    energy: energyOf(charges, c.costs),
    activationBytes: outputElements(node, c.T) * 4,
    ...(time === undefined ? {} : { timeMs: time }),
  };
}

/**
 * `paper` charges the deployed model, where a chain is its one folded conv reading the chain's
 * spikes: the first layer carries that conv at its input's firing rate, the others nothing.
 */
function deployedCharge(at: { chain: FoldedChain; first: boolean }, input: TensorRate | undefined, T: number): Charge {
  if (!at.first) return { macs: 0, acs: 0 };
  return RULES.paper.synapse({
    macs: at.chain.foldedMacs,
    kind: input?.kind ?? 'spikes',
    ...(input?.rate === undefined ? {} : { rate: input.rate }),
    direct: false,
    timeSteps: T,
    timed: true,
  });
}

/** The row and its children with their deployed MACs where a fold changes them. */
function withFolded(r: ProfileRow, change: ReadonlyMap<string, number>): ProfileRow {
  const d = change.get(r.path);
  const children = r.children?.map((x) => withFolded(x, change));
  return { ...r, ...(d === undefined || d === 0 ? {} : { foldedMacs: r.macs + d }), ...(children ? { children } : {}) };
}

function compositeRow(
  node: NodeInfo,
  path: string,
  depth: number,
  reads: TensorRate[],
  writes: TensorRate[],
  children: ProfileRow[],
  times: ReadonlyMap<string, number> | undefined,
): ProfileRow {
  const sum = (f: (r: ProfileRow) => number) => children.reduce((s, r) => s + f(r), 0);
  const energy = {} as Record<Convention, ConventionEnergy>;
  for (const conv of CONVENTIONS) energy[conv] = { macs: sum((r) => r.energy[conv].macs), acs: sum((r) => r.energy[conv].acs), pj: sum((r) => r.energy[conv].pj) };
  const neurons = leaves(children).filter((r) => r.sparsity !== undefined);
  const elements = neurons.reduce((s, r) => s + r.membraneUpdates, 0);
  const time = timeOf(path, times);
  return {
    path,
    id: node.id,
    block: node.block.id,
    depth,
    params: node.paramCount,
    macs: node.macs,
    reads,
    writes,
    synaptic: { dense: sum((r) => r.synaptic.dense), effMacs: sum((r) => r.synaptic.effMacs), effAcs: sum((r) => r.synaptic.effAcs) },
    membraneUpdates: sum((r) => r.membraneUpdates),
    ...(elements > 0 ? { sparsity: neurons.reduce((s, r) => s + r.sparsity! * r.membraneUpdates, 0) / elements } : {}),
    energy,
    activationBytes: sum((r) => r.activationBytes),
    ...(time === undefined ? {} : { timeMs: time }),
    children,
  };
}

function totalsOf(
  analysis: GraphAnalysis,
  rows: readonly ProfileRow[],
  flat: readonly ProfileRow[],
  costs: EnergyCosts,
  T: number,
  times: ReadonlyMap<string, number> | undefined,
): ProfileTotals {
  const sum = (f: (r: ProfileRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const energy = {} as Record<Convention, ConventionEnergy & { mj: number }>;
  for (const conv of CONVENTIONS) {
    const charge = { macs: sum((r) => r.energy[conv].macs), acs: sum((r) => r.energy[conv].acs) };
    const pj = energyPj(charge, costs);
    energy[conv] = { ...charge, pj, mj: pj * 1e-9 };
  }
  const neurons = flat.filter((r) => r.children === undefined && r.sparsity !== undefined);
  const elements = neurons.reduce((s, r) => s + r.membraneUpdates, 0);
  const timed = times === undefined ? {} : timeTotals(rows, times);
  return {
    params: analysis.paramCount,
    macs: analysis.macs,
    foldedMacs: analysis.foldedMacs,
    synaptic: { dense: sum((r) => r.synaptic.dense), effMacs: sum((r) => r.synaptic.effMacs), effAcs: sum((r) => r.synaptic.effAcs) },
    membraneUpdates: sum((r) => r.membraneUpdates),
    activationSparsity: elements === 0 ? 0 : neurons.reduce((s, r) => s + r.sparsity! * r.membraneUpdates, 0) / elements,
    energy,
    peakActivationBytes: peakActivationBytes(analysis, T),
    ...timed,
  };
}

function timeTotals(rows: readonly ProfileRow[], times: ReadonlyMap<string, number>): { timeMs: number; unattributedMs: number } {
  const all = [...times.values()].reduce((a, b) => a + b, 0);
  const attributed = rows.reduce((s, r) => s + (r.timeMs ?? 0), 0);
  return { timeMs: all, unattributedMs: all - attributed };
}

/** A node's time: the ops lowered under its scope and every scope inside it. */
function timeOf(path: string, times: ReadonlyMap<string, number> | undefined): number | undefined {
  if (times === undefined) return undefined;
  let ms = 0;
  for (const [scope, t] of times) if (scope === path || scope.startsWith(`${path}.`)) ms += t;
  return ms;
}

function energyOf(charges: Record<Convention, Charge>, costs: EnergyCosts): Record<Convention, ConventionEnergy> {
  const out = {} as Record<Convention, ConventionEnergy>;
  for (const conv of CONVENTIONS) out[conv] = { ...charges[conv], pj: energyPj(charges[conv], costs) };
  return out;
}

function ctxOf(doc: GraphDocument): InferCtx {
  return { timeSteps: doc.timeSteps, input: doc.input };
}

/** SSA's two products: K·V (or Q·K) first, then the third operand (spec §2, the tool's term). */
function attentionInput(node: NodeInfo, reads: readonly TensorRate[]): AttentionInput {
  const by = (p: string): OperandActivity => {
    const r = reads.find((x) => x.port === p);
    return { ...(r?.rate === undefined ? {} : { rate: r.rate }), ...(r?.nonzero === undefined ? {} : { nonzero: r.nonzero }) };
  };
  const qkFirst = node.params.order === 'qk_v';
  return qkFirst ? { macs: node.macs, first: [by('q'), by('k')], second: by('v') } : { macs: node.macs, first: [by('k'), by('v')], second: by('q') };
}

function outputElements(node: NodeInfo, T: number): number {
  return Object.values(node.outputs).reduce((s, t) => s + numel(t.shape) * (t.timed ? T : 1), 0);
}

function leaves(rows: readonly ProfileRow[]): ProfileRow[] {
  return rows.flatMap((r) => (r.children ? leaves(r.children) : [r]));
}

/**
 * The most activation memory live at once during one sample's forward pass: walking each body in
 * order, a tensor lives from its producer to its last reader; a composite adds its inside's peak.
 */
export function peakActivationBytes(analysis: GraphAnalysis, T: number): number {
  return bodyPeak(analysis.body, T, true);
}

function bodyPeak(body: GraphAnalysis['body'], T: number, top: boolean): number {
  const order = new Map(body.nodes.map((n, i) => [n.id, i]));
  const lastUse = new Map<string, number>();
  for (const e of body.source.edges) {
    const t = order.get(e.target);
    if (t !== undefined) lastUse.set(e.source, Math.max(lastUse.get(e.source) ?? -1, t));
  }
  const bytes = (n: NodeInfo) => (n.block.id === 'input' && !top ? 0 : Object.values(n.outputs).reduce((s, t) => s + numel(t.shape) * (t.timed ? T : 1) * 4, 0));
  let peak = 0;
  body.nodes.forEach((n, i) => {
    let live = 0;
    for (let j = 0; j < i; j++) if ((lastUse.get(body.nodes[j]!.id) ?? -1) >= i) live += bytes(body.nodes[j]!);
    peak = Math.max(peak, live + (n.inner ? bodyPeak(n.inner, T, false) : bytes(n)));
  });
  return peak;
}
