// The rewrite passes are exact: folding a LIF's 1/τ into the BN before it changes no bit (τ = 2);
// hoisting the layers over a direct-encoded (T-repeated) input to run once on B gives the same step — loss, accuracy count, every updated parameter, BN statistic and
// optimizer state — as the plain graph; dead-code elimination changes no output.
import { describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { pruneGraph } from '../../engine/core/optimize/prune.js';
import { buildTrainStep } from '../../engine/core/train/step.js';
import { TrainingRun } from '../../engine/runtime/train/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { expectClose } from './helpers/compare.js';
import { openGraph, random, uniform } from './helpers/ir-session.js';

const doc = lifCnn({ channels: [4, 6], inputShape: [1, 12, 12], timeSteps: 3 });
const B = 8;

describe('hoistRepeats', () => {
  it('runs the first conv and BN on B rows instead of T·B', () => {
    const a = analyseDocument(doc);
    const step = (hoist: boolean) => buildTrainStep(doc, a, { batch: B, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('adam'), hoistRepeats: hoist });
    const rowsOfFirstConv = (g: ReturnType<typeof step>['graph']) => g.values[g.nodes.find((n) => n.op === 'conv2d')!.inputs[0]!]!.shape[0];
    expect(rowsOfFirstConv(step(false).graph)).toBe(3 * B);
    expect(rowsOfFirstConv(step(true).graph)).toBe(B);
    expect(step(true).graph.nodes.find((n) => n.op === 'neuron')!.attrs.steps).toBe(3);
  });

  it('is exact: one Adam step with and without it agrees on loss, accuracy and every updated tensor', async () => {
    const rnd = random(4);
    const x = uniform(B * 144, rnd, 0, 1);
    const y = Int32Array.from({ length: B }, (_, i) => i % 10);
    const results = [];
    for (const hoist of [false, true]) {
      const run = await TrainingRun.create(doc, { batch: B, threads: 1, seed: 3, loss: { kind: 'ce', labelSmoothing: 0.1 }, optimizer: optimizerSpec('adam'), hoistRepeats: hoist });
      const r1 = await run.step(x, y, 1e-2);
      const r2 = await run.step(x, y, 1e-2);
      results.push({ r1, r2, tensors: run.tensors() });
      await run.close();
    }
    const [plain, hoisted] = results as [(typeof results)[0], (typeof results)[0]];
    for (const k of ['r1', 'r2'] as const) {
      expect(hoisted[k].loss).toBeCloseTo(plain[k].loss, 5);
      expect(hoisted[k].correct).toBe(plain[k].correct);
      expect(hoisted[k].spikes).toEqual(plain[k].spikes);
    }
    expect([...hoisted.tensors.keys()].sort()).toEqual([...plain.tensors.keys()].sort());
    for (const [name, t] of plain.tensors) expectClose(hoisted.tensors.get(name)!.data, t.data, name, 1e-4, 1e-5);
  });
});

describe('foldChargeGain', () => {
  it('moves each LIF\'s 1/τ into the BN before it', () => {
    const a = analyseDocument(doc);
    const step = (fold: boolean) => buildTrainStep(doc, a, { batch: B, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('adam'), foldChargeGain: fold });
    const decaying = (g: ReturnType<typeof step>['graph']) => g.nodes.filter((n) => n.op === 'neuron' && n.attrs.decayInput === true).length;
    expect(decaying(step(false).graph)).toBe(2);
    expect(decaying(step(true).graph)).toBe(0);
    // what remains of the 1/τ: a scale of γ and of β ([C] each) in front of each BN, and their gradients'
    const scales = (g: ReturnType<typeof step>['graph']) => g.nodes.filter((n) => n.op === 'scale' && n.attrs.factor === 0.5).length;
    expect(scales(step(true).graph) - scales(step(false).graph)).toBe(8);
  });

  it('is exact for τ = 2: two Adam steps with and without it agree bit for bit', async () => {
    const rnd = random(9);
    const x = uniform(B * 144, rnd, 0, 1);
    const y = Int32Array.from({ length: B }, (_, i) => (3 * i) % 10);
    const results = [];
    for (const fold of [false, true]) {
      const run = await TrainingRun.create(doc, { batch: B, threads: 1, seed: 3, loss: { kind: 'ce', labelSmoothing: 0.1 }, optimizer: optimizerSpec('adam'), foldChargeGain: fold });
      const r1 = await run.step(x, y, 1e-2);
      const r2 = await run.step(x, y, 1e-2);
      results.push({ r1, r2, tensors: run.tensors() });
      await run.close();
    }
    const [plain, folded] = results as [(typeof results)[0], (typeof results)[0]];
    expect(folded.r1).toEqual(plain.r1);
    expect(folded.r2).toEqual(plain.r2);
    expect(plain.r2.spikes.every((s) => s > 0)).toBe(true);
    for (const [name, t] of plain.tensors) expect(Array.from(folded.tensors.get(name)!.data), name).toEqual(Array.from(t.data));
  });
});

describe('pruneGraph', () => {
  it('drops nodes no output needs and keeps the outputs', async () => {
    const b = new IrBuilder();
    const x = b.input('x', [4]);
    const used = b.op1('scale', [x], { factor: 2 });
    b.op1('exp', [b.op1('mul', [x, x])]); // dead
    b.output('y', b.op1('shift', [used], { offset: 1 }));
    const full = b.build();
    const pruned = pruneGraph(full);
    expect(full.nodes.length).toBe(4);
    expect(pruned.nodes.map((n) => n.op)).toEqual(['scale', 'shift']);
    const input = Float32Array.of(1, 2, 3, 4);
    const [ra, rb] = [await openGraph(full), await openGraph(pruned)];
    expect(Array.from((await rb.run({ x: input })).y!)).toEqual(Array.from((await ra.run({ x: input })).y!));
    await Promise.all([ra.close(), rb.close()]);
  });
});
