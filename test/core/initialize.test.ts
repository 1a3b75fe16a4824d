/**
 * Parameter initialisation: each parameter from its own generator seeded by (seed, name), and
 * parameters the caller already has (trained values) taken as they are instead of drawn.
 */
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { initializeParams, initTensor } from '../../engine/core/init/initialize.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const doc = lifCnn();
const graph = lowerDocument(doc, analyseDocument(doc), { batch: 1, mode: 'infer' }).graph;

describe('initializeParams', () => {
  it('draws every parameter from the seed, the same values on every call, different per seed', () => {
    const a = initializeParams(graph, 3);
    const b = initializeParams(graph, 3);
    expect([...a.keys()]).toEqual(graph.params.map((p) => p.name));
    for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
    expect(initializeParams(graph, 4).get('conv1.weight')).not.toEqual(a.get('conv1.weight'));
  });

  it('takes a given tensor of the right length as it is, and draws the others exactly as without it', () => {
    const plain = initializeParams(graph, 3);
    const trained = Float32Array.from(plain.get('conv2.weight')!, (x) => x + 1);
    const got = initializeParams(graph, 3, new Map([['conv2.weight', trained]]));
    expect(got.get('conv2.weight')).toBe(trained);
    for (const [k, v] of plain) if (k !== 'conv2.weight') expect(got.get(k), k).toEqual(v);
  });

  it("draws a given tensor of the wrong length, so that the caller's length check reports it", () => {
    const got = initializeParams(graph, 3, new Map([['conv2.weight', new Float32Array(5)]]));
    expect(got.get('conv2.weight')!.length).toBe(64 * 32 * 9);
    expect(() => compileInference(doc, { params: new Map([['conv2.weight', new Float32Array(5)]]) })).toThrow(/"conv2.weight" has 5 values; "LIF CNN" needs 18432/);
  });

  it('a uniform tensor stays within its bound, a trunc-normal one has its standard deviation', () => {
    const u = initTensor({ kind: 'uniform', bound: 0.25 }, 20_000, Rng.fromSeed(1));
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(0.25);
    const t = initTensor({ kind: 'trunc_normal', std: 0.02 }, 20_000, Rng.fromSeed(1));
    const sd = Math.sqrt(t.reduce((s, x) => s + x * x, 0) / t.length);
    expect(sd).toBeGreaterThan(0.019);
    expect(sd).toBeLessThan(0.021);
  });
});

describe('Rng batch fills', () => {
  it('draw the same values as one uniform() or normal() call per element, and leave the generator where those calls leave it', () => {
    const [a, b] = [Rng.fromSeed(9), Rng.fromSeed(9)];
    const u = new Float32Array(10_001);
    a.fillUniform(u, 0.3);
    expect(u).toEqual(Float32Array.from({ length: u.length }, () => (b.uniform() * 2 - 1) * 0.3));
    expect(a.state()).toEqual(b.state());
    // a limit of 1.5σ makes about one draw in seven a redraw, so the loop's redraw path runs
    const t = new Float32Array(10_001);
    a.fillTruncNormal(t, 2, 3);
    const byCalls = Float32Array.from({ length: t.length }, () => {
      let v: number;
      do v = b.normal() * 2;
      while (v < -3 || v > 3);
      return v;
    });
    expect(t).toEqual(byCalls);
    expect(a.state()).toEqual(b.state());
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(3);
  });
});
