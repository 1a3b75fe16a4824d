/**
 * Inference pools each step of a neuron's spikes inside the neuron (engine/core/optimize/pool-steps.ts,
 * applied by compileInference): the logits equal those of the model that stacks the steps and pools
 * the stack, bit for bit, for max and average pooling. Norm gains are raised so that spikes reach
 * the head (a silent body would make both sets of logits the head's bias, equal for a wrong reason).
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import type { NeuronAttrs } from '../../engine/core/neurons/types.js';
import { poolSteps } from '../../engine/core/optimize/pool-steps.js';
import { compileInference, type CompiledInference } from '../../engine/runtime/compile.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { compiledLogits, normGains } from '../helpers/forward.js';

const pooledNeurons = (c: CompiledInference) => c.emitted.nodes.filter((n) => n.op === 'neuron' && (n.attrs as unknown as NeuronAttrs).pooled).length;
const opCount = (c: CompiledInference, op: string) => c.model.graph.nodes.filter((n) => n.opType === op).length;

/** The LIF CNN with its first pool averaging instead. */
function avgPoolCnn(): GraphDocument {
  const doc = lifCnn({ channels: [4, 8], timeSteps: 3 });
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === 'pool1' ? { ...n, block: 'avgpool2d' } : n)) };
}

/** Neurons pooled, and how many more nodes of the pool's op the pooled model has (T − 1 per layer of it). */
const cases: [string, () => GraphDocument, number, { pools: number; op: string; more: number }][] = [
  ['lif-cnn (max pooling)', () => lifCnn({ channels: [4, 8], timeSteps: 4 }), 3, { pools: 2, op: 'MaxPool', more: 2 * 3 }],
  ['lif-cnn with an average pool', avgPoolCnn, 2, { pools: 2, op: 'AveragePool', more: 1 * 2 }],
  ['spikformer tiny (SPS max pools)', () => buildTemplate('spikformer', 'tiny'), 2, { pools: 2, op: 'MaxPool', more: 2 * 3 }],
];

describe('inference pools each step of a neuron', () => {
  for (const [name, make, batch, want] of cases) {
    it(`${name}: the pools run per step inside the neuron, and the logits equal the stacked model's exactly`, async () => {
      const doc = make();
      const params = normGains(doc, 20);
      const pooled = compileInference(doc, { batch, params });
      const stacked = compileInference(doc, { batch, params, poolSteps: false });
      expect(pooledNeurons(stacked)).toBe(0);
      expect(pooledNeurons(pooled)).toBe(want.pools);
      // one pool node per step where the stacked model has one per layer
      expect(opCount(pooled, want.op) - opCount(stacked, want.op)).toBe(want.more);
      const got = await compiledLogits(pooled);
      expect(Array.from(got)).toEqual(Array.from(await compiledLogits(stacked)));
      const classes = got.length / batch;
      expect(Array.from(got.subarray(classes, 2 * classes)), "sample 1's logits vs sample 0's").not.toEqual(Array.from(got.subarray(0, classes)));
    });
  }

  it('leaves a neuron whose spikes are read elsewhere too (a profiler tap, a second consumer) stacked', () => {
    const graph = compileInference(lifCnn(), { batch: 2, poolSteps: false }).emitted;
    const first = graph.nodes.find((n) => n.op === 'neuron')!;
    const tapped = { ...graph, outputs: [...graph.outputs, { name: 'spikes', value: first.outputs[0]! }] };
    const { graph: out, pooled } = poolSteps(tapped);
    expect(pooled).toBe(1);
    expect(out.nodes.find((n) => n.outputs.includes(first.outputs[0]!))?.op).toBe('neuron');
    expect((out.nodes.find((n) => n.outputs.includes(first.outputs[0]!))!.attrs as unknown as NeuronAttrs).pooled).toBeUndefined();
    expect(poolSteps(out).pooled).toBe(0); // a pooled neuron is not pooled twice
  });
});
