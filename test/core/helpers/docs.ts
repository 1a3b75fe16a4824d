/** Tiny graph documents for tests: a chain of blocks between an input and an output. */
import type { GraphDocument, InputSpec } from '../../../engine/core/document/schema.js';

export type Step = readonly [id: string, block: string, params?: Record<string, unknown>];

/** input → steps… → output, one edge per step on the default ports. */
export function chainDoc(input: Partial<InputSpec> & { shape: number[] }, timeSteps: number, steps: readonly Step[], name = 'test'): GraphDocument {
  const nodes: GraphDocument['nodes'] = [{ id: 'in', block: 'input' }];
  const edges: GraphDocument['edges'] = [];
  let prev = 'in';
  for (const [id, block, params] of steps) {
    nodes.push(params ? { id, block, params } : { id, block });
    edges.push({ source: prev, target: id });
    prev = id;
  }
  nodes.push({ id: 'out', block: 'output' });
  edges.push({ source: prev, target: 'out' });
  return {
    format: 'snn-studio/graph',
    version: 1,
    name,
    timeSteps,
    input: { kind: 'image', ...input },
    nodes,
    edges,
  };
}

/** A document-defined composite: conv3×3 → BN → LIF between ports x and y. */
export function convBnLifComposite(outChannels: number, label?: string) {
  return {
    ...(label ? { label } : {}),
    nodes: [
      { id: 'x', block: 'input', params: { name: 'x' } },
      { id: 'conv', block: 'conv2d', params: { outChannels } },
      { id: 'bn', block: 'batchnorm2d' },
      { id: 'lif', block: 'lif' },
      { id: 'y', block: 'output', params: { name: 'y' } },
    ],
    edges: [
      { source: 'x', target: 'conv' },
      { source: 'conv', target: 'bn' },
      { source: 'bn', target: 'lif' },
      { source: 'lif', target: 'y' },
    ],
  };
}
