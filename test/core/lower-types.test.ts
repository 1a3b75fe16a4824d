// Lowering emits exactly the types shape inference gave (what the canvas shows is what is run):
// a lowering whose output differs from the analysed type is an internal error naming the node.
import { describe, expect, it } from 'vitest';
import { analyseDocument, type GraphAnalysis, type NodeInfo } from '../../engine/core/graph/infer.js';
import { lowerDocument } from '../../engine/core/lower/lower.js';
import { lifCnn } from '../../templates/lif-cnn.js';

/** The analysis with one node's analysed output type changed. */
function tampered(a: GraphAnalysis, pick: (n: NodeInfo) => boolean, change: (n: NodeInfo) => NodeInfo['outputs']): GraphAnalysis {
  return { ...a, body: { ...a.body, nodes: a.body.nodes.map((n) => (pick(n) ? { ...n, outputs: change(n) } : n)) } };
}

describe('lowering checks its types against shape inference', () => {
  const doc = lifCnn();
  const analysis = analyseDocument(doc);
  const conv = analysis.body.nodes.find((n) => n.block.id === 'conv2d')!;

  it('lowers every node of a template with the analysed types', () => {
    expect(() => lowerDocument(doc, analysis, { batch: 2, mode: 'train' })).not.toThrow();
  });

  it('names the node, port and both types when a kind or a shape differs', () => {
    const kind = tampered(analysis, (n) => n === conv, (n) => ({ out: { ...n.outputs.out!, kind: 'spikes' } }));
    expect(() => lowerDocument(doc, kind, { batch: 2, mode: 'infer' })).toThrow(new RegExp(`lowering: "${conv.id}" \\(conv2d\\) port out emitted .* analog; shape inference gave .* spikes`));
    const shape = tampered(analysis, (n) => n === conv, (n) => ({ out: { ...n.outputs.out!, shape: [1, 2, 3] } }));
    expect(() => lowerDocument(doc, shape, { batch: 2, mode: 'infer' })).toThrow(/shape inference gave \[T,B,1,2,3\] analog/);
  });

  it('a port the analysis does not know is an error too', () => {
    const ports = tampered(analysis, (n) => n === conv, (n) => ({ other: n.outputs.out! }));
    expect(() => lowerDocument(doc, ports, { batch: 2, mode: 'infer' })).toThrow(/emitted ports out; shape inference gave other/);
  });
});
