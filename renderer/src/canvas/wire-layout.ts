/**
 * Where every wire of a body runs and where its type label sits, decided for all wires at once:
 * a label read on its own wire is the only thing that tells which tensor the wire carries, so a
 * label on top of another label, on another wire or on a block would tell the wrong story.
 *
 * Wires leave a block on its right and enter on the left (wire-path.ts). A forward wire is a
 * Bézier curve, unless the curve would pass behind a block between its ends (a residual skipping
 * the blocks of its row): then it goes round, along the gap above (or below) those blocks, so no
 * wire runs along a row through its blocks. A wire back to the left (the wrap from the end of one
 * row to the start of the next) runs along the gap between the two rows.
 *
 * Labels are placed greedily, the least free wires first: each tries points along its own wire,
 * from the middle outwards, and takes the first whose box touches no block, no label already
 * placed and no other wire. A wire with no such point shows no label until it is selected; its
 * colour and dash still tell its kind.
 */

export interface Pt {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WireSpec {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The output handle's point (right side of the source) and the input handle's (left side of the target). */
  readonly from: Pt;
  readonly to: Pt;
  /** The label's size, when the wire has one. */
  readonly label?: { readonly width: number; readonly height: number };
}

export interface WireRoute {
  /** SVG path data. */
  readonly d: string;
  /** The path as a polyline (curves sampled), in drawing order. */
  readonly points: readonly Pt[];
  /** The label's centre, or null when no free place on the wire was found. */
  readonly label: Pt | null;
}

/** Clearance kept around blocks and between a label and everything else. */
const CLEAR = 3;
/** How far a wire runs straight out of (and into) a handle before it turns. */
const STUB = 16;
/** Distance kept between a detour and the blocks it goes round. */
const DETOUR_GAP = 18;
const CORNER = 8;
const BEZIER_SAMPLES = 24;
/** Where along its wire (fraction of its length) a label tries to sit, best first. */
const LABEL_STOPS = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.12, 0.88];

export function layoutWires(nodes: ReadonlyMap<string, Box>, wires: readonly WireSpec[]): Map<string, WireRoute> {
  const blocks = new Grid<string>();
  for (const [id, b] of nodes) blocks.add(inflate(b, CLEAR), id);
  const paths = new Map<string, Pt[]>();
  for (const w of wires) paths.set(w.id, routeWire(w, nodes, blocks));

  const segments = new Grid<string>();
  for (const [id, pts] of paths) for (let i = 1; i < pts.length; i++) segments.add(segmentBox(pts[i - 1]!, pts[i]!), id, [pts[i - 1]!, pts[i]!]);

  const labels = placeLabels(wires, paths, blocks, segments);
  const out = new Map<string, WireRoute>();
  for (const w of wires) {
    const pts = paths.get(w.id)!;
    out.set(w.id, { d: pathData(pts, w), points: pts, label: labels.get(w.id) ?? null });
  }
  return out;
}

/** The polyline of one wire. */
export function routeWire(w: WireSpec, nodes: ReadonlyMap<string, Box>, blocks: Grid<string>): Pt[] {
  if (w.to.x < w.from.x) return returnRoute(w, nodes);
  const curve = bezierPoints(w.from, w.to);
  const blockers = blockersOf(curve, w, blocks);
  if (blockers.length === 0) return curve;
  const above = detour(w, Math.min(...blockers.map((b) => b.y)) - DETOUR_GAP);
  const below = detour(w, Math.max(...blockers.map((b) => b.y + b.height)) + DETOUR_GAP);
  const cost = (pts: Pt[]) => blockersOf(pts, w, blocks).length * 1e6 + Math.abs(pts[2]!.y - w.from.y) + Math.abs(pts[2]!.y - w.to.y);
  return cost(above) <= cost(below) ? above : below;
}

/** React Flow's Bézier from a right handle to a left handle (same control points), sampled. */
function bezierPoints(a: Pt, b: Pt): Pt[] {
  const half = 0.5 * (b.x - a.x);
  const c1 = { x: a.x + half, y: a.y };
  const c2 = { x: b.x - half, y: b.y };
  const out: Pt[] = [];
  for (let i = 0; i <= BEZIER_SAMPLES; i++) {
    const t = i / BEZIER_SAMPLES;
    const u = 1 - t;
    out.push({
      x: u * u * u * a.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * b.x,
      y: u * u * u * a.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * b.y,
    });
  }
  return out;
}

/** Out of the source, along y, into the target: the stubs shrink when the ends are close. */
function detour(w: WireSpec, y: number): Pt[] {
  const stub = Math.min(STUB, Math.max(0, (w.to.x - w.from.x) / 2));
  return [w.from, { x: w.from.x + stub, y: w.from.y }, { x: w.from.x + stub, y }, { x: w.to.x - stub, y }, { x: w.to.x - stub, y: w.to.y }, w.to];
}

/** A wire back to the left: out to the right, along the gap between source and target, in from the left. */
function returnRoute(w: WireSpec, nodes: ReadonlyMap<string, Box>): Pt[] {
  const s = nodes.get(w.source);
  const t = nodes.get(w.target);
  let y = (w.from.y + w.to.y) / 2;
  if (s && t) {
    if (s.y + s.height < t.y) y = (s.y + s.height + t.y) / 2;
    else if (t.y + t.height < s.y) y = (t.y + t.height + s.y) / 2;
  }
  const out = w.from.x + 24;
  const back = w.to.x - 24;
  return [w.from, { x: out, y: w.from.y }, { x: out, y }, { x: back, y }, { x: back, y: w.to.y }, w.to];
}

