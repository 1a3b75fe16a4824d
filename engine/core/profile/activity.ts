/**
 * What a profile measures: the activity of every spike-like tensor (binary spikes and spike
 * counts) on the document's edges, named `path:port` by the node that produces it. A tensor a
 * composite passes through its ports keeps its producer's name, so each tensor is measured once.
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT } from '../document/schema.js';
import type { BodyInfo, GraphAnalysis, NodeInfo } from '../graph/infer.js';
import type { InferCtx } from '../blocks/types.js';
import type { TensorType, ValueKind } from '../tensor.js';

/** Measured on a tensor, averaged over samples and elements, one entry per time step. */
export interface TensorActivity {
  /** Mean value: for binary spikes the firing rate, for spike counts the spikes per element (for analog values unused). */
  readonly perStep: readonly number[];
  /** Fraction of nonzero elements (equal to `perStep` for binary spikes). */
  readonly nonzeroPerStep: readonly number[];
}

export type ActivityMap = ReadonlyMap<string, TensorActivity>;

export interface MeasuredTensor {
  /** `path:port`, the producing node's dotted path through composites (as IR scopes are). */
  readonly key: string;
  readonly path: string;
  readonly port: string;
  readonly type: TensorType;
}

export function tensorKey(path: string, port: string): string {
  return `${path}:${port}`;
}

/** Kinds whose firing rate is measured; of analog and membrane values only the nonzero share, where a synapse reads them. */
export function isMeasuredKind(kind: ValueKind): boolean {
  return kind === 'spikes' || kind === 'counts';
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Every spike-like tensor of the document, and every other tensor a synapse reads (NeuroBench
 * counts only its nonzero inputs), once each, in topological order.
 */
export function measuredTensors(analysis: GraphAnalysis, ctx: InferCtx): MeasuredTensor[] {
  const all: MeasuredTensor[] = [];
  const read = new Set<string>();
  walkTensors(
    analysis.body,
    '',
    new Map(),
    (t) => all.push(t),
    (node, _path, ports) => {
      const port = synapticPort(node, ctx);
      const key = port === undefined ? undefined : ports.inputs[port];
      if (key !== undefined) read.add(key);
    },
  );
  return all.filter((t) => isMeasuredKind(t.type.kind) || read.has(t.key));
}

/** The port whose values a primitive's MACs multiply, from the block's own shape rule. */
export function synapticPort(node: NodeInfo, ctx: InferCtx): string | undefined {
  if (node.block.kind !== 'primitive' || node.block.id === 'input' || node.block.id === 'output') return undefined;
  return node.block.infer(node.inputs, node.params, ctx).synapticInput;
}

/**
 * Walks a body, calling `produced` for each tensor a node creates (not for aliases: a composite's
 * inner `input` nodes and its output ports), and returns each port's canonical key.
 */
export function walkTensors(
  body: BodyInfo,
  prefix: string,
  bound: ReadonlyMap<string, string>,
  produced: (t: MeasuredTensor) => void,
  visit?: (node: NodeInfo, path: string, ports: { readonly inputs: Readonly<Record<string, string>>; readonly outputs: Readonly<Record<string, string>> }) => void,
): Map<string, string> {
  const canonical = new Map<string, string>(); // local key `${id}:${port}` → canonical key
  const outputs = new Map<string, string>(); // this body's output port name → canonical key
  for (const node of body.nodes) {
    const path = `${prefix}${node.id}`;
    const inputs: Record<string, string> = {};
    for (const e of body.source.edges) {
      if (e.target !== node.id) continue;
      const src = canonical.get(`${e.source}:${e.sourcePort ?? DEFAULT_OUT_PORT}`);
      if (src !== undefined) inputs[e.targetPort ?? DEFAULT_IN_PORT] = src;
    }
    const name = String(node.params.name ?? '');
    if (node.block.id === 'input' && prefix !== '') {
      const outer = bound.get(name);
      if (outer !== undefined) canonical.set(`${node.id}:${DEFAULT_OUT_PORT}`, outer);
    } else if (node.block.id === 'output') {
      const src = inputs[DEFAULT_IN_PORT];
      if (src !== undefined) outputs.set(name, src);
    } else if (node.inner) {
      const inner = walkTensors(node.inner, `${path}.`, new Map(Object.entries(inputs)), produced, visit);
      for (const [port, key] of inner) canonical.set(`${node.id}:${port}`, key);
    } else {
      for (const [port, type] of Object.entries(node.outputs)) {
        const key = tensorKey(path, port);
        canonical.set(`${node.id}:${port}`, key);
        produced({ key, path, port, type });
      }
    }
    if (visit) {
      const outs: Record<string, string> = {};
      for (const port of Object.keys(node.outputs)) {
        const key = canonical.get(`${node.id}:${port}`);
        if (key !== undefined) outs[port] = key;
      }
      visit(node, path, { inputs, outputs: outs });
    }
  }
  return outputs;
}
