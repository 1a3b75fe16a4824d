/**
 * Where a new block goes so that it covers no other: the first free spot of a list of preferred
 * ones (beside the selection, the centre of the view), else the free spot nearest the first of
 * them, searched ring by ring on a grid. Pure: boxes in, a position out.
 */
import type { XY } from '../document/ops.js';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** Space kept between a new block and its neighbours, so that wires and labels fit between them. */
export const PLACEMENT_GAP = 32;
const GRID = 24;
const MAX_RINGS = 400;

/** The top-left of a free box of `size`: the first free of `preferred`, else the nearest free spot to `preferred[0]`. */
export function freeSpot(size: Size, occupied: readonly Box[], preferred: readonly XY[], gap = PLACEMENT_GAP): XY {
  for (const p of preferred) if (isFree({ ...p, ...size }, occupied, gap)) return p;
  const origin = preferred[0] ?? { x: 0, y: 0 };
  for (let r = 1; r <= MAX_RINGS; r++) {
    let best: XY | undefined;
    let bestDistance = Infinity;
    for (const p of ring(origin, r)) {
      const d = Math.hypot(p.x - origin.x, p.y - origin.y);
      if (d < bestDistance && isFree({ ...p, ...size }, occupied, gap)) {
        best = p;
        bestDistance = d;
      }
    }
    if (best) return best;
  }
  // a canvas this full: below everything
  return { x: origin.x, y: Math.max(...occupied.map((b) => b.y + b.height), origin.y) + gap };
}

/** Spots beside a selection, in the order a new block is looked for: right (downstream), below, above, left. */
export function besideSelection(selection: Box, size: Size, gap = PLACEMENT_GAP): XY[] {
  return [
    { x: selection.x + selection.width + gap, y: selection.y },
    { x: selection.x, y: selection.y + selection.height + gap },
    { x: selection.x, y: selection.y - size.height - gap },
    { x: selection.x - size.width - gap, y: selection.y },
  ];
}

/** The box around `boxes` (undefined for none). */
export function boundsOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  const minX = Math.min(...boxes.map((b) => b.x));
  const minY = Math.min(...boxes.map((b) => b.y));
  const maxX = Math.max(...boxes.map((b) => b.x + b.width));
  const maxY = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

function isFree(box: Box, occupied: readonly Box[], gap: number): boolean {
  return occupied.every((o) => !overlaps(box, o, gap));
}

/** The grid points at Chebyshev distance `r` (in grid steps) from `origin`. */
function* ring(origin: XY, r: number): Generator<XY> {
  for (let i = -r; i <= r; i++) {
    yield { x: origin.x + i * GRID, y: origin.y - r * GRID };
    yield { x: origin.x + i * GRID, y: origin.y + r * GRID };
  }
  for (let j = -r + 1; j <= r - 1; j++) {
    yield { x: origin.x - r * GRID, y: origin.y + j * GRID };
    yield { x: origin.x + r * GRID, y: origin.y + j * GRID };
  }
}
