/**
 * Inference models run the layers over a direct-encoded input once on B, not on T·B
 * (engine/core/optimize/hoist-repeats.ts, applied by compileInference): the logits are those of
 * the model that runs them on every step, bit for bit, and the first conv really takes the
 * un-repeated input. A silent network would make both sets of logits the head's bias, equal for a
 * wrong reason: every norm gain is raised so spikes reach the head, and the logits must differ
 * between the samples of the batch (they are the bias alone when no spike arrives).
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { compileInference, type CompiledInference } from '../../engine/runtime/compile.js';
import { buildTemplate } from '../../templates/index.js';
import { lifCnn } from '../../templates/lif-cnn.js';
import { compiledLogits, normGains } from '../helpers/forward.js';

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

/** Each sample's logits differ from every other's: spikes reached the head (a silent body gives every row the bias). */
function expectInputReachesHead(logits: Float32Array, batch: number): void {
  const classes = logits.length / batch;
  const rows = Array.from({ length: batch }, (_, i) => Array.from(logits.subarray(i * classes, (i + 1) * classes)));
  expect(rows.every((r) => r.every(Number.isFinite))).toBe(true);
  for (let i = 1; i < batch; i++) expect(rows[i], `sample ${i}'s logits vs sample 0's`).not.toEqual(rows[0]);
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
      const params = normGains(doc, 20);
      const hoisted = compileInference(doc, { batch, params });
      const plain = compileInference(doc, { batch, params, hoistRepeats: false });
      expect(convAfterRepeat(plain)).toBe(true);
      expect(convAfterRepeat(hoisted)).toBe(false);
      const got = await compiledLogits(hoisted);
      expect(Array.from(got)).toEqual(Array.from(await compiledLogits(plain)));
      expectInputReachesHead(got, batch);
    });
  }
});
