// The in-graph optimizer updates against float64 reimplementations of PyTorch's update rules
// (torch.optim.SGD / Adam / AdamW docs; LAMB as You et al. with a per-tensor trust ratio), over
// several steps with fed-back state, including gradient clipping by global norm and the
// weight-decay exemption of biases and norm parameters.
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import type { ParamRole } from '../../engine/core/ir/types.js';
import { updatedName } from '../../engine/core/train/names.js';
import { applyOptimizer, optimizerSpec, type OptimizerSpec } from '../../engine/core/train/optimizer.js';
import { learningRate } from '../../engine/core/train/schedule.js';
import { expectClose } from './helpers/compare.js';
import { numel, openGraph, random, uniform } from './helpers/ir-session.js';

const PARAMS: { name: string; shape: number[]; role: ParamRole }[] = [
  { name: 'fc.weight', shape: [3, 2], role: 'weight' },
  { name: 'fc.bias', shape: [2], role: 'bias' },
  { name: 'bn.weight', shape: [2], role: 'norm' },
];

/** One graph: parameters and their gradients (inputs) → the optimizer's next values. */
async function optimizerGraph(spec: OptimizerSpec, clip?: number) {
  const b = new IrBuilder();
  const lr = b.input('lr', []);
  const step = b.input('step', []);
  const params = PARAMS.map((p) => ({ name: p.name, role: p.role, value: b.param(p.name, p.shape, { kind: 'const', value: 0 }, p.role) }));
  const grads = new Map(params.map((p, i) => [p.value, b.input(`grad${i}`, PARAMS[i]!.shape)]));
  const opt = applyOptimizer(b, params, grads, spec, { lr, step }, clip);
  for (const [name, v] of opt.updates) b.output(updatedName(name), v);
  return { runner: await openGraph(b.build()), state: opt.state };
}

type Vec = Float64Array;

/** PyTorch's rules in float64; state keyed like ours. */
function referenceStep(spec: OptimizerSpec, p: Vec[], g: Vec[], state: Map<string, Vec>, lr: number, t: number, clip?: number): void {
  if (clip !== undefined) {
    const norm = Math.sqrt(g.reduce((s, v) => s + v.reduce((a, x) => a + x * x, 0), 0));
    const coef = clip / (norm + 1e-6);
    if (coef < 1) for (const v of g) for (let i = 0; i < v.length; i++) v[i]! *= coef;
  }
  PARAMS.forEach((meta, k) => {
    const wd = meta.role === 'weight' ? spec.weightDecay : 0;
    const pk = p[k]!;
    const gk = g[k]!;
    const slot = (name: string) => {
      const key = `optim.${name}.${meta.name}`;
      if (!state.has(key)) state.set(key, new Float64Array(pk.length));
      return state.get(key)!;
    };
    if (spec.name === 'sgd') {
      const buf = spec.momentum === 0 ? undefined : slot('momentum_buffer');
      for (let i = 0; i < pk.length; i++) {
        let d = gk[i]! + wd * pk[i]!;
        if (!buf) {
          pk[i]! -= lr * d;
          continue;
        }
        buf[i] = t === 1 ? d : spec.momentum * buf[i]! + d;
        d = spec.nesterov ? d + spec.momentum * buf[i]! : buf[i]!;
        pk[i]! -= lr * d;
      }
      return;
    }
    const m = slot('exp_avg');
    const v = slot('exp_avg_sq');
    const bc1 = 1 - spec.beta1 ** t;
    const bc2 = 1 - spec.beta2 ** t;
    const r = new Float64Array(pk.length);
    for (let i = 0; i < pk.length; i++) {
      if (spec.name === 'adamw') pk[i]! *= 1 - lr * wd;
      const gi = spec.name === 'adam' ? gk[i]! + wd * pk[i]! : gk[i]!;
      m[i] = spec.beta1 * m[i]! + (1 - spec.beta1) * gi;
      v[i] = spec.beta2 * v[i]! + (1 - spec.beta2) * gi * gi;
      if (spec.name === 'lamb') r[i] = m[i]! / bc1 / (Math.sqrt(v[i]! / bc2) + spec.eps) + wd * pk[i]!;
      else pk[i]! -= (lr / bc1) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + spec.eps));
    }
    if (spec.name === 'lamb') {
      const pn = Math.hypot(...pk);
      const rn = Math.hypot(...r);
      const trust = pn > 0 && rn > 0 ? pn / rn : 1;
      for (let i = 0; i < pk.length; i++) pk[i]! -= lr * trust * r[i]!;
    }
  });
}

