import { describe, expect, it } from 'vitest';
import { connect, moveNodes, removeElements, renameNode, setLabel, setParam, addNodes } from '../../renderer/src/document/ops.js';
import type { Body } from '../../renderer/src/document/body.js';
import { edgeIds } from '../../renderer/src/document/ids.js';
import { cnn } from './fixtures.js';

describe('body edit ops', () => {
  it('removes a node with every edge that touches it', () => {
    const body = cnn();
    const out = removeElements(body, new Set(['bn1']), new Set());
    expect(out.nodes.some((n) => n.id === 'bn1')).toBe(false);
    expect(out.edges.some((e) => e.source === 'bn1' || e.target === 'bn1')).toBe(false);
    expect(out.edges).toHaveLength(body.edges.length - 2);
  });

  it('removes edges by their derived id and leaves the body untouched when nothing matches', () => {
    const body = cnn();
    const [first] = edgeIds(body.edges);
    expect(removeElements(body, new Set(), new Set([first!])).edges).toHaveLength(body.edges.length - 1);
    expect(removeElements(body, new Set(['nope']), new Set(['x>y']))).toBe(body);
  });

  it('connects, replacing the wire that already enters the port, and writes default ports implicitly', () => {
    const body = cnn();
    const out = connect(body, { source: 'encoder', sourcePort: 'out', target: 'bn1', targetPort: 'in' });
    const into = out.edges.filter((e) => e.target === 'bn1');
    expect(into).toEqual([{ source: 'encoder', target: 'bn1' }]);
    expect(out.edges).toHaveLength(body.edges.length);
    expect(connect(out, { source: 'encoder', sourcePort: 'out', target: 'bn1', targetPort: 'in' })).toBe(out);
  });

  it('sets, nests and removes parameters', () => {
    let body: Body = cnn();
    body = setParam(body, 'conv1', ['outChannels'], 16);
    expect(body.nodes.find((n) => n.id === 'conv1')!.params).toMatchObject({ outChannels: 16 });
    body = setParam(body, 'lif1', ['surrogate'], { name: 'atan', alpha: 3 });
    body = setParam(body, 'lif1', ['surrogate', 'alpha'], 5);
    expect(body.nodes.find((n) => n.id === 'lif1')!.params).toEqual({ tau: 2, surrogate: { name: 'atan', alpha: 5 } });
    body = setParam(body, 'lif1', ['tau'], undefined);
    body = setParam(body, 'lif1', ['surrogate'], undefined);
    expect(body.nodes.find((n) => n.id === 'lif1')!.params).toBeUndefined();
    expect(setParam(body, 'conv1', ['outChannels'], 16)).toBe(body);
  });

  it('renames a node and every edge end, refusing invalid and taken ids', () => {
    const body = cnn();
    const r = renameNode(body, 'conv1', 'stem_conv');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.edges.filter((e) => e.source === 'stem_conv' || e.target === 'stem_conv')).toHaveLength(2);
    expect(renameNode(body, 'conv1', 'bn1')).toEqual({ ok: false, message: 'a node "bn1" already exists' });
    expect(renameNode(body, 'conv1', '1abc').ok).toBe(false);
  });

  it('moves nodes, rounding positions, and is a no-op for unchanged positions', () => {
    const body = cnn();
    const moved = moveNodes(body, new Map([['conv1', { x: 10.4, y: 20.6 }]]));
    expect(moved.nodes.find((n) => n.id === 'conv1')!.position).toEqual({ x: 10, y: 21 });
    expect(moveNodes(moved, new Map([['conv1', { x: 10, y: 21 }]]))).toBe(moved);
  });

  it('labels a node and drops an empty label', () => {
    let body: Body = setLabel(cnn(), 'fc', '  readout ');
    expect(body.nodes.find((n) => n.id === 'fc')!.label).toBe('readout');
    body = setLabel(body, 'fc', '');
    expect('label' in body.nodes.find((n) => n.id === 'fc')!).toBe(false);
  });

  it('adds nodes and edges, and adding nothing changes nothing', () => {
    const body = cnn();
    expect(addNodes(body, [])).toBe(body);
    expect(addNodes(body, [{ id: 'x', block: 'lif' }]).nodes).toHaveLength(body.nodes.length + 1);
  });
});
