// Finite-difference check of autodiff gradients on ONNX Runtime (float32, so with care: central
// differences on smooth inputs, directional derivatives along random directions, the loss summed
// in float64 in JavaScript from the float32 output).
import type { IrBuilder } from '../../../engine/core/ir/builder.js';
import { numel, openGraph, random, uniform, withGradients, type Feed, type InputSpec } from './ir-session.js';

export interface GradCase {
  readonly inputs: readonly (InputSpec & { readonly data?: Feed })[];
  readonly build: (b: IrBuilder, xs: number[]) => number;
  /** Step of the central difference (default 1e-3). */
  readonly eps?: number;
  readonly seed?: number;
  readonly directions?: number;
}

export interface GradCheckResult {
  /** Worst |fd − analytic| / max(|analytic|, |fd|, floor) over the directions. */
  readonly worst: number;
  readonly pairs: readonly (readonly [number, number])[];
}

export async function gradCheck(c: GradCase): Promise<GradCheckResult> {
  const rnd = random(c.seed ?? 1);
  const { graph, gradOf } = withGradients(c.inputs, c.build);
  if (gradOf.length === 0) throw new Error('gradCheck: no input received a gradient');
  const runner = await openGraph(graph);
  try {
    const base: Record<string, Feed> = {};
    c.inputs.forEach((s, i) => (base[`x${i}`] = s.data ?? uniform(numel(s.shape), rnd)));
    const yShape = graph.values[graph.outputs.find((o) => o.name === 'y')!.value]!.shape;
    const r = uniform(numel(yShape), rnd);
    base.r = r;
    const first = await runner.run(base);
    const lossAt = async (feeds: Record<string, Feed>) => {
      const y = (await runner.run(feeds)).y!;
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i]! * r[i]!;
      return s;
    };
    const eps = c.eps ?? 1e-3;
    const pairs: [number, number][] = [];
    let worst = 0;
    for (let k = 0; k < (c.directions ?? 3); k++) {
      const plus: Record<string, Feed> = { ...base };
      const minus: Record<string, Feed> = { ...base };
      let analytic = 0;
      let scale = 0;
      for (const i of gradOf) {
        const x = base[`x${i}`] as Float32Array;
        const d = uniform(x.length, rnd);
        const g = first[`g${i}`]!;
        for (let j = 0; j < x.length; j++) {
          analytic += g[j]! * d[j]!;
          scale += Math.abs(g[j]! * d[j]!);
        }
        plus[`x${i}`] = x.map((v, j) => v + eps * d[j]!);
        minus[`x${i}`] = x.map((v, j) => v - eps * d[j]!);
      }
      const fd = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * eps);
      pairs.push([fd, analytic]);
      worst = Math.max(worst, Math.abs(fd - analytic) / Math.max(Math.abs(analytic), Math.abs(fd), 1e-2 * scale, 1e-6));
    }
    return { worst, pairs };
  } finally {
    await runner.close();
  }
}
