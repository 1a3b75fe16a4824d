/**
 * Folding inference BatchNorm into the Linear before it (engine/core/optimize/fold-batchnorm.ts):
 * the folded model computes what the op-for-op model computes, with the Linear→BN pairs gone,
 * and a BN that does not follow a Linear (after a conv, or one whose input has other readers)
 * stays where it is.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../engine/core/document/builder.js';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { Rng } from '../../engine/core/rng.js';
import { foldBatchNormIntoLinear } from '../../engine/core/optimize/fold-batchnorm.js';
import { compileInference, type CompiledInference } from '../../engine/runtime/compile.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { buildTemplate } from '../../templates/index.js';

/** Image → Linear → BN1d → LIF → Linear → BN1d (its input also read by a skip) → output. */
function mlpDoc(): GraphDocument {
  const g = new GraphBuilder();
  const x = g.add('input', 'input');
  const enc = g.add('encoder', 'direct_encoder', {}, x);
  const h = g.chain(enc, [
    ['flatten', 'flatten'],
    ['fc1', 'linear', { outFeatures: 32 }],
    ['bn1', 'batchnorm1d'],
    ['lif1', 'lif', { tau: 2 }],
    ['fc2', 'linear', { outFeatures: 10 }],
  ]);
  const bn2 = g.add('bn2', 'batchnorm1d', {}, h);
  const sum = g.add('skip', 'membrane_add', {}, { a: bn2, b: h });
  const logits = g.add('mean_t', 'mean_time', {}, sum);
  g.add('output', 'output', {}, logits);
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'fold test',
    timeSteps: 3,
    input: { shape: [1, 8, 8], kind: 'image' },
    ...g.body(),
  } as GraphDocument;
}

/** Every BN parameter drawn at random, so that a fold that drops a term shows. */
function randomNorms(c: CompiledInference, seed: number): Map<string, Float32Array> {
  const rng = Rng.fromSeed(seed);
  const out = new Map(c.params);
  for (const [name, v] of c.params) {
    if (!/\.(weight|bias|running_mean|running_var)$/.test(name) || !/bn/.test(name)) continue;
    const draw = name.endsWith('running_var') ? () => 0.2 + 2 * rng.uniform() : name.endsWith('weight') ? () => 0.5 + 2 * rng.uniform() : () => rng.uniform() - 0.5;
    out.set(name, Float32Array.from(v, draw));
  }
  return out;
}

async function run(c: CompiledInference, seed: number): Promise<Float32Array> {
  const rng = Rng.fromSeed(seed);
  const x = Float32Array.from({ length: c.inputShape.reduce((a, b) => a * b, 1) }, () => rng.uniform());
  const session = await createSession(c.bytes);
  try {
    const out = await session.run({ input: floatTensor(x, c.inputShape) });
    return (out.logits as ort.Tensor).data as Float32Array;
  } finally {
    await session.release();
  }
}

/** BatchNorm layers left in the model: BatchNormalization nodes but the one-channel affine passes of the neurons. */
function batchNormCount(c: CompiledInference): number {
  const oneChannel = new Set(c.model.graph.initializers.filter((t) => t.dims.length === 1 && t.dims[0] === 1).map((t) => t.name));
  return c.model.graph.nodes.filter((n) => n.opType === 'BatchNormalization' && !oneChannel.has(n.inputs[1]!)).length;
}

async function expectSameLogits(doc: GraphDocument, batch: number, seed: number): Promise<{ folded: CompiledInference; plain: CompiledInference }> {
  const params = randomNorms(compileInference(doc, { batch }), seed);
  // this pass alone: the conv chains' fold (fold-linear-chains.ts, tested on its own) stays off
  const folded = compileInference(doc, { batch, params, foldLinearChains: false });
  const plain = compileInference(doc, { batch, params, foldBatchNorm: false, foldLinearChains: false });
  const [a, b] = [await run(folded, seed + 1), await run(plain, seed + 1)];
  expect(a.length).toBe(b.length);
  const scale = Math.max(...Array.from(b, Math.abs));
  expect(scale).toBeGreaterThan(0.01);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `logit ${i}`).toBeLessThan(1e-5 * Math.max(1, scale));
  return { folded, plain };
}

