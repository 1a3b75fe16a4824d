import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument, createInferCache } from '../../engine/core/graph/infer.js';

/** A document whose one node is its own composite `stage` (linear → lif). */
function docWith(width: number, innerBlockName = 'lif'): GraphDocument {
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'cache',
    timeSteps: 2,
    input: { shape: [8], kind: 'vector' },
    composites: {
      stage: {
        nodes: [
          { id: 'x', block: 'input', params: { name: 'in' } },
          { id: 'fc', block: 'linear', params: { outFeatures: width } },
          { id: 'n', block: innerBlockName },
          { id: 'y', block: 'output', params: { name: 'out' } },
        ],
        edges: [
          { source: 'x', target: 'fc' },
          { source: 'fc', target: 'n' },
          { source: 'n', target: 'y' },
        ],
      },
    },
    nodes: [
      { id: 'input', block: 'input' },
      { id: 'enc', block: 'direct_encoder' },
      { id: 's', block: 'stage' },
      { id: 'm', block: 'mean_time' },
      { id: 'output', block: 'output' },
    ],
    edges: [
      { source: 'input', target: 'enc' },
      { source: 'enc', target: 's' },
      { source: 's', target: 'm' },
      { source: 'm', target: 'output' },
    ],
  };
}

describe('the inference cache and document composites', () => {
  it('re-analyses a document composite after its inside changes, with the same cache', () => {
    const cache = createInferCache();
    const a = analyseDocument(docWith(4), cache);
    expect(a.ok).toBe(true);
    expect(a.output?.shape).toEqual([4]);
    const b = analyseDocument(docWith(6), cache);
    expect(b.output?.shape).toEqual([6]);
    expect(b.paramCount).toBe(8 * 6 + 6);
  });

  it('keeps a catalogue composite on catalogue parts when the document defines a block of the same name', () => {
    const doc = docWith(4);
    // a document composite named like a catalogue neuron: SSA's own "lif" nodes must stay neurons
    const shadow: GraphDocument = {
      ...doc,
      composites: { ...doc.composites!, lif: doc.composites!.stage! },
      nodes: [...doc.nodes.slice(0, 2), { id: 'tok', block: 'reshape', params: { shape: [2, 4] } }, { id: 'attn', block: 'ssa', params: { dim: 4, heads: 2 } }, { id: 'mt', block: 'mean_tokens' }, ...doc.nodes.slice(3)],
      edges: [
        { source: 'input', target: 'enc' },
        { source: 'enc', target: 'tok' },
        { source: 'tok', target: 'attn' },
        { source: 'attn', target: 'mt' },
        { source: 'mt', target: 'm' },
        { source: 'm', target: 'output' },
      ],
    };
    const r = analyseDocument(shadow);
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.output?.shape).toEqual([4]);
  });
});
