// Sums over the rows of [M, C] fold k rows into one wide row before reducing (column-sum.ts): the
// rule that picks k, and every reduction built on it — reduce_sum / reduce_mean over leading axes,
// batch norm in token layout (statistics and gradients), LayerNorm's parameter gradients — against
// float64 sums computed here, on shapes large enough to take the folded form.
import { describe, expect, it } from 'vitest';
import { foldedRows, FOLDED_COLUMNS } from '../../engine/core/ir/primitives/column-sum.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import { expectWithin, maxAbs } from '../helpers/close.js';
import { openGraph, random, uniform, withGradients } from './helpers/ir-session.js';

const rnd = random(11);

/** Σ over rows of x [m, c] in float64. */
function columnSums(x: ArrayLike<number>, m: number, c: number): Float64Array {
  const s = new Float64Array(c);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) s[j]! += x[i * c + j]!;
  return s;
}

/** Within float32 rounding of a sum of m terms: 1e-5 of the sum of magnitudes per column. */
function expectSums(actual: ArrayLike<number>, expected: ArrayLike<number>, magnitude: ArrayLike<number>, what: string): void {
  expectWithin(actual, expected, (_e, i) => 1e-5 * (1 + magnitude[i]!), what, '1e-5 of Σ|terms|');
}

const reduceOps = (graph: ReturnType<typeof withGradients>['graph']) => emitOnnx(graph, { name: 't' }).graph.nodes.filter((n) => n.opType.startsWith('Reduce')).map((n) => n.opType);

describe('column sums (rows folded into wide rows)', () => {
  it('folds the most rows that divide M and fit FOLDED_COLUMNS columns; small or unfoldable tensors stay one reduction', () => {
    expect(FOLDED_COLUMNS).toBe(8192);
    expect(foldedRows(100_352, 8)).toBe(1024);
    expect(foldedRows(100_352, 256)).toBe(32);
    expect(foldedRows(3136, 16)).toBe(448); // 512 does not divide 3136 = 2⁶·7²
    expect(foldedRows(8, 3)).toBe(1); // too small to pay
    expect(foldedRows(65_537, 8)).toBe(1); // prime: no k ≥ 2 divides it
    expect(foldedRows(4096, 8192)).toBe(1); // already a row of 8192
  });

  it('reduce_sum and reduce_mean over leading axes equal float64 sums, folded', async () => {
    const shape = [64, 49, 16];
    const { graph } = withGradients([{ shape }], (b, [x]) => b.op1('reduce_sum', [x!], { axes: [0, 1], keepdims: false }));
    expect(reduceOps(graph).filter((o) => o === 'ReduceSum').length).toBeGreaterThanOrEqual(2);
    const x = uniform(64 * 49 * 16, rnd, -1, 1);
    const run = await openGraph(graph);
    const out = await run.run({ x0: x, r: uniform(16, rnd) });
    await run.close();
    expectSums(out.y!, columnSums(x, 3136, 16), columnSums(x.map(Math.abs), 3136, 16), 'Σ over [64, 49]');
    // its gradient spreads r back over the rows
    expect(out.g0!.length).toBe(x.length);

    const mean = withGradients([{ shape: [4096, 8] }], (b, [v]) => b.op1('reduce_mean', [v!], { axes: [0], keepdims: true })).graph;
    expect(reduceOps(mean)).not.toContain('ReduceMean');
    const v = uniform(4096 * 8, rnd, 0, 2);
    const m = await openGraph(mean);
    const y = (await m.run({ x0: v, r: uniform(8, rnd) })).y!;
    await m.close();
    const want = Array.from(columnSums(v, 4096, 8), (s) => s / 4096);
    expectWithin(y, want, (e) => 1e-6 * (1 + Math.abs(e)), 'mean over 4096 rows', '1e-6 relative');
  });

  it('batch norm in token layout [4096, 8]: y and dx, dγ, dβ equal the float64 formulas', async () => {
    const [M, C] = [4096, 8];
    const { graph } = withGradients([{ shape: [M, C] }, { shape: [C] }, { shape: [C] }], (b, xs) => b.op('batchnorm_train', xs, { eps: 1e-5 })[0]!);
    const x = Float32Array.from({ length: M * C }, (_, i) => Math.sin(i * 0.37) * (1 + (i % C)) + (i % C));
    const w = uniform(C, rnd, 0.5, 1.5);
    const bias = uniform(C, rnd, -0.5, 0.5);
    const r = uniform(M * C, rnd, -1, 1);
    const run = await openGraph(graph);
    const out = await run.run({ x0: x, x1: w, x2: bias, r });
    await run.close();

    const mean = Array.from(columnSums(x, M, C), (s) => s / M);
    const sq = new Float64Array(M * C);
    x.forEach((v, i) => (sq[i] = (v - mean[i % C]!) ** 2));
    const inv = Array.from(columnSums(sq, M, C), (s) => 1 / Math.sqrt(s / M + 1e-5));
    const xhat = Float64Array.from(x, (v, i) => (v - mean[i % C]!) * inv[i % C]!);
    const y = Float64Array.from(xhat, (v, i) => v * w[i % C]! + bias[i % C]!);
    expectWithin(out.y!, y, (e) => 1e-4 * (1 + Math.abs(e)), 'y', '1e-4 relative');

    const dbeta = columnSums(r, M, C);
    const dgamma = columnSums(Float64Array.from(r, (v, i) => v * xhat[i]!), M, C);
    const dx = Float64Array.from(r, (g, i) => (w[i % C]! * inv[i % C]! * (g - dbeta[i % C]! / M - (xhat[i]! * dgamma[i % C]!) / M)));
    expectSums(out.g2!, dbeta, columnSums(r.map(Math.abs), M, C), 'dβ');
    expectSums(out.g1!, dgamma, columnSums(Float64Array.from(r, (v, i) => Math.abs(v * xhat[i]!)), M, C), 'dγ');
    const scale = maxAbs(dx);
    expectWithin(out.g0!, dx, () => 1e-4 * scale, 'dx', '1e-4 of its scale');
  });

  it('LayerNorm [4096, 8]: dγ and dβ, summed over rows, equal the float64 sums', async () => {
    const [M, D] = [4096, 8];
    const { graph } = withGradients([{ shape: [M, D] }, { shape: [D] }, { shape: [D] }], (b, xs) => b.op1('layernorm', xs, { eps: 1e-5 }));
    const x = uniform(M * D, rnd, -2, 2);
    const r = uniform(M * D, rnd, -1, 1);
    const run = await openGraph(graph);
    const out = await run.run({ x0: x, x1: uniform(D, rnd, 0.5, 1.5), x2: uniform(D, rnd), r });
    await run.close();
    const xhat = new Float64Array(M * D);
    for (let i = 0; i < M; i++) {
      const row = Array.from(x.subarray(i * D, (i + 1) * D));
      const mu = row.reduce((a, b) => a + b, 0) / D;
      const inv = 1 / Math.sqrt(row.reduce((a, b) => a + (b - mu) ** 2, 0) / D + 1e-5);
      row.forEach((v, j) => (xhat[i * D + j] = (v - mu) * inv));
    }
    expectSums(out.g2!, columnSums(r, M, D), columnSums(r.map(Math.abs), M, D), 'dβ');
    const gx = Float64Array.from(r, (v, i) => v * xhat[i]!);
    expectSums(out.g1!, columnSums(gx, M, D), columnSums(gx.map(Math.abs), M, D), 'dγ');
  });
});
