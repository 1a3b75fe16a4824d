/**
 * A training step's per-layer spike count (engine/core/train/spike-layers.ts `spikeCount`): the
 * exact number of ones, whether the tensor is summed in one pass (small) or row by row first
 * (large, so that ORT spreads the sum over its threads).
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../../engine/core/ir/builder.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import { Rng } from '../../engine/core/rng.js';
import { spikeCount } from '../../engine/core/train/spike-layers.js';
import { openGraph } from './helpers/ir-session.js';

describe('spikeCount', () => {
  for (const [shape, reduceSums] of [
    [[3, 5], 1],
    [[4, 64, 32, 7, 7], 2],
    [[1, 100_003], 1],
  ] as const) {
    it(`counts every spike of [${shape.join(', ')}] exactly (${reduceSums} ReduceSum${reduceSums > 1 ? 's' : ''})`, async () => {
      const b = new IrBuilder();
      const x = b.input('x', shape);
      b.output('count', spikeCount(b, x));
      const graph = b.build();
      expect(emitOnnx(graph, { name: 'count' }).graph.nodes.filter((n) => n.opType === 'ReduceSum')).toHaveLength(reduceSums);
      const rng = Rng.fromSeed(7);
      const spikes = Float32Array.from({ length: shape.reduce((a: number, d: number) => a * d, 1) }, () => (rng.uniform() < 0.3 ? 1 : 0));
      const want = spikes.reduce((a, s) => a + s, 0);
      const runner = await openGraph(graph);
      try {
        const got = (await runner.run({ x: spikes })).count!;
        expect(got[0]).toBe(want);
      } finally {
        await runner.close();
      }
    });
  }
});
