// Lowering emits exactly the types shape inference gave (what the canvas shows is what is run):
// each emitted value takes its analysed type, and one whose IR shape differs from that type's is
// an internal error naming the node.
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

  it('names the node, port and both shapes when an emitted value does not have the analysed IR shape', () => {
    const shape = tampered(analysis, (n) => n === conv, (n) => ({ out: { ...n.outputs.out!, shape: [1, 2, 3] } }));
    expect(() => lowerDocument(doc, shape, { batch: 2, mode: 'infer' })).toThrow(
      new RegExp(`lowering: "${conv.id}" \\(conv2d\\) port out emitted IR shape \\[${doc.timeSteps * 2},\\d+,\\d+,\\d+\\]; shape inference gave \\[T,B,1,2,3\\] analog, IR shape \\[${doc.timeSteps * 2},1,2,3\\]`),
    );
    // an untimed type lives as [B, ...] in the IR, so a wrong time axis is a wrong shape too
    const untimed = tampered(analysis, (n) => n === conv, (n) => ({ out: { ...n.outputs.out!, timed: false } }));
    expect(() => lowerDocument(doc, untimed, { batch: 2, mode: 'infer' })).toThrow(/port out emitted IR shape \[\d+,.*; shape inference gave \[B,.*, IR shape \[2,/);
  });

  it('the lowered values carry the analysed types: a kind is decided once, by shape inference', () => {
    const kind = tampered(analysis, (n) => n === conv, (n) => ({ out: { ...n.outputs.out!, kind: 'spikes' } }));
    const lowered = lowerDocument(doc, kind, { batch: 2, mode: 'infer' });
    expect(lowered.nodeOutputs.get(`${conv.id}:out`)!.type).toEqual({ ...conv.outputs.out!, kind: 'spikes' });
    const plain = lowerDocument(doc, analysis, { batch: 2, mode: 'infer' });
    const primitives = analysis.body.nodes.filter((n) => n.block.kind === 'primitive' && n.block.id !== 'input');
    expect(primitives.length).toBeGreaterThan(5);
    for (const n of primitives) for (const [port, t] of Object.entries(n.outputs)) expect(plain.nodeOutputs.get(`${n.id}:${port}`)?.type, `${n.id}:${port}`).toBe(t);
  });

  it('a port the analysis does not know is an error too', () => {
    const ports = tampered(analysis, (n) => n === conv, (n) => ({ other: n.outputs.out! }));
    expect(() => lowerDocument(doc, ports, { batch: 2, mode: 'infer' })).toThrow(/emitted ports out; shape inference gave other/);
  });
});
