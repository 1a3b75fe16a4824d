/**
 * The layout of all wires of a body at once (renderer/src/canvas/wire-layout.ts): a label never
 * covers another label, another wire or a block; a wire that would pass behind a block of its row
 * goes round it; a wire back to the next row runs in the gap between the rows. Each check here
 * measures the result independently: the other wires are sampled every pixel along their SVG-free
 * polylines and tested point by point against the label's box, not with the module's own clipping.
 * The last test lays out every template's top level with the real auto-layout (elkjs) and checks
 * the same properties on it.
 */
import { describe, expect, it } from 'vitest';
import { layoutWires, pointAt, polylineLength, segmentHitsBox, type Box, type Pt, type WireRoute, type WireSpec } from '../../renderer/src/canvas/wire-layout.js';
import { layoutAll } from '../../renderer/src/layout/layout-document.js';
import { estimateNodeSize, NODE_HEAD } from '../../renderer/src/layout/node-size.js';
import { portNames } from '../../renderer/src/layout/ports.js';
import { buildTemplate, listTemplates } from '../../templates/index.js';

const W = 212;
const H = 42;
const LABEL = { width: 120, height: 16 };

function node(x: number, y: number): Box {
  return { x, y, width: W, height: H };
}

/** A wire from the right middle of `a` to the left middle of `b`. */
function wire(id: string, nodes: Map<string, Box>, a: string, b: string, label = LABEL): WireSpec {
  const s = nodes.get(a)!;
  const t = nodes.get(b)!;
  return { id, source: a, target: b, from: { x: s.x + s.width, y: s.y + s.height / 2 }, to: { x: t.x, y: t.y + t.height / 2 }, label };
}

function labelBox(r: WireRoute, size = LABEL): Box {
  return { x: r.label!.x - size.width / 2, y: r.label!.y - size.height / 2, width: size.width, height: size.height };
}

function inside(p: Pt, b: Box): boolean {
  return p.x > b.x && p.x < b.x + b.width && p.y > b.y && p.y < b.y + b.height;
}

/** Points every pixel along a polyline. */
function samples(points: readonly Pt[]): Pt[] {
  const length = polylineLength(points);
  return Array.from({ length: Math.ceil(length) + 1 }, (_, i) => pointAt(points, Math.min(i, length)));
}

function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every way a label or a wire of `routes` breaks the rules, as readable strings. */
function faults(nodes: ReadonlyMap<string, Box>, wires: readonly WireSpec[], routes: ReadonlyMap<string, WireRoute>): string[] {
  const out: string[] = [];
  const labelled = wires.filter((w) => routes.get(w.id)!.label);
  for (const w of labelled) {
    const box = labelBox(routes.get(w.id)!, w.label);
    for (const [id, b] of nodes) if (intersects(box, b)) out.push(`label ${w.id} on block ${id}`);
    for (const v of labelled) if (v.id < w.id && intersects(box, labelBox(routes.get(v.id)!, v.label))) out.push(`label ${w.id} on label ${v.id}`);
    for (const v of wires) if (v.id !== w.id && samples(routes.get(v.id)!.points).some((p) => inside(p, box))) out.push(`label ${w.id} on wire ${v.id}`);
  }
  return out;
}