/** Blocks other than the wire's own ends that its polyline passes through. */
function blockersOf(pts: readonly Pt[], w: WireSpec, blocks: Grid<string>): Box[] {
  const hit = new Map<string, Box>();
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    for (const item of blocks.query(segmentBox(a, b))) {
      if (item.value === w.source || item.value === w.target || hit.has(item.value)) continue;
      if (segmentHitsBox(a, b, item.box)) hit.set(item.value, item.box);
    }
  }
  return [...hit.values()];
}

function placeLabels(wires: readonly WireSpec[], paths: ReadonlyMap<string, Pt[]>, blocks: Grid<string>, segments: Grid<string>): Map<string, Pt> {
  const placed = new Grid<string>();
  const out = new Map<string, Pt>();
  const labelled = wires.filter((w) => w.label !== undefined);
  // short wires have the fewest places to offer: they choose first
  const order = labelled.map((w) => ({ w, length: polylineLength(paths.get(w.id)!) })).sort((a, b) => a.length - b.length || (a.w.id < b.w.id ? -1 : 1));
  for (const { w, length } of order) {
    const pts = paths.get(w.id)!;
    const size = w.label!;
    for (const stop of LABEL_STOPS) {
      const c = pointAt(pts, stop * length);
      const box = inflate({ x: c.x - size.width / 2, y: c.y - size.height / 2, width: size.width, height: size.height }, CLEAR);
      if (blocks.query(box).some((i) => overlaps(i.box, box))) continue;
      if (placed.query(box).some((i) => overlaps(i.box, box))) continue;
      if (segments.query(box).some((i) => i.value !== w.id && segmentHitsBox(i.segment![0], i.segment![1], box))) continue;
      out.set(w.id, c);
      placed.add(box, w.id);
      break;
    }
  }
  return out;
}

function pathData(pts: readonly Pt[], w: WireSpec): string {
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  if (pts.length === BEZIER_SAMPLES + 1 && w.to.x >= w.from.x) {
    const half = 0.5 * (last.x - first.x);
    return `M${first.x},${first.y} C${first.x + half},${first.y} ${last.x - half},${last.y} ${last.x},${last.y}`;
  }
  return roundedPolyline(pts, CORNER);
}

/** An orthogonal polyline with its corners rounded (radius shrunk where a leg is short). */
export function roundedPolyline(pts: readonly Pt[], radius: number): string {
  let d = `M${pts[0]!.x},${pts[0]!.y}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i - 1]!;
    const c = pts[i]!;
    const n = pts[i + 1]!;
    const r = Math.min(radius, dist(p, c) / 2, dist(c, n) / 2);
    if (r <= 0) {
      d += ` L${c.x},${c.y}`;
      continue;
    }
    const a = toward(c, p, r);
    const b = toward(c, n, r);
    d += ` L${a.x},${a.y} Q${c.x},${c.y} ${b.x},${b.y}`;
  }
  const end = pts[pts.length - 1]!;
  return `${d} L${end.x},${end.y}`;
}

function toward(from: Pt, to: Pt, r: number): Pt {
  const l = dist(from, to);
  return l === 0 ? from : { x: from.x + ((to.x - from.x) / l) * r, y: from.y + ((to.y - from.y) / l) * r };
}

function dist(a: Pt, b: Pt): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

export function polylineLength(pts: readonly Pt[]): number {
  let l = 0;
  for (let i = 1; i < pts.length; i++) l += dist(pts[i - 1]!, pts[i]!);
  return l;
}

/** The point at arc length `s` along the polyline. */
export function pointAt(pts: readonly Pt[], s: number): Pt {
  let left = s;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const l = dist(a, b);
    if (left <= l && l > 0) return { x: a.x + ((b.x - a.x) * left) / l, y: a.y + ((b.y - a.y) * left) / l };
    left -= l;
  }
  return pts[pts.length - 1]!;
}

function inflate(b: Box, m: number): Box {
  return { x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m };
}

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function segmentBox(a: Pt, b: Pt): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) };
}

/** Whether segment a–b passes through the inside of the box (Liang–Barsky clipping). */
export function segmentHitsBox(a: Pt, b: Pt, box: Box): boolean {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, a.x - box.x],
    [dx, box.x + box.width - a.x],
    [-dy, a.y - box.y],
    [dy, box.y + box.height - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return false;
      if (r > t0) t0 = r;
    } else {
      if (r < t0) return false;
      if (r < t1) t1 = r;
    }
  }
  return t0 < t1;
}

interface GridItem<T> {
  readonly box: Box;
  readonly value: T;
  readonly segment?: readonly [Pt, Pt];
}

/** A uniform grid over boxes, so that a query looks at what is near and not at every item. */
export class Grid<T> {
  private readonly cells = new Map<string, GridItem<T>[]>();
  constructor(private readonly cell = 160) {}

  add(box: Box, value: T, segment?: readonly [Pt, Pt]): void {
    const item: GridItem<T> = { box, value, ...(segment ? { segment } : {}) };
    for (const key of this.keys(box)) {
      const list = this.cells.get(key);
      if (list) list.push(item);
      else this.cells.set(key, [item]);
    }
  }

  query(box: Box): GridItem<T>[] {
    const seen = new Set<GridItem<T>>();
    for (const key of this.keys(box)) for (const item of this.cells.get(key) ?? []) seen.add(item);
    return [...seen];
  }

  private *keys(b: Box): Generator<string> {
    const x0 = Math.floor(b.x / this.cell);
    const x1 = Math.floor((b.x + b.width) / this.cell);
    const y0 = Math.floor(b.y / this.cell);
    const y1 = Math.floor((b.y + b.height) / this.cell);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) yield `${x},${y}`;
  }
}
