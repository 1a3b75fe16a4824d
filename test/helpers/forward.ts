/**
 * One forward pass of a document on ONNX Runtime at batch 1, with timings. At initialisation an
 * inference-mode BN is the identity and the LIFs of a deep network stay silent (all-zero logits
 * prove little), so `bnGain` sets every norm weight to that gain: spikes then reach the head.
 */
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { numelOf } from '../../engine/core/ir/primitive.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference, type CompiledInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';

export interface ForwardResult {
  readonly logits: Float32Array;
  readonly dims: readonly number[];
  readonly compileMs: number;
  readonly sessionMs: number;
  readonly runMs: number;
}

export async function forwardOnce(doc: GraphDocument, opts: { bnGain?: number; seed?: number } = {}): Promise<ForwardResult> {
  const t0 = performance.now();
  const params = opts.bnGain === undefined ? undefined : normGains(doc, opts.bnGain);
  const compiled = compileInference(doc, { batch: 1, ...(params ? { params } : {}) });
  const t1 = performance.now();
  const session = await createSession(compiled.bytes);
  const t2 = performance.now();
  try {
    const rng = Rng.fromSeed(opts.seed ?? 1);
    const events = doc.input.kind === 'events';
    // images: uniform pixels; event frames: sparse binary events
    const x = Float32Array.from({ length: numelOf(compiled.inputShape) }, () => (events ? (rng.uniform() < 0.2 ? 1 : 0) : rng.uniform()));
    const out = await session.run({ input: floatTensor(x, compiled.inputShape) });
    const logits = out.logits as ort.Tensor;
    return { logits: logits.data as Float32Array, dims: logits.dims, compileMs: t1 - t0, sessionMs: t2 - t1, runMs: performance.now() - t2 };
  } finally {
    await session.release();
  }
}

/** The logits of a compiled model on seeded uniform inputs (seed 5), on one thread. */
export async function compiledLogits(c: CompiledInference): Promise<Float32Array> {
  const rng = Rng.fromSeed(5);
  const x = Float32Array.from({ length: numelOf(c.inputShape) }, () => rng.uniform());
  const session = await createSession(c.bytes, { threads: 1 });
  try {
    return ((await session.run({ input: floatTensor(x, c.inputShape) })).logits as ort.Tensor).data as Float32Array;
  } finally {
    await session.release();
  }
}

/** Every norm weight (BN γ, LayerNorm scale) set to `gain`; names come from a cheap lowering (no init). */
export function normGains(doc: GraphDocument, gain: number): Map<string, Float32Array> {
  const graph = lowerDocument(doc, analyseDocument(doc), { batch: 1, mode: 'infer' }).graph;
  const out = new Map<string, Float32Array>();
  for (const p of graph.params) {
    if (p.role === 'norm' && p.name.endsWith('.weight')) out.set(p.name, new Float32Array(numelOf(graph.values[p.value]!.shape)).fill(gain));
  }
  return out;
}
