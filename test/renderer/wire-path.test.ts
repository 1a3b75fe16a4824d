/**
 * Wires on the canvas (renderer/src/canvas/wire-path.ts): a forward wire is a Bézier curve; a wire
 * to a block left of its source — the return from the end of one wrapped row to the start of the
 * next — runs out to the right, along the gap between the rows (where its label sits), and into
 * the target from the left, never across the blocks of the rows it joins.
 */
import { describe, expect, it } from 'vitest';
import { wirePath } from '../../renderer/src/canvas/wire-path.js';

/** The points of an SVG path made of M, L, Q and C commands (every coordinate pair). */
function points(d: string): { x: number; y: number }[] {
  const nums = (d.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
  return Array.from({ length: nums.length / 2 }, (_, i) => ({ x: nums[2 * i]!, y: nums[2 * i + 1]! }));
}

describe('wirePath', () => {
  it('draws a forward wire as one Bézier curve from handle to handle', () => {
    const [d, lx, ly] = wirePath({ sourceX: 100, sourceY: 50, targetX: 300, targetY: 90 });
    expect(d.startsWith('M100,50')).toBe(true);
    expect(d).toContain('C');
    expect(d.trim().endsWith('300,90')).toBe(true);
    expect(lx).toBeCloseTo(200, 0);
    expect(ly).toBeCloseTo(70, 0);
  });

  it('routes a wire back to the start of the next row through the gap between the rows', () => {
    // row 1 ends with a block whose output handle is at (900, 40); row 2 starts at x = 150, y = 150
    const [d, lx, ly] = wirePath({ sourceX: 900, sourceY: 40, targetX: 150, targetY: 150 });
    expect(d).not.toContain('C');
    const ps = points(d);
    expect(ps[0]).toEqual({ x: 900, y: 40 });
    expect(ps.at(-1)).toEqual({ x: 150, y: 150 });
    // it leaves to the right and arrives from the left
    expect(Math.max(...ps.map((p) => p.x))).toBeGreaterThan(900);
    expect(Math.min(...ps.map((p) => p.x))).toBeLessThan(150);
    // the long leftward run is at the middle height, between the rows, and the label is on it
    expect(ps.filter((p) => p.y === 95).length).toBeGreaterThanOrEqual(2);
    expect(ly).toBe(95);
    expect(lx).toBeGreaterThan(150);
    expect(lx).toBeLessThan(900);
  });
});
