/**
 * Membrane traces of one neuron layer: the profile form of its neuron op (NeuronAttrs.membrane), a
 * second copy of the layer's own op with the same inputs and attributes that also outputs the charge
 * H[t] (after charge, before fire and reset), added to an inference model as extra outputs. The
 * training and inference graphs are left as they are; only the profiling compile carries the copy.
 * A parallel spiking neuron has no neuron op: its charge is the input of its Heaviside.
 */
import type { IrBuilder } from '../../core/ir/builder.js';
import type { IrNode } from '../../core/ir/types.js';
import type { LoweredModel } from '../../core/lower/lower.js';
import type { NeuronAttrs } from '../../core/neurons/types.js';
import { flattenRows } from '../../core/profile/export.js';
import type { Profile, ProfileRow } from '../../core/profile/profile.js';
import { numel } from '../../core/tensor.js';

export interface MembraneRequest {
  /** The neuron layer's document path (dotted through composites, as the profile's rows name it). */
  readonly node: string;
  /** Neuron indices in the flattened layer; default: the DEFAULT_TRACED that fired most on the sample (mostActive). */
  readonly neurons?: readonly number[];
}

export interface MembraneTrace {
  readonly node: string;
  /** The layer's spike tensor (`path:port`). */
  readonly tensor: string;
  /** Neurons in the layer (per sample and step). */
  readonly neurons: number;
  /** The neurons traced. */
  readonly shown: readonly number[];
  /** The firing threshold θ (H ≥ θ fires; H > θ for a strict neuron). */
  readonly threshold: number;
  /** An adaptive neuron's threshold θ + A[t]: thresholds[t][k] for neuron shown[k]. */
  readonly thresholds?: readonly (readonly number[])[];
  /** membrane[t][k]: neuron shown[k]'s charge H at step t, after charge and before fire and reset. */
  readonly membrane: readonly (readonly number[])[];
  /** spikes[t][k]: 1 when neuron shown[k] fired at step t. */
  readonly spikes: readonly (readonly number[])[];
}

export const DEFAULT_TRACED = 4;
export const MAX_TRACED = 16;

const PREFIX = 'membrane:';
const OUT = { charge: `${PREFIX}charge`, spikes: `${PREFIX}spikes`, thresholds: `${PREFIX}thresholds` } as const;

/**
 * Refuses, before any data is read, a request for a node that is not a neuron layer of the profile
 * (a leaf row with membrane updates) or neurons outside it.
 */
export function checkMembraneRequest(profile: Profile, request: MembraneRequest): void {
  const row = flattenRows(profile.rows).find((r) => r.path === request.node);
  if (!row) throw new Error(`membrane: the document has no node "${request.node}"`);
  if (row.children) throw new Error(`membrane: "${request.node}" is a composite; name one of its neuron layers (${neuronPaths(row.children).join(', ') || 'it has none'})`);
  if (row.membraneUpdates === 0) throw new Error(`membrane: "${request.node}" (${row.block}) is not a neuron layer`);
  checkNeurons(request, row.membraneUpdates / profile.timeSteps);
}

function neuronPaths(rows: readonly ProfileRow[]): string[] {
  return flattenRows(rows).flatMap((r) => (r.membraneUpdates > 0 && !r.children ? [r.path] : []));
}

function checkNeurons(request: MembraneRequest, M: number): void {
  for (const i of request.neurons ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= M) throw new Error(`membrane: neuron ${i} is not in "${request.node}" (its ${M} neurons are 0 to ${M - 1})`);
  }
  if ((request.neurons?.length ?? 0) > MAX_TRACED) throw new Error(`membrane: at most ${MAX_TRACED} neurons are traced at once, got ${request.neurons!.length}`);
}

/**
 * The extra outputs for `request` on a batch-1 model of `timeSteps` steps, and the reader of the
 * run's outputs. A node that is not a neuron layer, or neuron indices outside it, are refused here,
 * before anything runs.
 */