describe('layoutWires', () => {
  it('puts each label on its own wire', () => {
    const nodes = new Map([
      ['a', node(0, 0)],
      ['b', node(400, 80)],
    ]);
    const w = wire('a-b', nodes, 'a', 'b');
    const r = layoutWires(nodes, [w]).get('a-b')!;
    expect(r.label).not.toBeNull();
    const nearest = Math.min(...samples(r.points).map((p) => Math.hypot(p.x - r.label!.x, p.y - r.label!.y)));
    expect(nearest).toBeLessThan(1);
    expect(r.d.startsWith(`M${w.from.x},${w.from.y}`)).toBe(true);
  });

  it('fans out from one port without two labels on each other or on a sibling wire', () => {
    const nodes = new Map([
      ['src', node(0, 100)],
      ['t1', node(360, 0)],
      ['t2', node(360, 70)],
      ['t3', node(360, 140)],
      ['t4', node(360, 210)],
    ]);
    const wires = ['t1', 't2', 't3', 't4'].map((t) => wire(`src-${t}`, nodes, 'src', t));
    const routes = layoutWires(nodes, wires);
    expect(faults(nodes, wires, routes)).toEqual([]);
    // the two outer wires leave the bundle soonest: their labels find room in the 148 px gap
    expect(routes.get('src-t1')!.label).not.toBeNull();
    expect(routes.get('src-t4')!.label).not.toBeNull();
  });

  it('sends a wire that skips blocks of its row round them, not through them', () => {
    // a residual: a → b → c → d in one row, and a → d skipping b and c
    const nodes = new Map([
      ['a', node(0, 100)],
      ['b', node(360, 100)],
      ['c', node(720, 100)],
      ['d', node(1080, 100)],
    ]);
    const wires = [wire('a-b', nodes, 'a', 'b'), wire('b-c', nodes, 'b', 'c'), wire('c-d', nodes, 'c', 'd'), wire('a-d', nodes, 'a', 'd')];
    const routes = layoutWires(nodes, wires);
    const skip = samples(routes.get('a-d')!.points);
    for (const id of ['b', 'c']) expect(skip.some((p) => inside(p, nodes.get(id)!)), `skip wire through ${id}`).toBe(false);
    // it runs along the gap above (or below) the row, not along the row
    const ys = skip.map((p) => p.y);
    expect(Math.min(...ys) < 100 || Math.max(...ys) > 100 + H).toBe(true);
    expect(faults(nodes, wires, routes)).toEqual([]);
  });

  it('runs a wire back to the next row along the gap between the rows', () => {
    const nodes = new Map([
      ['end', node(800, 0)],
      ['start', node(0, 200)],
    ]);
    const w = wire('wrap', nodes, 'end', 'start');
    const r = layoutWires(nodes, [w]).get('wrap')!;
    const horizontal = r.points.filter((p, i) => i > 0 && p.y === r.points[i - 1]!.y && Math.abs(p.x - r.points[i - 1]!.x) > 100);
    expect(horizontal).toHaveLength(1);
    expect(horizontal[0]!.y).toBe((H + 200) / 2);
    for (const b of nodes.values()) expect(samples(r.points).some((p) => inside(p, b))).toBe(false);
    expect(r.label).not.toBeNull();
  });

  it('leaves a label off rather than on another wire when its wire has no free place', () => {
    // two wires cross in a gap too short for a label anywhere off the other wire
    const nodes = new Map([
      ['a', node(0, 0)],
      ['b', node(0, 30 + H)],
      ['c', node(W + 60, 0)],
      ['d', node(W + 60, 30 + H)],
    ]);
    const wires = [wire('a-d', nodes, 'a', 'd'), wire('b-c', nodes, 'b', 'c')];
    const routes = layoutWires(nodes, wires);
    expect(faults(nodes, wires, routes)).toEqual([]);
    expect(wires.filter((w) => routes.get(w.id)!.label === null).length).toBeGreaterThan(0);
  });

  it('segmentHitsBox: through, beside, ending inside, along an edge', () => {
    const b = { x: 10, y: 10, width: 10, height: 10 };
    expect(segmentHitsBox({ x: 0, y: 15 }, { x: 30, y: 15 }, b)).toBe(true);
    expect(segmentHitsBox({ x: 0, y: 25 }, { x: 30, y: 25 }, b)).toBe(false);
    expect(segmentHitsBox({ x: 0, y: 0 }, { x: 12, y: 12 }, b)).toBe(true);
    expect(segmentHitsBox({ x: 0, y: 0 }, { x: 30, y: 5 }, b)).toBe(false);
  });

  it('every template, laid out by the auto-layout: no label on a block, a label or another wire; no wire through a block', async () => {
    let labels = 0;
    let shown = 0;
    for (const t of listTemplates()) {
      const doc = buildTemplate(t.id);
      const body = await layoutAll(doc, doc);
      const nodes = new Map(body.nodes.map((n) => [n.id, { ...n.position!, ...estimateNodeSize(doc, body, n.id) }]));
      // handles: outputs and inputs spread down the sides below the head, as BlockNode draws port rows
      const end = (id: string, side: 'in' | 'out', port: string): Pt => {
        const b = nodes.get(id)!;
        const ports = portNames(doc, body, id)[side === 'in' ? 'inputs' : 'outputs'];
        const i = Math.max(0, ports.indexOf(port));
        const y = ports.length > 1 ? b.y + NODE_HEAD + 8 + i * 16 : b.y + b.height / 2;
        return { x: side === 'out' ? b.x + b.width : b.x, y };
      };
      const wires: WireSpec[] = body.edges.map((e, k) => ({
        id: `e${k}`,
        source: e.source,
        target: e.target,
        from: end(e.source, 'out', e.sourcePort ?? 'out'),
        to: end(e.target, 'in', e.targetPort ?? 'in'),
        label: { width: 140, height: 16 },
      }));
      const routes = layoutWires(nodes, wires);
      expect(faults(nodes, wires, routes), t.id).toEqual([]);
      for (const w of wires) {
        const pts = samples(routes.get(w.id)!.points);
        for (const [id, b] of nodes) if (id !== w.source && id !== w.target) expect(pts.some((p) => inside(p, b)), `${t.id}: wire ${w.source}→${w.target} through ${id}`).toBe(false);
      }
      labels += wires.length;
      shown += wires.filter((w) => routes.get(w.id)!.label).length;
    }
    // nearly every wire keeps its label: leaving labels off is the exception, not the way to pass
    expect(shown / labels).toBeGreaterThan(0.9);
  }, 60_000);
});
