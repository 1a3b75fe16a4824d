import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { extractFragment, fragmentFromText, fragmentToText, pasteFragment } from '../../renderer/src/document/fragment.js';
import { cnn } from './fixtures.js';

describe('copy and paste', () => {
  it('copies the selected nodes with the edges between them only', () => {
    const f = extractFragment(cnn(), null, new Set(['conv1', 'bn1', 'lif1']))!;
    expect(f.nodes.map((n) => n.id)).toEqual(['conv1', 'bn1', 'lif1']);
    expect(f.edges).toEqual([
      { source: 'conv1', target: 'bn1' },
      { source: 'bn1', target: 'lif1' },
    ]);
    expect(extractFragment(cnn(), null, new Set())).toBeNull();
  });

  it('pastes with fresh ids where they collide, shifted, keeping the wires between the copies', () => {
    const doc = cnn();
    const f = extractFragment(doc, null, new Set(['conv1', 'bn1']))!;
    const r = pasteFragment(doc, null, f, { x: 32, y: 32 });
    expect(r.nodeIds).toEqual(['conv1_2', 'bn1_2']);
    expect(r.doc.edges).toContainEqual({ source: 'conv1_2', target: 'bn1_2' });
    const conv = r.doc.nodes.find((n) => n.id === 'conv1_2')!;
    expect(conv.position).toEqual({ x: doc.nodes.find((n) => n.id === 'conv1')!.position!.x + 32, y: 32 });
    expect(conv.params).toEqual(doc.nodes.find((n) => n.id === 'conv1')!.params);
  });

  it('brings the document composites a fragment uses, renaming one that clashes', () => {
    const block = { label: 'Mine', nodes: [{ id: 'i', block: 'input' }, { id: 'l', block: 'lif' }, { id: 'o', block: 'output' }], edges: [{ source: 'i', target: 'l' }, { source: 'l', target: 'o' }] };
    const source: GraphDocument = { ...cnn(), composites: { mine: block }, nodes: [...cnn().nodes, { id: 'm', block: 'mine' }] };
    const f = extractFragment(source, null, new Set(['m']))!;
    expect(Object.keys(f.composites)).toEqual(['mine']);

    const same = pasteFragment(source, null, f, { x: 0, y: 0 });
    expect(Object.keys(same.doc.composites!)).toEqual(['mine']);

    const other: GraphDocument = { ...cnn(), composites: { mine: { ...block, label: 'Another' } } };
    const renamed = pasteFragment(other, null, f, { x: 0, y: 0 });
    expect(Object.keys(renamed.doc.composites!).sort()).toEqual(['mine', 'mine_2']);
    expect(renamed.doc.nodes.find((n) => n.id === 'm')!.block).toBe('mine_2');
    expect(renamed.doc.composites!.mine!.label).toBe('Another');
  });

  it('round-trips through clipboard text and rejects foreign text', () => {
    const f = extractFragment(cnn(), null, new Set(['fc']))!;
    expect(fragmentFromText(fragmentToText(f))).toEqual(f);
    expect(fragmentFromText('{"nodes":[]}')).toBeNull();
    expect(fragmentFromText('hello')).toBeNull();
  });
});
