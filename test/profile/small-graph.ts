/**
 * conv3×3(1→2, no bias) → LIF → flatten → linear(32→3, no bias) → LIF → mean over T, on a 1×4×4
 * image with T = 2: the hand-checkable graph of the profile tests.
 */
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { GraphBuilder } from '../../templates/builder.js';

export function smallGraph(): GraphDocument {
  const g = new GraphBuilder();
  const x = g.add('input', 'input');
  const y = g.chain(x, [
    ['encoder', 'direct_encoder', {}],
    ['conv', 'conv2d', { outChannels: 2, kernel: 3, padding: 1 }],
    ['lif1', 'lif', { tau: 2 }],
    ['flatten', 'flatten', {}],
    ['fc', 'linear', { outFeatures: 3, bias: false }],
    ['lif2', 'lif', { tau: 2 }],
    ['mean_t', 'mean_time', {}],
  ]);
  g.add('output', 'output', {}, y);
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'profile small graph',
    timeSteps: 2,
    input: { shape: [1, 4, 4], kind: 'image', classes: ['a', 'b', 'c'] },
    ...g.body(),
  } as GraphDocument;
}
