/**
 * A document as a NIR graph (NIR's own layout: typed primitive nodes by name, and edges), built
 * from the flat graph of primitives: synapses become Conv1d/Conv2d/Affine/Linear with the
 * BatchNorm after them folded in, neurons IF/LIF (the discrete-time constants converted to NIR's
 * continuous ones for a step of `dt` seconds), pools AvgPool2d, binarised event frames a
 * Threshold. Nodes that vanish (direct encoder, dropout, the final mean over T) pass their input
 * through. The lint (rules.ts) has refused everything else before this runs.
 *
 * The NIR models, integrated with forward Euler over dt, give the engine's charge exactly:
 *   LIF  τ·dv/dt = (v_leak − v) + R·I:  v ← v + (dt/τ)·(v_leak − v + R·I)
 *        engine, decay_input:  H = V + (X − (V − V_r))/τ_d  ⇒  τ = τ_d·dt, v_leak = V_r, R = 1
 *        engine, without:      H = V − (V − V_r)/τ_d + X    ⇒  τ = τ_d·dt, v_leak = V_r, R = τ_d
 *   IF   dv/dt = R·I:  v ← v + dt·R·I                       ⇒  R = 1/dt
 * NIR fires on v > v_threshold, the engine on H ≥ θ: they differ only at equality.
 */
import type { GraphDocument } from '../../document/schema.js';
import type { GraphAnalysis } from '../../graph/infer.js';
import { chargeRule, NEURON_TABLE } from '../../neurons/table.js';
import { numel } from '../../tensor.js';
import { requireExportable } from '../lint.js';
import { flatGraph, type FlatNode, type FlatSource } from '../walk.js';
import { nirVerdict } from './rules.js';

/** A NIR dataset: a float32 or int64 array, or a string. */
export type NirValue = { readonly f32: Float32Array; readonly shape: readonly number[] } | { readonly i64: readonly number[]; readonly shape: readonly number[] } | string | number;

export interface NirNode {
  readonly type: string;
  readonly params: Readonly<Record<string, NirValue>>;
  /** NIR's optional `metadata` group: what the numbers mean here. */
  readonly metadata?: Readonly<Record<string, NirValue>>;
}

export interface NirGraph {
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly (readonly [string, string])[];
  /** The duration of one time step the constants were converted with, in seconds. */
  readonly dt: number;
  readonly timeSteps: number;
}

export interface NirTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** NIR's format version this writer follows (nir/write: root `version`). */
export const NIR_VERSION = '1.0.6';

const NEURON_IDS = new Set(NEURON_TABLE.map((r) => r.block.id));

export function nirGraph(doc: GraphDocument, analysis: GraphAnalysis, weights: ReadonlyMap<string, NirTensor>, dt: number): NirGraph {
  requireExportable(doc, 'nir', analysis);
  const nodes = new Map<string, NirNode>();
  const edges: [string, string][] = [];
  // a vanished or folded node's output is its producer's
  const alias = new Map<string, string>();
  const name = (s: FlatSource): string => alias.get(s.path) ?? s.path;
  const tensor = (path: string, local: string): NirTensor => {
    const t = weights.get(`${path}.${local}`);
    if (!t) throw new Error(`nir export: no tensor "${path}.${local}"`);
    return t;
  };
  const f32 = (data: Float32Array, shape: readonly number[]): NirValue => ({ f32: data, shape });
  const i64 = (values: readonly number[]): NirValue => ({ i64: values, shape: [values.length] });
  const full = (shape: readonly number[], v: number): NirValue => f32(new Float32Array(numel(shape)).fill(v), shape);

  nodes.set('input', { type: 'Input', params: { shape: i64(doc.input.shape) } });
  for (const f of flatGraph(analysis.body)) {
    const n = f.node;
    const id = n.block.id;
    const src = f.sources.in;
    if (id === 'output') {
      const shape = n.inputs.in!.shape;
      nodes.set('output', { type: 'Output', params: { shape: i64(shape) } });
      edges.push([name(src!), 'output']);
      continue;
    }
    const verdict = nirVerdict(f);
    if (!verdict.ok) throw new Error(`nir export: ${f.path}: ${verdict.reason}`);
    if (verdict.role === 'through') {
      alias.set(f.path, name(src!));
      continue;
    }
    if (verdict.role === 'folded') {
      const synapse = name(src!);
      foldBatchNorm(nodes, synapse, f, (local) => tensor(f.path, local));
      alias.set(f.path, synapse);
      continue;
    }
    nodes.set(f.path, nirNode(f, dt, (local) => tensor(f.path, local), { f32, i64, full }));
    edges.push([name(src!), f.path]);
  }
  return { nodes, edges, dt, timeSteps: doc.timeSteps };
}

interface Make {
  f32(data: Float32Array, shape: readonly number[]): NirValue;
  i64(values: readonly number[]): NirValue;
  full(shape: readonly number[], v: number): NirValue;
}

type P = Record<string, any>;
const pair = (v: number | readonly number[]): number[] => (typeof v === 'number' ? [v, v] : [...v]);