export function membraneOutputs(request: MembraneRequest, timeSteps: number): {
  add: (b: IrBuilder, lowered: LoweredModel) => void;
  read: (out: Record<string, { data: unknown }>) => MembraneTrace;
} {
  const T = timeSteps;
  let layer: { tensor: string; neurons: number; threshold: number; adaptive: boolean } | undefined;
  const add = (b: IrBuilder, lowered: LoweredModel): void => {
    const { node } = request;
    const ports = [...lowered.nodeOutputs.keys()].filter((k) => k.slice(0, k.lastIndexOf(':')) === node);
    if (ports.length === 0) throw new Error(`membrane: the document has no node "${node}"`);
    const ops = lowered.graph.nodes.filter((n) => n.scope === node && (n.op === 'neuron' || n.op === 'heaviside'));
    if (ops.length !== 1) {
      throw new Error(
        ops.length === 0
          ? `membrane: "${node}" is not a neuron layer (no neuron fires in it; a composite's neurons are named by their own path, such as "${node}.<id>")`
          : `membrane: "${node}" fires through ${ops.length} ops; only a layer with one neuron op has one membrane`,
      );
    }
    const op = ops[0]!;
    const tensor = ports[0]!;
    const M = numel(lowered.nodeOutputs.get(tensor)!.type.shape);
    checkNeurons(request, M);
    const adaptive = b.withScope(node, () => (op.op === 'neuron' ? addNeuron(b, op, T, M) : addHeaviside(b, op, T, M)));
    layer = { tensor, neurons: M, threshold: (op.attrs as unknown as NeuronAttrs).threshold, adaptive };
  };

  const read = (out: Record<string, { data: unknown }>): MembraneTrace => {
    if (!layer) throw new Error('membrane: the model was compiled without the membrane outputs');
    const M = layer.neurons;
    const charge = out[OUT.charge]!.data as Float32Array;
    const fired = out[OUT.spikes]!.data as Float32Array;
    const shown = request.neurons ? [...request.neurons] : mostActive(fired, charge, T, M, DEFAULT_TRACED);
    const pick = (data: Float32Array, f: (x: number) => number = (x) => x) => Array.from({ length: T }, (_, t) => shown.map((i) => f(data[t * M + i]!)));
    const thresholds = layer.adaptive ? pick(out[OUT.thresholds]!.data as Float32Array) : undefined;
    return {
      node: request.node,
      tensor: layer.tensor,
      neurons: M,
      shown,
      threshold: layer.threshold,
      ...(thresholds ? { thresholds } : {}),
      membrane: pick(charge),
      spikes: pick(fired, (x) => (x > 0 ? 1 : 0)),
    };
  };
  return { add, read };
}

/** The op again in its profile form: the same inputs and attributes, plus the membrane outputs. True: it has a moving threshold. */
function addNeuron(b: IrBuilder, op: IrNode, T: number, M: number): boolean {
  const outs = b.op('neuron', op.inputs, { ...op.attrs, membrane: true });
  const rows = (v: number) => b.op1('reshape', [v], { shape: [T, M] });
  b.output(OUT.spikes, rows(outs[0]!));
  b.output(OUT.charge, rows(outs[1]!));
  if (outs[2] !== undefined) b.output(OUT.thresholds, rows(outs[2]));
  return outs[2] !== undefined;
}

/** A Heaviside fires its own input: that input is the charge. */
function addHeaviside(b: IrBuilder, op: IrNode, T: number, M: number): boolean {
  const n = b.shape(op.inputs[0]!).reduce((a, d) => a * d, 1);
  if (n !== T * M) throw new Error(`membrane: the charge of this layer has ${n} values, not T·neurons = ${T * M}`);
  const rows = (v: number) => b.op1('reshape', [v], { shape: [T, M] });
  b.output(OUT.spikes, rows(op.outputs[0]!));
  b.output(OUT.charge, rows(op.inputs[0]!));
  return false;
}

/**
 * The `n` neurons that fired most over T; among equals the one charged highest at some step (in a
 * layer that hardly fires, the neurons nearest to firing, not its silent corner), then the lowest
 * index. Returned in index order.
 */
export function mostActive(spikes: Float32Array, charge: Float32Array, T: number, M: number, n: number): number[] {
  const counts = new Float64Array(M);
  const peaks = new Float64Array(M).fill(-Infinity);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < M; i++) {
      counts[i]! += spikes[t * M + i]! > 0 ? 1 : 0;
      peaks[i] = Math.max(peaks[i]!, charge[t * M + i]!);
    }
  }
  return Array.from({ length: M }, (_, i) => i)
    .sort((x, y) => counts[y]! - counts[x]! || peaks[y]! - peaks[x]! || x - y)
    .slice(0, Math.min(n, M))
    .sort((x, y) => x - y);
}

/** One line per step and neuron: the charge, the threshold it was compared with, and whether it fired. */
export function membraneCsv(m: MembraneTrace): string {
  const lines = ['node,step,neuron,membrane,threshold,spike'];
  m.membrane.forEach((step, t) =>
    step.forEach((h, k) => lines.push([m.node, t, m.shown[k], h, m.thresholds ? m.thresholds[t]![k] : m.threshold, m.spikes[t]![k]].join(','))),
  );
  return `${lines.join('\n')}\n`;
}
