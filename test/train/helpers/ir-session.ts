// Small graphs built with the IrBuilder, emitted and run on ONNX Runtime: the harness of the
// gradient tests. `withGradients` appends the autodiff backward of Σ y·r (r a cotangent input).
import { gradients } from '../../../engine/core/autodiff/gradients.js';
import { IrBuilder } from '../../../engine/core/ir/builder.js';
import type { DType, IrGraph } from '../../../engine/core/ir/types.js';
import { emitOnnx } from '../../../engine/core/onnx/emit.js';
import { pruneGraph } from '../../../engine/core/optimize/prune.js';
import { encodeModel } from '../../../engine/runtime/onnx/encode.js';
import { createSession, ort } from '../../../engine/runtime/session.js';

export type Feed = Float32Array | BigInt64Array;

export interface GraphRunner {
  run(feeds: Record<string, Feed>): Promise<Record<string, Float32Array>>;
  close(): Promise<void>;
}

export async function openGraph(graph: IrGraph, params?: ReadonlyMap<string, Float32Array>): Promise<GraphRunner> {
  const model = emitOnnx(graph, { name: 'test', ...(params ? { params } : {}) });
  const session = await createSession(encodeModel(model), { threads: 1 });
  const shapes = new Map<string, readonly number[]>();
  for (const i of graph.inputs) shapes.set(i.name, graph.values[i.value]!.shape);
  if (!params) for (const p of graph.params) shapes.set(p.name, graph.values[p.value]!.shape);
  return {
    async run(feeds) {
      const t: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(feeds)) {
        const shape = shapes.get(k);
        if (!shape) throw new Error(`no graph input ${k}`);
        t[k] = v instanceof BigInt64Array ? new ort.Tensor('int64', v, [...shape]) : new ort.Tensor('float32', v, [...shape]);
      }
      const out = (await session.run(t)) as Record<string, ort.Tensor>;
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
    },
    close: () => session.release(),
  };
}

export interface InputSpec {
  readonly shape: readonly number[];
  readonly dtype?: DType;
  /** Differentiate with respect to this input (default: float inputs). */
  readonly grad?: boolean;
}

/**
 * A graph with inputs x0, x1, …, the op(s) under test producing y, a cotangent input r shaped like
 * y, and outputs y and g<i> = d(Σ y·r)/dx<i> from autodiff.
 */
export function withGradients(
  inputs: readonly InputSpec[],
  build: (b: IrBuilder, xs: number[]) => number,
  opts: { readonly params?: boolean } = {},
): { graph: IrGraph; gradOf: number[] } {
  const b = new IrBuilder();
  const xs = inputs.map((s, i) => b.input(`x${i}`, s.shape, s.dtype ?? 'float32'));
  const y = build(b, xs);
  const r = b.input('r', b.shape(y));
  const rank = b.shape(y).length;
  const loss = b.op1('reduce_sum', [b.op1('mul', [y, r])], { axes: Array.from({ length: rank }, (_, i) => i), keepdims: false });
  b.output('y', y);
  const wrt = xs.filter((_, i) => inputs[i]!.grad ?? (inputs[i]!.dtype ?? 'float32') === 'float32');
  const forward = b.build();
  const params = opts.params ? forward.params.filter((p) => p.role !== 'buffer') : [];
  const { builder, grads } = gradients(forward, loss, [...wrt, ...params.map((p) => p.value)]);
  // parameters' gradients come out as g:<name>
  for (const p of params) {
    const g = grads.get(p.value);
    if (g !== undefined) builder.output(`g:${p.name}`, g);
  }
  const gradOf: number[] = [];
  xs.forEach((x, i) => {
    const g = grads.get(x);
    if (g !== undefined) {
      builder.output(`g${i}`, g);
      gradOf.push(i);
    }
  });
  return { graph: pruneGraph(builder.build()), gradOf };
}

/** Deterministic pseudo-random numbers for test data (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(n: number, rnd: () => number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rnd());
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
