/**
 * Documents that are small on disk and huge when compiled: a chain of composites each of which
 * uses the one below it twice (2^depth copies of the innermost block), and a document whose input
 * alone is a giant tensor. Shared by the fuzz test, the CLI corpus and the browser-mode test.
 */
import type { GraphDocument } from '../../engine/core/document/schema.js';

/** `levels` composites, level k using level k-1 twice in a row; the innermost is linear + LIF on [features]. */
export function doublingDocument(levels: number, features = 8): GraphDocument {
  const composites: NonNullable<GraphDocument['composites']> = {
    level0: {
      nodes: [
        { id: 'x', block: 'input' },
        { id: 'fc', block: 'linear', params: { outFeatures: features } },
        { id: 'lif', block: 'lif' },
        { id: 'y', block: 'output' },
      ],
      edges: [
        { source: 'x', target: 'fc' },
        { source: 'fc', target: 'lif' },
        { source: 'lif', target: 'y' },
      ],
    },
  };
  for (let k = 1; k <= levels; k++) {
    composites[`level${k}`] = {
      nodes: [
        { id: 'x', block: 'input' },
        { id: 'a', block: `level${k - 1}` },
        { id: 'b', block: `level${k - 1}` },
        { id: 'y', block: 'output' },
      ],
      edges: [
        { source: 'x', target: 'a', targetPort: 'x' },
        { source: 'a', sourcePort: 'y', target: 'b', targetPort: 'x' },
        { source: 'b', sourcePort: 'y', target: 'y' },
      ],
    };
  }
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: `doubling ${levels}`,
    timeSteps: 2,
    input: { shape: [features], kind: 'vector' },
    nodes: [
      { id: 'in', block: 'input' },
      { id: 'enc', block: 'direct_encoder' },
      { id: 'blockA', block: `level${levels}` },
      { id: 'head', block: 'linear', params: { outFeatures: 2 } },
      { id: 'out', block: 'output' },
    ],
    edges: [
      { source: 'in', target: 'enc' },
      { source: 'enc', target: 'blockA', targetPort: 'x' },
      { source: 'blockA', sourcePort: 'y', target: 'head' },
      { source: 'head', target: 'out' },
    ],
    composites,
  };
}

/** A vector model whose input has `features` values per sample. */
export function wideInputDocument(shape: number[]): GraphDocument {
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'wide input',
    timeSteps: 1,
    input: { shape, kind: shape.length === 3 ? 'image' : 'vector' },
    nodes: [
      { id: 'in', block: 'input' },
      { id: 'enc', block: 'direct_encoder' },
      { id: 'flat', block: 'flatten' },
      { id: 'head', block: 'linear', params: { outFeatures: 10 } },
      { id: 'out', block: 'output' },
    ],
    edges: [
      { source: 'in', target: 'enc' },
      { source: 'enc', target: 'flat' },
      { source: 'flat', target: 'head' },
      { source: 'head', target: 'out' },
    ],
  };
}

/**
 * `pairs` linear + LIF nodes in a row at the top level (no composites, so no analysis is shared):
 * 20,000 pairs are 40,000 nodes, under the node limit, and take a second or more to validate.
 */
export function flatChainDocument(pairs: number): GraphDocument {
  const nodes: GraphDocument['nodes'] = [
    { id: 'in', block: 'input' },
    { id: 'enc', block: 'direct_encoder' },
  ];
  const edges: GraphDocument['edges'] = [{ source: 'in', target: 'enc' }];
  let previous = 'enc';
  for (let i = 0; i < pairs; i++) {
    nodes.push({ id: `fc${i}`, block: 'linear', params: { outFeatures: 8 } }, { id: `lif${i}`, block: 'lif' });
    edges.push({ source: previous, target: `fc${i}` }, { source: `fc${i}`, target: `lif${i}` });
    previous = `lif${i}`;
  }
  nodes.push({ id: 'out', block: 'output' });
  edges.push({ source: previous, target: 'out' });
  return { format: 'snn-studio/graph', version: 1, name: `flat chain ${pairs}`, timeSteps: 1, input: { shape: [8], kind: 'vector' }, nodes, edges };
}

/** An image input of `side`×`side` pooled to one value per channel: a giant tensor, a tiny model that compiles at once. */
export function tallInputDocument(side: number): GraphDocument {
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'tall input',
    timeSteps: 1,
    input: { shape: [1, side, side], kind: 'image' },
    nodes: [
      { id: 'in', block: 'input' },
      { id: 'enc', block: 'direct_encoder' },
      { id: 'gap', block: 'global_avgpool' },
      { id: 'flat', block: 'flatten' },
      { id: 'head', block: 'linear', params: { outFeatures: 10 } },
      { id: 'out', block: 'output' },
    ],
    edges: [
      { source: 'in', target: 'enc' },
      { source: 'enc', target: 'gap' },
      { source: 'gap', target: 'flat' },
      { source: 'flat', target: 'head' },
      { source: 'head', target: 'out' },
    ],
  };
}
