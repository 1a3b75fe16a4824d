// Composites take their neuron as a parameter whose choices are the neuron table's rows: every
// neuron inside a composite (and inside the composites it contains) is the chosen one, with the
// composite's τ and threshold carried over, and the result compiles and trains.
import { describe, expect, it } from 'vitest';
import { allBlocks, findBlock } from '../../engine/core/blocks/catalogue.js';
import type { CompositeBlock } from '../../engine/core/blocks/types.js';
import { NEURON_TABLE } from '../../engine/core/neurons/table.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { updatedName } from '../../engine/core/train/names.js';
import { optimizerSpec } from '../../engine/core/train/optimizer.js';
import { compileTrainStep } from '../../engine/runtime/train/compile.js';
import { chainDoc } from './helpers/docs.js';

const TABLE_BLOCKS = new Set(NEURON_TABLE.map((r) => r.block.id));
const withNeuronParam = allBlocks().filter(
  (b): b is CompositeBlock => b.kind === 'composite' && 'shape' in b.params && Object.keys((b.params as unknown as { shape: object }).shape).includes('neuron'),
);

describe('composites fire with the neuron they are given', () => {
  it('every composite that holds a neuron offers the choice', () => {
    const ids = withNeuronParam.map((b) => b.id);
    for (const id of ['ssa', 'sdsa', 'qkta', 'spiking_mlp', 'spikformer_block', 'sdt_block', 'qkformer_block', 'sps', 'ms_sps', 'speds', 'meta_block', 'sep_conv', 'cml_unit']) expect(ids).toContain(id);
    // superRefine-wrapped schemas are not ZodObjects with a shape: they must still take the param
    for (const id of ['ssa', 'spikformer_block', 'sps']) expect(findBlock(id)!.params.parse({ neuron: 'plif' })).toMatchObject({ neuron: 'plif' });
  });

  it.each(withNeuronParam.map((b) => [b.id, b] as const))('%s: every neuron inside is the chosen one', (_id, block) => {
    const hasTau = Object.keys((block.params as unknown as { shape: object }).shape).includes('tau');
    const body = block.expand(block.params.parse({ neuron: 'alif', ...(hasTau ? { tau: 3 } : {}) }));
    const neurons = body.nodes.filter((n) => TABLE_BLOCKS.has(n.block) || n.block === 'lif');
    const children = body.nodes.filter((n) => findBlock(n.block)?.kind === 'composite' && withNeuronParam.some((b) => b.id === n.block));
    expect(neurons.length + children.length).toBeGreaterThan(0);
    for (const n of neurons) expect(n.block).toBe('alif');
    if (hasTau) for (const n of neurons) expect(n.params).toMatchObject({ tau: 3 });
    for (const n of children) expect(n.params).toMatchObject({ neuron: 'alif', tau: 3 });
  });

  it('a Spikformer block with PLIF neurons compiles and trains: one w per neuron', () => {
    const doc = (neuron: string) =>
      chainDoc({ shape: [16, 32] }, 2, [
        ['enc', 'direct_encoder'],
        ['block', 'spikformer_block', { dim: 32, heads: 4, neuron }],
        ['mean', 'mean_tokens'],
        ['head', 'head', { classes: 3 }],
      ]);
    const lif = compileInference(doc('lif'));
    const plif = compileInference(doc('plif'));
    const ws = [...plif.params.keys()].filter((k) => k.endsWith('.w'));
    // q, k, v, attention, projection, and the MLP's two
    expect(ws).toHaveLength(7);
    expect(plif.params.size).toBe(lif.params.size + 7);
    const step = compileTrainStep(doc('plif'), { batch: 2, loss: { kind: 'ce', labelSmoothing: 0 }, optimizer: optimizerSpec('sgd') });
    // each w is trained: the step outputs its update
    const outputs = new Set(step.step.graph.outputs.map((o) => o.name));
    for (const w of ws) expect(outputs.has(updatedName(w)), w).toBe(true);
  });
});
