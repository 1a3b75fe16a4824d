/**
 * Running a compiled model on ONNX Runtime with its neurons' insides visible.
 *
 * The engine's `neuron` and `heaviside` primitives output only spikes; the charge H[t] lives inside
 * the emitted ONNX graph as the first input of each fire comparison (GreaterOrEqual, or Greater for
 * strict neurons). For tests, `withFireProbes` adds those values (and the spikes cast from them) as
 * extra graph outputs of a copy of the model, so a test can compare charges with a reference
 * without the engine growing test-only ports.
 *
 * An inference neuron may compare a rescaled charge (τ·H against τ·V_th, exact for a power-of-two
 * τ): given the document's threshold, `runProbed` reports H in the document's units.
 */
import type { OnnxModel, OnnxNode } from '../../../engine/core/onnx/model.js';
import type { CompiledInference } from '../../../engine/runtime/compile.js';
import { encodeModel } from '../../../engine/runtime/onnx/encode.js';
import { createSession, floatTensor, type ort } from '../../../engine/runtime/session.js';

export interface FireProbe {
  /** Output name of the charge H compared with the threshold. */
  readonly h: string;
  /** Output name of the float spikes cast from that comparison. */
  readonly s: string;
  /** The threshold the emitted comparison uses. */
  readonly threshold: number;
}

/** A copy of `model` whose fire comparisons' inputs and spike casts are graph outputs, in emission order. */
export function withFireProbes(model: OnnxModel): { model: OnnxModel; probes: FireProbe[] } {
  const nodes = model.graph.nodes;
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const probes: FireProbe[] = [];
  for (const n of nodes) {
    if (n.opType !== 'GreaterOrEqual' && n.opType !== 'Greater') continue;
    const cast = (consumers.get(n.outputs[0]!) ?? []).find((c) => c.opType === 'Cast');
    if (!cast) continue;
    const th = model.graph.initializers.find((t) => t.name === n.inputs[1]);
    if (!th || th.data.length !== 1) throw new Error(`fire comparison ${n.name} has no scalar threshold initializer`);
    probes.push({ h: n.inputs[0]!, s: cast.outputs[0]!, threshold: Number(th.data[0]) });
  }
  const existing = new Set(model.graph.outputs.map((o) => o.name));
  const extra = probes
    .flatMap((p) => [p.h, p.s])
    .filter((name) => !existing.has(name))
    .map((name) => ({ name, dataType: 'float32' as const, dims: ['p0', 'p1'] }));
  return { model: { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } }, probes };
}

export interface ProbedRun {
  readonly logits: Float32Array;
  /** Charges, concatenated over the probes in order (for a T-step neuron: [T, M] flattened). */
  readonly h: Float32Array;
  readonly s: Float32Array;
  readonly probes: number;
}

/**
 * Runs `compiled` once on ORT with fire probes; `input` must have the compiled input shape. With
 * `threshold` (the document's V_th) each probe's charge is scaled back to the document's units.
 */
export async function runProbed(compiled: CompiledInference, input: Float32Array, threshold?: number): Promise<ProbedRun> {
  const { model, probes } = withFireProbes(compiled.model);
  const session = await createSession(encodeModel(model), { threads: 1 });
  try {
    const out = await session.run({ input: floatTensor(input, compiled.inputShape) });
    const cat = (names: string[]): Float32Array => concat(names.map((n) => (out[n] as ort.Tensor).data as Float32Array));
    const charge = (p: FireProbe): Float32Array => {
      const h = (out[p.h] as ort.Tensor).data as Float32Array;
      return threshold === undefined || threshold === p.threshold ? h : h.map((v) => (v * threshold) / p.threshold);
    };
    return {
      logits: (out.logits as ort.Tensor).data as Float32Array,
      h: concat(probes.map(charge)),
      s: cat(probes.map((p) => p.s)),
      probes: probes.length,
    };
  } finally {
    await session.release();
  }
}

/** Runs a compiled model (no probes) and returns its `logits` output. */
export async function runLogits(compiled: CompiledInference, input: Float32Array): Promise<Float32Array> {
  const session = await createSession(compiled.bytes, { threads: 1 });
  try {
    const out = await session.run({ input: floatTensor(input, compiled.inputShape) });
    return (out.logits as ort.Tensor).data as Float32Array;
  } finally {
    await session.release();
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