function nirNode(f: FlatNode, dt: number, tensor: (local: string) => NirTensor, m: Make): NirNode {
  const n = f.node;
  const p = n.params as P;
  const x = n.inputs.in!;
  switch (n.block.id) {
    case 'conv2d': {
      const w = tensor('weight');
      const bias = p.bias ? tensor('bias').data : new Float32Array(w.shape[0]!);
      return {
        type: 'Conv2d',
        params: {
          weight: m.f32(w.data, w.shape),
          bias: m.f32(bias, [w.shape[0]!]),
          stride: m.i64(pair(p.stride)),
          padding: m.i64(pair(p.padding)),
          dilation: m.i64([1, 1]),
          groups: { i64: [p.groups], shape: [] },
          input_shape: m.i64(x.shape.slice(1)),
        },
      };
    }
    case 'conv1d': {
      const w = tensor('weight');
      const bias = p.bias ? tensor('bias').data : new Float32Array(w.shape[0]!);
      return {
        type: 'Conv1d',
        params: {
          weight: m.f32(w.data, [...w.shape, 1]),
          bias: m.f32(bias, [w.shape[0]!]),
          stride: { i64: [1], shape: [] },
          padding: { i64: [0], shape: [] },
          dilation: { i64: [1], shape: [] },
          groups: { i64: [1], shape: [] },
          input_shape: { i64: [x.shape[1]!], shape: [] },
        },
      };
    }
    case 'linear':
    case 'head': {
      const w = tensor('weight');
      return p.bias ? { type: 'Affine', params: { weight: m.f32(w.data, w.shape), bias: m.f32(tensor('bias').data, [w.shape[0]!]) } } : { type: 'Linear', params: { weight: m.f32(w.data, w.shape) } };
    }
    case 'avgpool2d':
      return { type: 'AvgPool2d', params: { kernel_size: m.i64(pair(p.kernel)), stride: m.i64(pair(p.stride ?? p.kernel)), padding: m.i64(pair(p.padding)) } };
    case 'flatten':
      return { type: 'Flatten', params: { start_dim: { i64: [0], shape: [] }, end_dim: { i64: [-1], shape: [] }, input_type: m.i64(x.shape) } };
    case 'event_frames':
      return { type: 'Threshold', params: { threshold: m.full(x.shape, 0) }, metadata: { fires: 'x > 0 (binarised event counts)' } };
    default:
      if (NEURON_IDS.has(n.block.id)) return neuronNode(f, dt, tensor, m);
      throw new Error(`nir export: ${f.path}: no NIR form for ${n.block.id}`);
  }
}

function neuronNode(f: FlatNode, dt: number, tensor: (local: string) => NirTensor, m: Make): NirNode {
  const row = NEURON_TABLE.find((r) => r.block.id === f.node.block.id)!;
  const a = row.block.attrs(f.node.params);
  const shape = f.node.inputs.in!.shape;
  const vReset = a.vReset ?? 0;
  const common = { v_threshold: m.full(shape, a.threshold), v_reset: m.full(shape, vReset) };
  const meta = { dt, fire: 'the engine fires on H >= threshold; NIR states v > v_threshold' };
  if (chargeRule(a.charge).rate === 'none') return { type: 'IF', params: { r: m.full(shape, 1 / dt), ...common }, metadata: meta };
  // τ_d: the engine's discrete time constant (steps), learned as 1/sigmoid(w) for a PLIF
  const tauD = chargeRule(a.charge).rate === 'learned' ? 1 + Math.exp(-tensor('w').data[0]!) : a.tau;
  return {
    type: 'LIF',
    params: { tau: m.full(shape, tauD * dt), r: m.full(shape, a.decayInput ? 1 : tauD), v_leak: m.full(shape, vReset), ...common },
    metadata: { ...meta, discrete_tau: tauD, decay_input: a.decayInput ? 1 : 0 },
  };
}

/** BN(W·x + b) = (γ/σ)·W·x + (γ/σ)·(b − μ) + β, σ = √(var + ε): folded into the synapse's own arrays. */
function foldBatchNorm(nodes: Map<string, NirNode>, synapse: string, bn: FlatNode, tensor: (local: string) => NirTensor): void {
  const s = nodes.get(synapse);
  if (!s) throw new Error(`nir export: ${bn.path}: its Conv/Linear "${synapse}" is not a NIR node`);
  const gamma = tensor('weight').data;
  const beta = tensor('bias').data;
  const mean = tensor('running_mean').data;
  const vr = tensor('running_var').data;
  const eps = (bn.node.params as P).eps as number;
  const w = s.params.weight as { f32: Float32Array; shape: readonly number[] };
  const out = w.shape[0]!;
  const per = w.f32.length / out;
  const weight = new Float32Array(w.f32.length);
  const bias = new Float32Array(out);
  const oldBias = s.type === 'Linear' ? new Float32Array(out) : (s.params.bias as { f32: Float32Array }).f32;
  for (let o = 0; o < out; o++) {
    const k = gamma[o]! / Math.sqrt(vr[o]! + eps);
    for (let i = 0; i < per; i++) weight[o * per + i] = w.f32[o * per + i]! * k;
    bias[o] = (oldBias[o]! - mean[o]!) * k + beta[o]!;
  }
  const type = s.type === 'Linear' ? 'Affine' : s.type;
  nodes.set(synapse, { ...s, type, params: { ...s.params, weight: { f32: weight, shape: w.shape }, bias: { f32: bias, shape: [out] } }, metadata: { folded_batchnorm: bn.path } });
}
