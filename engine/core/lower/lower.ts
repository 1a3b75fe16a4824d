/**
 * Lowers an analysed document to the primitive IR: walks each body in topological order, binds
 * edges to IR values, lowers primitive blocks under their node's scope (so parameters get names
 * like `block1.attn.q.weight`) and recurses into composites.
 */
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT, type GraphDocument } from '../document/schema.js';
import type { PrimitiveBlock } from '../blocks/types.js';
import { describeType, type BodyInfo, type GraphAnalysis } from '../graph/infer.js';
import { IrBuilder } from '../ir/builder.js';
import type { IrGraph } from '../ir/types.js';
import { ProblemsError } from '../problems.js';
import { sameShape, type TensorType } from '../tensor.js';
import { irShape, NOISE_PREFIX, type IrTensor, type LowerCtx, type LowerMode } from './context.js';

export interface LowerOptions {
  readonly batch: number;
  readonly mode: LowerMode;
  readonly seed?: number;
}

export interface LoweredModel {
  readonly graph: IrGraph;
  /** The IR input value (document layout: [B, ...input.shape], or [T*B, ...] for event frames). */
  readonly input: IrTensor;
  /** The raw model output as the `output` node receives it. */
  readonly output: IrTensor;
  readonly builder: IrBuilder;
  /** Every document node's output by `path:port`, the path dotted through composites as scopes are (what a profile taps). */
  readonly nodeOutputs: ReadonlyMap<string, IrTensor>;
}

export function lowerDocument(doc: GraphDocument, analysis: GraphAnalysis, opts: LowerOptions): LoweredModel {
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const b = new IrBuilder();
  const ctx: LowerCtx = {
    b,
    timeSteps: doc.timeSteps,
    batch: opts.batch,
    mode: opts.mode,
    seed: opts.seed ?? 0,
    param: (name, shape, init, role) => b.param(name, shape, init, role),
    ...(opts.mode === 'train' ? { noise: (shape: readonly number[]) => b.input(noiseName(b.scope, b), shape) } : {}),
  };
  const events = doc.input.kind === 'events';
  const inputType = { shape: doc.input.shape, timed: events, kind: events ? ('counts' as const) : ('analog' as const) };
  const input: IrTensor = { value: b.input('input', irShape(ctx, inputType)), type: inputType };
  const nodeOutputs = new Map<string, IrTensor>();
  const outputs = lowerBody(ctx, analysis.body, { x: input }, true, nodeOutputs);
  const output = Object.values(outputs)[0];
  if (!output) throw new Error('the document has no output node');
  return { graph: b.build(), input, output, builder: b, nodeOutputs };
}

function lowerBody(ctx: LowerCtx, body: BodyInfo, bound: Readonly<Record<string, IrTensor>>, top: boolean, taps: Map<string, IrTensor>): Record<string, IrTensor> {
  const values = new Map<string, IrTensor>(); // `${nodeId}:${port}`
  const results: Record<string, IrTensor> = {};
  const portInputs = (nodeId: string): Record<string, IrTensor> => {
    const ins: Record<string, IrTensor> = {};
    for (const e of body.source.edges) {
      if (e.target !== nodeId) continue;
      const v = values.get(`${e.source}:${e.sourcePort ?? DEFAULT_OUT_PORT}`);
      if (!v) throw new Error(`lowering: "${e.source}" was not lowered before "${nodeId}"`);
      ins[e.targetPort ?? DEFAULT_IN_PORT] = v;
    }
    return ins;
  };

  for (const node of body.nodes) {
    const ins = portInputs(node.id);
    const path = pathOf(ctx, node.id);
    const name = String(node.params.name ?? '');
    let outs: Record<string, IrTensor>;
    if (node.block.id === 'input') {
      const v = top ? bound.x : bound[name];
      if (!v) throw new Error(`lowering: input "${name}" is not bound`);
      outs = { [DEFAULT_OUT_PORT]: v };
    } else if (node.block.id === 'output') {
      results[name] = ins[DEFAULT_IN_PORT]!;
      outs = {};
    } else if (node.block.kind === 'primitive') {
      const block = node.block;
      outs = ctx.b.withScope(node.id, () => lowerPrimitive(ctx, block, ins, node.params, node.outputs, path));
    } else {
      if (!node.inner) throw new Error(`lowering: composite "${node.id}" has no analysed inside`);
      const inner = node.inner;
      outs = ctx.b.withScope(node.id, () => lowerBody(ctx, inner, ins, false, taps));
    }
    for (const [port, v] of Object.entries(outs)) {
      values.set(`${node.id}:${port}`, v);
      taps.set(`${path}:${port}`, v);
    }
  }
  return results;
}

/**
 * Lowers one primitive node under the current scope. Shape inference gave its output types and the
 * canvas shows them: each emitted value takes its port's type, and must have that type's IR shape,
 * or what is run is not what is shown (`path` names the node in the error).
 */
export function lowerPrimitive(
  ctx: LowerCtx,
  block: PrimitiveBlock,
  inputs: Readonly<Record<string, IrTensor>>,
  params: unknown,
  outputs: Readonly<Record<string, TensorType>>,
  path: string,
): Record<string, IrTensor> {
  const values = block.lower(ctx, inputs, params, outputs);
  const ports = Object.keys(outputs);
  const emitted = Object.keys(values);
  if (ports.length !== emitted.length || ports.some((p) => !(p in values))) {
    throw new Error(`lowering: "${path}" (${block.id}) emitted ports ${emitted.join(', ') || 'none'}; shape inference gave ${ports.join(', ') || 'none'}`);
  }
  const typed: Record<string, IrTensor> = {};
  for (const port of ports) {
    const type = outputs[port]!;
    const want = irShape(ctx, type);
    const got = ctx.b.shape(values[port]!);
    if (!sameShape(got, want)) {
      throw new Error(`lowering: "${path}" (${block.id}) port ${port} emitted IR shape [${got.join(',')}]; shape inference gave ${describeType(type)}, IR shape [${want.join(',')}] at T=${ctx.timeSteps}, B=${ctx.batch}`);
    }
    typed[port] = { value: values[port]!, type };
  }
  return typed;
}

/** A node's path, dotted through composites as scopes are. */
function pathOf(ctx: LowerCtx, nodeId: string): string {
  return ctx.b.scope === '' ? nodeId : `${ctx.b.scope}.${nodeId}`;
}

/** A fresh noise input name under the block's scope (`noise:attn.drop`, then `noise:attn.drop#2`). */
function noiseName(scope: string, b: IrBuilder): string {
  const base = `${NOISE_PREFIX}${scope}`;
  const taken = new Set(b.inputNames());
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}#${k}`)) return `${base}#${k}`;
}