describe('folding BatchNorm into Linear', () => {
  it('removes a Linear→BN pair and keeps a BN whose input has another reader', async () => {
    const { folded, plain } = await expectSameLogits(mlpDoc(), 4, 7);
    expect(batchNormCount(plain)).toBe(2);
    expect(batchNormCount(folded)).toBe(1);
    const names = folded.model.graph.initializers.map((t) => t.name);
    expect(names).toContain('fc1.weight.bn_folded');
    expect(names).toContain('fc1.bias.bn_folded');
    expect(names).not.toContain('bn1.running_mean');
    // the document-level view is untouched: one parameter per trained tensor
    expect(folded.params.has('bn1.running_mean')).toBe(true);
    expect(folded.graph.params.map((p) => p.name)).toContain('bn1.weight');
  });

  it('keeps the answers of a Spikformer (tiny) whose every Linear feeds a BN', async () => {
    const { folded, plain } = await expectSameLogits(buildTemplate('spikformer', 'tiny'), 2, 11);
    // one encoder block: q, k, v, the projection and the two MLP layers each feed a BN; the SPS's
    // five conv BNs stay (ONNX Runtime fuses those into the Conv itself)
    expect(batchNormCount(plain)).toBe(11);
    expect(batchNormCount(folded)).toBe(5);
  });

  it('writes a folded weight over the drawn one only where allowed, and compile still reports the drawn values', async () => {
    const doc = mlpDoc();
    const drawn = compileInference(doc, { batch: 2, foldBatchNorm: false });
    // BN statistics far from their initial 1/0, so that the fold scales every weight
    const norms = new Map([...randomNorms(drawn, 5)].filter(([name]) => /bn/.test(name)));
    const kept = new Map([...norms].map(([k, v]) => [k, Float32Array.from(v)]));
    const values = () => new Map([...drawn.params].map(([k, v]) => [k, norms.get(k) ?? Float32Array.from(v)]));
    const w = drawn.params.get('fc1.weight')!;

    const copied = values();
    const copyFold = foldBatchNormIntoLinear(drawn.graph, copied, { overwrite: () => false });
    expect(copyFold.overwritten).toEqual([]);
    const copy = copyFold.params.get('fc1.weight.bn_folded')!;
    expect(copy).not.toBe(copied.get('fc1.weight'));
    expect(copied.get('fc1.weight')).toEqual(w);
    expect(copy).not.toEqual(w);

    const owned = values();
    const overFold = foldBatchNormIntoLinear(drawn.graph, owned, { overwrite: (name) => name === 'fc1.weight' });
    expect(overFold.overwritten).toEqual(['fc1.weight']);
    const over = overFold.params.get('fc1.weight.bn_folded')!;
    expect(over).toBe(owned.get('fc1.weight'));
    expect(over).toEqual(copy);

    // compile draws fc1's weight itself and folds into it; `params` still reads as drawn, the
    // given BN tensors are left as they were, and the answers are the unfolded model's
    const c = compileInference(doc, { batch: 2, params: norms, foldLinearChains: false });
    const plain = compileInference(doc, { batch: 2, params: norms, foldBatchNorm: false, foldLinearChains: false });
    expect(c.model.graph.initializers.find((t) => t.name === 'fc1.weight.bn_folded')!.data).toEqual(copy);
    expect(c.params.get('fc1.weight')).toEqual(w);
    for (const [k, v] of norms) expect(v).toEqual(kept.get(k));
    const [a, b] = [await run(c, 9), await run(plain, 9)];
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `logit ${i}`).toBeLessThan(1e-5 * Math.max(1, ...Array.from(b, Math.abs)));
  });
});
