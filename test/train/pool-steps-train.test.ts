/**
 * The training step max-pools each step of a neuron's spikes inside the neuron (optimize/pool-steps,
 * applied by buildTrainStep): its VJP unpools each step with the indices the forward saved, and the
 * neuron sums its own spikes for the step's spike count. Exact, so one step from the same weights
 * and batch gives every output — loss, updated weights, optimizer state, spike counts — bit for bit
 * as the step that stacks the spikes and pools the stack. Covered: the affine LIF (hard reset,
 * 2×2 pools), a learned-rate PLIF and a QIF (the general emitter), and Spikformer tiny's SPS with
 * overlapping 3×3/2 pools (the scatter-add unpool). Norm gains are raised so that spikes happen.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { initializeParams } from '../../engine/core/init/initialize.js';
import type { NeuronAttrs } from '../../engine/core/neurons/types.js';
import { STEP_COUNT, STEP_INPUT, STEP_LABELS, STEP_LR } from '../../engine/core/train/names.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { createSession, floatTensor, ort } from '../../engine/runtime/session.js';
import { compileTrainStep } from '../../engine/runtime/train/compile.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { normGains } from '../helpers/forward.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

async function oneStep(doc: GraphDocument, batch: number, poolSteps: boolean) {
  const { step, bytes } = compileTrainStep(doc, { batch, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('adam'), poolSteps });
  const values = initializeParams(step.graph, 3, normGains(doc, 4));
  const feeds: Record<string, ort.Tensor> = {};
  for (const p of step.params) feeds[p.name] = floatTensor(values.get(p.name)!, p.shape);
  for (const [name, shape] of step.state) feeds[name] = floatTensor(new Float32Array(size(shape)), shape);
  for (const n of step.noise) feeds[n.name] = floatTensor(new Float32Array(size(n.shape)).fill(0.5), n.shape);
  feeds[STEP_INPUT] = floatTensor(Float32Array.from({ length: size(step.inputShape) }, (_, i) => (1 + Math.sin(i)) / 2), step.inputShape);
  feeds[STEP_LABELS] = new ort.Tensor('int64', BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 3)), [batch]);
  feeds[STEP_LR] = floatTensor(Float32Array.of(1e-3), []);
  feeds[STEP_COUNT] = floatTensor(Float32Array.of(1), []);
  const session = await createSession(bytes, { threads: 2 });
  try {
    const out = (await session.run(feeds)) as Record<string, ort.Tensor>;
    const pooled = step.graph.nodes.filter((n) => n.op === 'neuron' && (n.attrs as unknown as NeuronAttrs).pooled).length;
    return { out, pooled, counts: step.spikeLayers.map((l) => (out[l.output]!.data as Float32Array)[0]!) };
  } finally {
    await session.release();
  }
}

/** The LIF CNN with its neurons swapped for another row of the neuron table. */
function cnnWith(block: string): GraphDocument {
  const doc = lifCnn({ channels: [4, 8], timeSteps: 3, classes: 3 });
  return { ...doc, nodes: doc.nodes.map((n) => (n.block === 'lif' ? { ...n, block, params: {} } : n)) };
}

const cases: [string, () => GraphDocument, number, number][] = [
  ['LIF CNN', () => lifCnn({ channels: [4, 8], timeSteps: 4, classes: 3 }), 4, 2],
  ['PLIF CNN (learned rate)', () => cnnWith('plif'), 3, 2],
  ['QIF CNN (the general emitter)', () => cnnWith('qif'), 3, 2],
  ['Spikformer tiny (SPS, overlapping 3×3/2 pools)', () => buildTemplate('spikformer', 'tiny'), 2, 2],
];

describe('the training step pools each step of a neuron', () => {
  for (const [name, make, batch, pools] of cases) {
    it(`${name}: every output of one step equals the stacked step's, bit for bit`, async () => {
      const doc = make();
      const [stacked, pooled] = [await oneStep(doc, batch, false), await oneStep(doc, batch, true)];
      expect(stacked.pooled).toBe(0);
      expect(pooled.pooled).toBe(pools);
      expect(pooled.counts.some((c) => c > 0), 'some layer spiked').toBe(true);
      expect(pooled.counts).toEqual(stacked.counts);
      expect(Object.keys(pooled.out).sort()).toEqual(Object.keys(stacked.out).sort());
      for (const [k, v] of Object.entries(stacked.out)) expect(Array.from(pooled.out[k]!.data as Float32Array), k).toEqual(Array.from(v.data as Float32Array));
    });
  }
});
