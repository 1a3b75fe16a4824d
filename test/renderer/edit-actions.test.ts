/**
 * The editor's commands against the stores, as a user drives them: add a block, wire a shape it
 * cannot take, see the error on that wire, fix it, undo and redo; copy, paste, wrap and open.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addBlock, connectPorts, deleteSelection, editBody, leaveComposite, openComposite, wrapSelection } from '../../renderer/src/actions/edit.js';
import { copySelection, cutSelection, duplicateSelection, paste } from '../../renderer/src/actions/clipboard.js';
import { edgeIds } from '../../renderer/src/document/ids.js';
import { setParam } from '../../renderer/src/document/ops.js';
import { placeProblem } from '../../renderer/src/problems/locate.js';
import { analysisOf } from '../../renderer/src/state/analysis.js';
import { currentScope } from '../../renderer/src/state/current-scope.js';
import { getDocument, loadDocument, redo, undo } from '../../renderer/src/state/document-store.js';
import { resetView, select, useViewStore } from '../../renderer/src/state/view-store.js';
import { cnn } from './fixtures.js';

function edgeErrors(): string[] {
  const doc = getDocument();
  const ids = edgeIds(doc.edges);
  return analysisOf(doc)
    .problems.map((p) => placeProblem(p, [], doc))
    .flatMap((w) => ('edgeId' in w && w.edgeId !== undefined ? [w.edgeId] : []))
    .filter((id) => ids.includes(id));
}

describe('editing commands', () => {
  beforeEach(() => {
    loadDocument(cnn());
    resetView();
  });

  it('adds a block, wires a shape it cannot take (error on that wire), fixes it, and undoes each step', () => {
    const id = addBlock('conv2d', { x: 100, y: 300 })!;
    expect(id).toBe('conv2d_1');
    expect(useViewStore.getState().selectedNodes).toEqual(new Set([id]));
    const added = getDocument();

    // flatten gives [3136] per sample; a Conv2d needs [C,H,W]
    connectPorts({ source: 'flatten', sourcePort: 'out', target: id, targetPort: 'in' });
    const wired = getDocument();
    expect(edgeErrors()).toEqual([`flatten.out>${id}.in`]);
    const problem = analysisOf(wired).problems.find((p) => p.nodeId === id && p.edgeIndex !== undefined)!;
    expect(problem.message).toContain('expects [C,H,W]');

    connectPorts({ source: 'pool1', sourcePort: 'out', target: id, targetPort: 'in' });
    expect(edgeErrors()).toEqual([]);
    const fixed = getDocument();

    undo();
    expect(getDocument()).toBe(wired);
    undo();
    expect(getDocument()).toBe(added);
    redo();
    redo();
    expect(getDocument()).toBe(fixed);
  });

  it('deletes the selection as one step', () => {
    select(['bn1', 'lif1']);
    deleteSelection();
    expect(getDocument().nodes.map((n) => n.id)).not.toContain('bn1');
    expect(useViewStore.getState().selectedNodes.size).toBe(0);
    undo();
    expect(getDocument().nodes.map((n) => n.id)).toContain('bn1');
  });

  it('copies, pastes (offset further each time), duplicates and cuts', () => {
    select(['conv1', 'bn1']);
    expect(copySelection()).not.toBeNull();
    paste();
    expect(useViewStore.getState().selectedNodes).toEqual(new Set(['conv1_2', 'bn1_2']));
    paste();
    const ids = getDocument().nodes.map((n) => n.id);
    expect(ids).toContain('conv1_3');
    const y = (id: string) => getDocument().nodes.find((n) => n.id === id)!.position!.y;
    expect(y('conv1_3')).toBeGreaterThan(y('conv1_2'));
    select(['fc']);
    duplicateSelection();
    expect(getDocument().nodes.map((n) => n.id)).toContain('fc_2');
    select(['fc_2']);
    cutSelection();
    expect(getDocument().nodes.map((n) => n.id)).not.toContain('fc_2');
  });

  it('wraps the selection into a block of My blocks, laid out, opens it, edits inside, and comes back out', async () => {
    select(['conv1', 'bn1', 'lif1', 'pool1']);
    await wrapSelection();
    const [wrapper] = useViewStore.getState().selectedNodes;
    expect(wrapper).toBe('block_1');
    expect(Object.keys(getDocument().composites ?? {})).toEqual(['block_1']);
    // the inside is laid out left to right: the input port left of everything, the output right
    const inside = getDocument().composites!.block_1!.nodes;
    const x = (id: string) => inside.find((n) => n.id === id)!.position!.x;
    expect(x('in_x')).toBeLessThan(x('conv1'));
    expect(x('out_y')).toBeGreaterThan(x('pool1'));

    openComposite();
    expect(currentScope().key).toBe('block_1');
    expect(currentScope().body.nodes.map((n) => n.id)).toContain('conv1');
    editBody((b) => setParam(b, 'conv1', ['outChannels'], 16));
    expect(getDocument().composites!.block_1!.nodes.find((n) => n.id === 'conv1')!.params).toMatchObject({ outChannels: 16 });
    // the outer graph now feeds 16 channels into conv2
    expect(analysisOf(getDocument()).body.byId.get('conv2')!.inputs.in!.shape).toEqual([16, 14, 14]);

    leaveComposite();
    expect(currentScope().frames).toEqual([]);
    expect(useViewStore.getState().selectedNodes).toEqual(new Set([wrapper]));
    undo();
    undo();
    expect(getDocument().composites).toBeUndefined();
  });

  it('refuses to edit the generated inside of a built-in block', () => {
    loadDocument({
      ...cnn(),
      input: { shape: [64, 384], kind: 'vector' },
      nodes: [
        { id: 'input', block: 'input', position: { x: 0, y: 0 } },
        { id: 'enc', block: 'direct_encoder', position: { x: 200, y: 0 } },
        { id: 'attn', block: 'ssa', params: { dim: 384, heads: 12 }, position: { x: 400, y: 0 } },
        { id: 'output', block: 'output', position: { x: 600, y: 0 } },
      ],
      edges: [
        { source: 'input', target: 'enc' },
        { source: 'enc', target: 'attn' },
        { source: 'attn', target: 'output' },
      ],
    });
    openComposite('attn');
    const before = getDocument();
    expect(currentScope().key).toBeUndefined();
    expect(addBlock('lif', { x: 0, y: 0 })).toBeNull();
    expect(getDocument()).toBe(before);
    expect(useViewStore.getState().notice?.text).toContain('built-in block');
  });
});
