/** What the canvas's right-click menu offers for a block, a wire and the canvas, editable or not. */
import { describe, expect, it } from 'vitest';
import { menuItems, type MenuSituation } from '../../renderer/src/canvas/context-menu.js';
import { buildTemplate } from '../../templates/index.js';
import { cnn } from './fixtures.js';

const actions = (items: readonly { action: string }[]) => items.map((i) => i.action);

function situation(overrides: Partial<MenuSituation> = {}): MenuSituation {
  const doc = cnn();
  return { doc, body: doc, editable: true, selectedNodes: new Set(), ...overrides };
}

describe('the context menu', () => {
  it('a block: reveal, rename, duplicate, wrap, disconnect, delete', () => {
    expect(actions(menuItems({ kind: 'node', id: 'conv1' }, situation()))).toEqual(['reveal-layers', 'rename', 'duplicate', 'wrap', 'disconnect', 'delete']);
  });

  it('a composite block can be opened; the graph\'s own ports cannot be wrapped', () => {
    const doc = buildTemplate('spikformer', 'tiny');
    expect(actions(menuItems({ kind: 'node', id: 'block1' }, situation({ doc, body: doc })))[0]).toBe('open');
    expect(actions(menuItems({ kind: 'node', id: 'input' }, situation()))).not.toContain('wrap');
  });

  it('wrapping names how many selected blocks it takes', () => {
    const wrap = menuItems({ kind: 'node', id: 'conv1' }, situation({ selectedNodes: new Set(['conv1', 'bn1', 'lif1']) })).find((i) => i.action === 'wrap');
    expect(wrap?.label).toBe('Wrap 3 blocks into a block');
  });

  it('a wire: select its ends, disconnect; the canvas: add here, select all, fit, layout', () => {
    expect(actions(menuItems({ kind: 'edge', id: 'conv1.out>bn1.in' }, situation()))).toEqual(['select-ends', 'disconnect']);
    expect(actions(menuItems({ kind: 'pane', at: { x: 0, y: 0 } }, situation()))).toEqual(['add-here', 'select-all', 'fit', 'layout']);
  });

  it('inside a built-in block (read-only) only what does not edit', () => {
    const ro = situation({ editable: false });
    expect(actions(menuItems({ kind: 'node', id: 'conv1' }, ro))).toEqual(['reveal-layers']);
    expect(actions(menuItems({ kind: 'edge', id: 'conv1.out>bn1.in' }, ro))).toEqual(['select-ends']);
    expect(actions(menuItems({ kind: 'pane', at: { x: 0, y: 0 } }, ro))).toEqual(['select-all', 'fit']);
  });
});
