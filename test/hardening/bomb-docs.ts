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
