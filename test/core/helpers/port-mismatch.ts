/**
 * A document whose composite "pair" (inputs a and b into a SEW add) receives two shapes that differ:
 * the SEW block inside fails on its port b. The outer wire into "pair" port b carries the fault.
 */
import type { CompositeDef, GraphDocument } from '../../../engine/core/document/schema.js';
import { GraphBuilder } from '../../../templates/builder.js';

export const pair: CompositeDef = {
  nodes: [
    { id: 'a', block: 'input', params: { name: 'a' } },
    { id: 'b', block: 'input', params: { name: 'b' } },
    { id: 'add', block: 'sew' },
    { id: 'y', block: 'output', params: { name: 'y' } },
  ],
  edges: [
    { source: 'a', target: 'add', targetPort: 'a' },
    { source: 'b', target: 'add', targetPort: 'b' },
    { source: 'add', target: 'y' },
  ],
};

export function portMismatchInComposite(): GraphDocument {
  const g = new GraphBuilder();
  const enc = g.add('enc', 'direct_encoder', {}, g.add('x', 'input'));
  const big = g.add('big', 'lif', {}, enc);
  const small = g.add('small', 'maxpool2d', { kernel: 2 }, big);
  const p = g.add('p', 'pair', {}, { a: big, b: small });
  g.add('out', 'output', {}, { node: p.node, port: 'y' });
  return { format: 'snn-studio/graph', version: 1, name: 't', timeSteps: 4, input: { shape: [3, 8, 8], kind: 'image' }, nodes: [...g.nodes], edges: [...g.edges], composites: { pair } };
}