describe('optimizer updates vs PyTorch rules (4 steps, state fed back)', () => {
  it.each([
    ['SGD, momentum 0.9, weight decay 1e-2', optimizerSpec('sgd', { weightDecay: 1e-2 }), undefined],
    ['SGD, Nesterov', optimizerSpec('sgd', { nesterov: true, weightDecay: 5e-4 }), undefined],
    ['SGD without momentum', optimizerSpec('sgd', { momentum: 0 }), undefined],
    ['Adam, L2 weight decay 1e-2', optimizerSpec('adam', { weightDecay: 1e-2 }), undefined],
    ['AdamW, weight decay 0.05', optimizerSpec('adamw', { weightDecay: 0.05 }), undefined],
    ['LAMB, weight decay 0.01', optimizerSpec('lamb'), undefined],
    ['AdamW with gradient clipping to norm 0.5', optimizerSpec('adamw'), 0.5],
  ] as const)('%s', async (_n, spec, clip) => {
    const rnd = random(9);
    const { runner, state } = await optimizerGraph(spec, clip);
    const p = PARAMS.map((m) => Float64Array.from(uniform(numel(m.shape), rnd)));
    const refState = new Map<string, Vec>();
    const feeds: Record<string, Float32Array> = {};
    PARAMS.forEach((m, k) => (feeds[m.name] = Float32Array.from(p[k]!)));
    for (const [name, shape] of state) feeds[name] = new Float32Array(numel(shape));
    const schedule = { kind: 'cosine' as const, lr: 0.05, epochs: 1, stepsPerEpoch: 4, warmupEpochs: 0.25, warmupLr: 0.01 };
    for (let t = 1; t <= 4; t++) {
      const g = PARAMS.map((m) => Float64Array.from(uniform(numel(m.shape), rnd, -2, 2)));
      const lr = learningRate(schedule, t - 1);
      g.forEach((v, k) => (feeds[`grad${k}`] = Float32Array.from(v)));
      feeds.lr = Float32Array.of(lr);
      feeds.step = Float32Array.of(t);
      const out = await runner.run(feeds);
      referenceStep(spec, p, g, refState, Math.fround(lr), t, clip);
      for (const [k, v] of Object.entries(out)) feeds[k.slice('updated:'.length)] = v;
      PARAMS.forEach((m, k) => expectClose(feeds[m.name]!, p[k]!, `${m.name} after step ${t}`, 2e-5, 1e-6));
      for (const [name, v] of refState) expectClose(feeds[name]!, v, `${name} after step ${t}`, 2e-5, 1e-6);
    }
    await runner.close();
  });

  it('AdamW decays weights but not biases or norm parameters', async () => {
    const { runner, state } = await optimizerGraph(optimizerSpec('adamw', { weightDecay: 0.5 }));
    const feeds: Record<string, Float32Array> = { lr: Float32Array.of(0.1), step: Float32Array.of(1) };
    PARAMS.forEach((m, k) => {
      feeds[m.name] = new Float32Array(numel(m.shape)).fill(1);
      feeds[`grad${k}`] = new Float32Array(numel(m.shape));
    });
    for (const [name, shape] of state) feeds[name] = new Float32Array(numel(shape));
    const out = await runner.run(feeds);
    expect(Array.from(out[updatedName('fc.weight')]!)).toEqual(new Array(6).fill(Math.fround(1 - 0.1 * 0.5)));
    expect(Array.from(out[updatedName('fc.bias')]!)).toEqual([1, 1]);
    expect(Array.from(out[updatedName('bn.weight')]!)).toEqual([1, 1]);
    await runner.close();
  });
});

describe('learning-rate schedules', () => {
  const base = { lr: 0.1, epochs: 10, stepsPerEpoch: 100 };
  it('linear warmup from warmupLr, then cosine to minLr', () => {
    const s = { ...base, kind: 'cosine' as const, warmupEpochs: 2, warmupLr: 0.001, minLr: 1e-4 };
    expect(learningRate(s, 0)).toBeCloseTo(0.001, 12);
    expect(learningRate(s, 100)).toBeCloseTo(0.001 + (0.1 - 0.001) * 0.5, 12);
    expect(learningRate(s, 200)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 600)).toBeCloseTo(1e-4 + 0.5 * (0.1 - 1e-4), 12);
    expect(learningRate(s, 1000)).toBeCloseTo(1e-4, 12);
  });
  it('cosine with cooldown holds minLr for the last epochs', () => {
    const s = { ...base, kind: 'cosine' as const, cooldownEpochs: 2, minLr: 0.01 };
    expect(learningRate(s, 800)).toBeCloseTo(0.01, 12);
    expect(learningRate(s, 900)).toBeCloseTo(0.01, 12);
  });
  it('step decay by gamma every decayEpochs; constant stays', () => {
    const s = { ...base, kind: 'step' as const, gamma: 0.5, decayEpochs: 3 };
    expect(learningRate(s, 299)).toBeCloseTo(0.1, 12);
    expect(learningRate(s, 300)).toBeCloseTo(0.05, 12);
    expect(learningRate(s, 650)).toBeCloseTo(0.025, 12);
    expect(learningRate({ ...base, kind: 'constant' }, 777)).toBe(0.1);
  });
});
