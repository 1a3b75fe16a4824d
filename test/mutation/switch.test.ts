/**
 * The mutation switch (README.md): off in a normal run, refuses an unknown name (a typo must not
 * pass for a clean run), and each mutation changes the training step it targets — the model bytes
 * differ while it is on and are the same as before once it is off again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { MUTATIONS, mutated, setMutation, type Mutation } from '../../engine/core/mutation.js';
import { emitOnnx } from '../../engine/core/onnx/emit.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { buildTrainStep } from '../../engine/core/train/step.js';
import { encodeModel } from '../../engine/runtime/onnx/encode.js';
import '../../engine/runtime/session.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const names = Object.keys(MUTATIONS) as Mutation[];

/** The lif-cnn training step (linear head, LIF neurons, Adam) as ONNX bytes. */
function stepBytes(): Buffer {
  const doc = lifCnn({ channels: [4, 8], timeSteps: 2 });
  const step = buildTrainStep(doc, analyseDocument(doc), { batch: 2, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('adam') });
  return Buffer.from(encodeModel(emitOnnx(step.graph, { name: 'step' })));
}

describe('the mutation switch', () => {
  afterEach(() => setMutation(process.env.SNN_TEST_MUTATION));

  it('is off in a normal run (SNN_TEST_MUTATION unset): no mutation is on', () => {
    expect(process.env.SNN_TEST_MUTATION ?? '').toBe('');
    expect(names.filter((m) => mutated(m))).toEqual([]);
  });

  it('refuses a name it does not know', () => {
    expect(() => setMutation('vjp-nan ')).toThrow(/unknown mutation "vjp-nan "; known: vjp-nan, lif-threshold, adam-skip/);
  });

  it('each mutation changes the training step, and switching it off gives back the same bytes', () => {
    const clean = stepBytes();
    for (const m of names) {
      setMutation(m);
      expect(stepBytes().equals(clean), `${m} changes the model`).toBe(false);
      setMutation(undefined);
      expect(stepBytes().equals(clean), `${m} off again`).toBe(true);
    }
  });
});
