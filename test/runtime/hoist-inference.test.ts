/**
 * Inference models run the layers over a direct-encoded input once on B, not on T·B
 * (engine/core/optimize/hoist-repeats.ts, applied by compileInference): the logits are those of
 * the model that runs them on every step, bit for bit, and the first conv really takes the
 * un-repeated input.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { Rng } from '../../engine/core/rng.js';
import { compileInference, type CompiledInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';

async function logits(c: CompiledInference): Promise<Float32Array> {
  const rng = Rng.fromSeed(5);
  const x = Float32Array.from({ length: c.inputShape.reduce((a, b) => a * b, 1) }, () => rng.uniform());
  const session = await createSession(c.bytes, { threads: 1 });
  try {
    return ((await session.run({ input: floatTensor(x, c.inputShape) })).logits as ort.Tensor).data as Float32Array;
  } finally {
    await session.release();
  }
}

/**
 * Whether the direct encoder's repeat over T (an Expand) comes before the first Conv: without the
 * hoist the conv runs on the T·B repeated rows, with it on the B rows of the input itself.
 */
function convAfterRepeat(c: CompiledInference): boolean {
  const ops = c.model.graph.nodes.map((n) => n.opType);
  const conv = ops.indexOf('Conv');
  if (conv < 0) throw new Error('no Conv in the model');
  return ops.slice(0, conv).includes('Expand');
}

const cases: [string, () => GraphDocument, number][] = [
  ['lif-cnn', () => lifCnn({ channels: [4, 8], timeSteps: 4 }), 3],
  ['spikformer tiny', () => buildTemplate('spikformer', 'tiny'), 2],
  ['sdt tiny', () => buildTemplate('sdt', 'tiny'), 2],
];

describe('inference over a direct-encoded input', () => {
  for (const [name, make, batch] of cases) {
    it(`${name}: the first conv takes the un-repeated input, and the logits equal the unhoisted model's exactly`, async () => {
      const doc = make();
      const hoisted = compileInference(doc, { batch });
      const plain = compileInference(doc, { batch, hoistRepeats: false });
      expect(convAfterRepeat(plain)).toBe(true);
      expect(convAfterRepeat(hoisted)).toBe(false);
      expect(Array.from(await logits(hoisted))).toEqual(Array.from(await logits(plain)));
    });
  }
});
