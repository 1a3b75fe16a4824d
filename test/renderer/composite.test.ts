import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { analyseDocument } from '../../engine/core/graph/infer.js';
import { updateBody } from '../../renderer/src/document/body.js';
import { setParam } from '../../renderer/src/document/ops.js';
import { wrapIntoComposite } from '../../renderer/src/document/wrap.js';
import { analysisOf } from '../../renderer/src/state/analysis.js';
import { resolveScope } from '../../renderer/src/state/scope.js';
import { cnn } from './fixtures.js';

const stage1 = new Set(['conv1', 'bn1', 'lif1', 'pool1']);

function wrapped(): { doc: GraphDocument; composite: string; nodeId: string } {
  const r = wrapIntoComposite(cnn(), null, stage1);
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('wrapping a selection into a composite block', () => {
  it('moves the nodes inside, with one port per crossing wire, and keeps the model the same', () => {
    const before = analyseDocument(cnn());
    const { doc, composite, nodeId } = wrapped();
    const def = doc.composites![composite]!;
    expect(composite).toBe('block_1');
    expect(nodeId).toBe('block_1');
    expect(def.nodes.filter((n) => n.block === 'input').map((n) => n.params)).toEqual([{ name: 'x' }]);
    expect(def.nodes.filter((n) => n.block === 'output').map((n) => n.params)).toEqual([{ name: 'y' }]);
    expect(doc.nodes.map((n) => n.id)).not.toContain('conv1');
    expect(doc.edges).toContainEqual({ source: 'encoder', target: nodeId, targetPort: 'x' });
    expect(doc.edges).toContainEqual({ source: nodeId, sourcePort: 'y', target: 'conv2' });
    const after = analyseDocument(doc);
    expect(after.problems).toEqual([]);
    expect(after.paramCount).toBe(before.paramCount);
    expect(after.macs).toBe(before.macs);
    expect(after.output).toEqual(before.output);
  });

  it('refuses the graph ports and a selection that something outside sits in the middle of', () => {
    expect(wrapIntoComposite(cnn(), null, new Set(['input', 'encoder']))).toMatchObject({ ok: false });
    const gap = wrapIntoComposite(cnn(), null, new Set(['conv1', 'lif1']));
    expect(gap).toEqual({ ok: false, message: expect.stringContaining('"bn1" lies between selected blocks') });
    expect(wrapIntoComposite(cnn(), null, new Set())).toMatchObject({ ok: false });
  });

  it('opens editable, with the shapes of the instance, and a scope whose node is gone is dropped', () => {
    const { doc, composite, nodeId } = wrapped();
    const analysis = analyseDocument(doc);
    const scope = resolveScope(doc, analysis, [{ nodeId, block: composite }]);
    expect(scope.key).toBe(composite);
    expect(scope.body).toBe(doc.composites![composite]);
    expect(scope.info?.byId.get('conv1')?.outputs.out?.shape).toEqual([32, 28, 28]);
    expect(scope.titles).toEqual([`${nodeId} · Block 1`]);
    expect(resolveScope(doc, analysis, [{ nodeId: 'gone', block: composite }]).frames).toEqual([]);
  });

  it('opens a catalogue composite read-only, generated from its parameters', () => {
    const doc: GraphDocument = {
      ...cnn(),
      input: { shape: [64, 384], kind: 'vector' },
      nodes: [
        { id: 'input', block: 'input' },
        { id: 'enc', block: 'direct_encoder' },
        { id: 'attn', block: 'ssa', params: { dim: 384, heads: 12 } },
        { id: 'output', block: 'output' },
      ],
      edges: [
        { source: 'input', target: 'enc' },
        { source: 'enc', target: 'attn' },
        { source: 'attn', target: 'output' },
      ],
    };
    const analysis = analyseDocument(doc);
    const scope = resolveScope(doc, analysis, [{ nodeId: 'attn', block: 'ssa' }]);
    expect(scope.frames).toHaveLength(1);
    expect(scope.key).toBeUndefined();
    expect(scope.body.nodes.length).toBeGreaterThan(3);
    expect(scope.info).toBeDefined();
  });

  it('re-analyses after an edit inside a document composite (the cache keys composites by name)', () => {
    const { doc, composite } = wrapped();
    const first = analysisOf(doc, 1000);
    const edited = updateBody(doc, composite, (b) => setParam(b, 'conv1', ['outChannels'], 8));
    const second = analysisOf(edited, 1000);
    expect(second.paramCount).not.toBe(first.paramCount);
    expect(second.paramCount).toBe(analyseDocument(edited).paramCount);
  });
});
