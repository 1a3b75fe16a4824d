/**
 * Placement of new blocks: the pure search for a free spot, and the two commands that use it —
 * adding from the palette by keyboard, and wrapping a selection (Ctrl+G).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addBlockInFreeSpace, wrapSelection } from '../../renderer/src/actions/edit.js';
import { estimateNodeSize } from '../../renderer/src/layout/node-size.js';
import { besideSelection, freeSpot, overlaps, PLACEMENT_GAP, type Box } from '../../renderer/src/layout/placement.js';
import { getDocument, loadDocument } from '../../renderer/src/state/document-store.js';
import { resetView, select } from '../../renderer/src/state/view-store.js';
import { cnn } from './fixtures.js';

const size = { width: 200, height: 50 };
const box = (x: number, y: number, width = 200, height = 50): Box => ({ x, y, width, height });

/** Boxes of the top-level nodes as the layout estimates them. */
function boxes(): Map<string, Box> {
  const doc = getDocument();
  return new Map(doc.nodes.map((n) => [n.id, { ...n.position!, ...estimateNodeSize(doc, doc, n.id) }]));
}

function overlapping(all: Map<string, Box>): string[] {
  const list = [...all];
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlaps(list[i]![1], list[j]![1])) out.push(`${list[i]![0]} × ${list[j]![0]}`);
  return out;
}

describe('freeSpot', () => {
  it('takes the first preferred spot that is free', () => {
    expect(freeSpot(size, [box(0, 0)], [{ x: 0, y: 0 }, { x: 400, y: 0 }])).toEqual({ x: 400, y: 0 });
    expect(freeSpot(size, [], [{ x: 7, y: 9 }])).toEqual({ x: 7, y: 9 });
  });

  it('else the nearest spot that keeps the gap to every box', () => {
    const occupied = [box(0, 0), box(240, 0), box(480, 0), box(0, 90), box(240, 90)];
    const at = freeSpot(size, occupied, [{ x: 240, y: 0 }]);
    expect(occupied.some((o) => overlaps({ ...at, ...size }, o, PLACEMENT_GAP))).toBe(false);
    // the search goes ring by ring: nothing closer is free
    expect(Math.hypot(at.x - 240, at.y)).toBeLessThanOrEqual(300);
  });

  it('beside a selection: right first, then below, above and left', () => {
    const sel = box(100, 100);
    const spots = besideSelection(sel, size);
    expect(spots[0]).toEqual({ x: 100 + 200 + PLACEMENT_GAP, y: 100 });
    expect(spots[1]).toEqual({ x: 100, y: 150 + PLACEMENT_GAP });
    expect(freeSpot(size, [sel, box(332, 100)], spots)).toEqual(spots[1]);
  });
});

describe('adding a block from the palette by keyboard', () => {
  beforeEach(() => {
    loadDocument(cnn());
    resetView();
  });

  it('goes beside the selection, on no other block', () => {
    select(['conv1']);
    const id = addBlockInFreeSpace('lif')!;
    const all = boxes();
    expect(overlapping(all)).toEqual([]);
    const conv1 = all.get('conv1')!;
    const added = all.get(id)!;
    // right of conv1 is taken by its neighbour (the row is tight): it goes just below conv1
    expect(added).toMatchObject({ x: conv1.x, y: conv1.y + conv1.height + PLACEMENT_GAP });
  });

  it('without a selection, at the view centre if free, else next to it; twice never stacks two blocks', () => {
    select([]);
    const a = addBlockInFreeSpace('linear')!;
    select([]);
    const b = addBlockInFreeSpace('linear')!;
    const all = boxes();
    expect(a).not.toBe(b);
    expect(overlapping(all)).toEqual([]);
  });
});

describe('wrapping a selection (Ctrl+G)', () => {
  beforeEach(() => resetView());

  it('puts the new block where the selection was when it fits', async () => {
    loadDocument(cnn());
    const conv1 = getDocument().nodes.find((n) => n.id === 'conv1')!.position!;
    select(['conv1', 'bn1', 'lif1', 'pool1']);
    await wrapSelection();
    expect(getDocument().nodes.find((n) => n.id === 'block_1')!.position).toEqual(conv1);
    expect(overlapping(boxes())).toEqual([]);
  });

  it('moves it to the nearest free spot when it is larger than the space the selection left', async () => {
    // a block just under conv1: the wrapper (taller: its ports x and y are named) would cover it
    const doc = cnn();
    loadDocument({ ...doc, nodes: doc.nodes.map((n) => (n.id === 'mean_t' ? { ...n, position: { x: 480, y: 50 } } : n)) });
    select(['conv1']);
    await wrapSelection();
    const all = boxes();
    expect(overlapping(all)).toEqual([]);
    const at = all.get('block_1')!;
    expect(Math.hypot(at.x - 480, at.y)).toBeLessThan(200);
  });
});
