/**
 * Running block lowerings on ONNX Runtime without a document: each named input becomes an IR graph
 * input in the lowering layout ([T·B, ...shape] for timed tensors), the callback lowers blocks on
 * them exactly as the compiler does, and every tensor it returns becomes a graph output. This lets
 * a test feed several spike tensors (q, k, v) to one block and read intermediate values (the
 * attention core's product, the mask) that a document would hide inside a composite.
 */
import type { PrimitiveBlock } from '../../engine/core/blocks/types.js';
import { findBlock } from '../../engine/core/blocks/catalogue.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { initializeParams } from '../../engine/core/init/initialize.js';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import { irShape, type IrTensor, type LowerCtx } from '../../engine/core/lower/context.js';
import { lowerDocument, lowerPrimitive } from '../../engine/core/lower/lower.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import type { TensorType } from '../../engine/core/tensor.js';
import { encodeModel } from '../../engine/runtime/onnx/encode.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';

export interface FedTensor {
  readonly type: TensorType;
  readonly data: Float32Array;
}

export type Lowering = (ctx: LowerCtx, inputs: Readonly<Record<string, IrTensor>>) => Record<string, IrTensor>;

/** Lowers `lower` on fresh IR inputs, runs it once, and returns every output it named (flat, IR layout). */
export async function runLowering(T: number, B: number, inputs: Readonly<Record<string, FedTensor>>, lower: Lowering): Promise<Record<string, Float32Array>> {
  const b = new IrBuilder();
  const ctx: LowerCtx = { b, timeSteps: T, batch: B, mode: 'infer', seed: 0, param: (n, s, i, r) => b.param(n, s, i, r) };
  const irInputs: Record<string, IrTensor> = {};
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    const shape = irShape(ctx, t.type);
    irInputs[name] = { value: b.input(name, shape), type: t.type };
    feeds[name] = floatTensor(t.data, shape);
  }
  const outs = lower(ctx, irInputs);
  for (const [name, t] of Object.entries(outs)) b.output(`out_${name}`, t.value);
  const graph = b.build();
  const session = await createSession(encodeModel(emitOnnx(graph, { name: 'blocks', params: initializeParams(graph, 0) })), { threads: 1 });
  try {
    const res = await session.run(feeds);
    return Object.fromEntries(Object.keys(outs).map((name) => [name, (res[`out_${name}`] as ort.Tensor).data as Float32Array]));
  } finally {
    await session.release();
  }
}

/**
 * Lowers one catalogue primitive under `scope` as the compiler does: parameters parsed (defaults
 * filled), output types from the block's own shape rule, emitted shapes checked against them.
 */
export function lowerBlock(ctx: LowerCtx, id: string, params: Record<string, unknown>, inputs: Readonly<Record<string, IrTensor>>, scope = id): Record<string, IrTensor> {
  const block = findBlock(id);
  if (!block || block.kind !== 'primitive') throw new Error(`no primitive block "${id}"`);
  const p: unknown = block.params.parse(params);
  const types = Object.fromEntries(Object.entries(inputs).map(([port, t]) => [port, t.type]));
  // a primitive's rule reads T alone from its context; the document input is the walk's business
  const { outputs } = (block as PrimitiveBlock).infer(types, p, { timeSteps: ctx.timeSteps, input: { shape: [1], kind: 'vector' } });
  return ctx.b.withScope(scope, () => lowerPrimitive(ctx, block as PrimitiveBlock, inputs, p, outputs, scope));
}

/**
 * Compiles a document at batch B and returns its raw output (the `output` node's input, IR layout:
 * timed outputs stay per time step) with the parameter values used (seeded init, then `overrides`).
 */
export async function runDocumentRaw(
  doc: GraphDocument,
  B: number,
  input: Float32Array,
  overrides: ReadonlyMap<string, Float32Array> = new Map(),
): Promise<{ output: Float32Array; params: Map<string, Float32Array> }> {
  const analysis = analyseDocument(doc);
  if (!analysis.ok) throw new Error(analysis.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const lowered = lowerDocument(doc, analysis, { batch: B, mode: 'infer' });
  lowered.builder.output('raw', lowered.output.value);
  const graph = lowered.builder.build();
  const params = initializeParams(graph, 0);
  for (const [k, v] of overrides) {
    if (!params.has(k)) throw new Error(`override for unknown parameter ${k}; parameters: ${[...params.keys()].join(', ')}`);
    params.set(k, v);
  }
  const session = await createSession(encodeModel(emitOnnx(graph, { name: doc.name, params })), { threads: 1 });
  try {
    const res = await session.run({ input: floatTensor(input, graph.values[lowered.input.value]!.shape) });
    return { output: (res.raw as ort.Tensor).data as Float32Array, params };
  } finally {
    await session.release();
  }
}
