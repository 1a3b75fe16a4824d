/**
 * A template's head, cut out of its real document: every node downstream of a chosen body node,
 * fed from a timed input of that node's output shape. The head reference tests run this tail on
 * ONNX Runtime (the inference compile, so a per-step head is averaged over T as a user's model is)
 * and compare its logits with the released code's head written in PyTorch (torch_ref.py, op
 * head_tail): the wiring under test is the template's own, not a copy of it.
 */
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import type { Template } from '../../templates/types.js';

/** The nodes after `cut` (everything it reaches), reading `cut`'s output as the document input. */
export function tailDocument(doc: GraphDocument, cut: string): GraphDocument {
  const a = analyseDocument(doc);
  const out = a.body.byId.get(cut)?.outputs.out;
  if (!out) throw new Error(`tailDocument: "${doc.name}" has no node "${cut}" with an output`);
  if (!out.timed) throw new Error(`tailDocument: "${cut}" of "${doc.name}" is not timed; a tail reads [T,B,...] event-style input`);
  const keep = new Set<string>();
  const grow = (id: string): void => {
    for (const e of doc.edges) {
      if (e.source === id && !keep.has(e.target)) {
        keep.add(e.target);
        grow(e.target);
      }
    }
  };
  grow(cut);
  const nodes = doc.nodes.filter((n) => keep.has(n.id));
  const edges = doc.edges.filter((e) => keep.has(e.target)).map((e) => (e.source === cut ? { ...e, source: 'tail_input', sourcePort: undefined } : e));
  const stray = edges.find((e) => e.source !== 'tail_input' && !keep.has(e.source));
  if (stray) throw new Error(`tailDocument: "${stray.target}" also reads "${stray.source}", which is above the cut at "${cut}"`);
  return {
    format: doc.format,
    version: doc.version,
    name: `${doc.name} (head after ${cut})`,
    timeSteps: doc.timeSteps,
    input: { shape: [...out.shape], kind: 'events' },
    nodes: [{ id: 'tail_input', block: 'input' }, ...nodes],
    edges: edges.map(({ sourcePort, ...e }) => (sourcePort === undefined ? e : { ...e, sourcePort })),
  };
}

export function presetDocument(template: Template, preset: string): GraphDocument {
  const p = template.presets.find((x) => x.name === preset);
  if (!p) throw new Error(`${template.id} has no preset "${preset}"`);
  return template.build(p);
}

export interface TailParam {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** The tail's inference logits [B, classes] (averaged over T where its head runs per step) and every parameter it ran with. */
export async function runTail(tail: GraphDocument, B: number, x: Float32Array, overrides: ReadonlyMap<string, Float32Array>): Promise<{ logits: Float32Array; params: ReadonlyMap<string, TailParam> }> {
  const compiled = compileInference(tail, { batch: B, params: overrides });
  const params = new Map<string, TailParam>();
  for (const p of compiled.graph.params) params.set(p.name, { data: compiled.params.get(p.name)!, shape: compiled.graph.values[p.value]!.shape });
  const session = await createSession(compiled.bytes, { threads: 1 });
  try {
    const out = await session.run({ input: floatTensor(x, compiled.inputShape) });
    return { logits: (out.logits as ort.Tensor).data as Float32Array, params };
  } finally {
    await session.release();
  }
}

/** The largest |a − e| over all logits, relative to the largest |e| (logits are compared as one vector). */
export function logitGap(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`logitGap: ${actual.length} logits against ${expected.length}`);
  let gap = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    gap = Math.max(gap, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return gap / scale;
}

/** Uniform draws in [lo, hi) from a seeded stream. */
export function drawer(seed: number): (n: number, lo: number, hi: number) => Float32Array {
  const rng = Rng.fromSeed(seed);
  return (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

/**
 * Maps [rows, M] whose mean over each row of M is exactly `means[row]`: the entries are the mean
 * plus pairs of ±d (d a multiple of 1/64 up to 1/2, at shuffled places; an odd M leaves one entry
 * at the mean). Every value is dyadic and small, so float32 sums over M are exact and a neuron on
 * the mean sees the chosen value, not a rounding of it.
 */
export function rowsWithMeans(means: ArrayLike<number>, M: number, seed: number): Float32Array {
  const rng = Rng.fromSeed(seed);
  const out = new Float32Array(means.length * M);
  for (let r = 0; r < means.length; r++) {
    const row = new Float32Array(M);
    for (let i = 0; i + 1 < M; i += 2) {
      const d = Math.floor(rng.uniform() * 33) / 64;
      row[i] = d;
      row[i + 1] = -d;
    }
    for (let i = M - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [row[i], row[j]] = [row[j]!, row[i]!];
    }
    for (let i = 0; i < M; i++) out[r * M + i] = means[r]! + row[i]!;
  }
  return out;
}

/** [T,B,...] (time-major rows) → [T,B,M,D] tokens with the features last, from [T,B,D,M] maps. */
export function mapsToTokens(x: Float32Array, TB: number, D: number, M: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < TB; r++) for (let d = 0; d < D; d++) for (let m = 0; m < M; m++) out[(r * M + m) * D + d] = x[(r * D + d) * M + m]!;
  return out;
}
