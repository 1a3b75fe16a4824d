import { describe, expect, it } from 'vitest';
import type { ProfileRowJson } from '../../engine/api/studio-api.js';
import { nextSort, visibleRows } from '../../renderer/src/profile/profile-table.js';

function row(path: string, pj: number, rate?: number, children?: ProfileRowJson[]): ProfileRowJson {
  const id = path.split('.').at(-1)!;
  const charge = { macs: 0, acs: pj, pj };
  return {
    path,
    id,
    block: 'b',
    depth: path.split('.').length - 1,
    params: 0,
    macs: pj,
    reads: rate === undefined ? [] : [{ port: 'in', tensor: 'x:out', kind: 'spikes', rate }],
    writes: [],
    synaptic: { dense: 0, effMacs: 0, effAcs: 0 },
    membraneUpdates: 0,
    energy: { paper: charge, syops: { ...charge, pj: 2 * pj }, neurobench: charge },
    activationBytes: 0,
    ...(children ? { children } : {}),
  };
}

const rows = [row('a', 5, 0.1), row('blk', 9, undefined, [row('blk.q', 2, 0.3), row('blk.k', 7, 0.2)]), row('c', 1)];

describe('profile table rows', () => {
  it('keeps document order, composites closed until opened', () => {
    const shown = visibleRows(rows, new Set(), { key: 'order', descending: false }, 'paper');
    expect(shown.map((r) => r.row.path)).toEqual(['a', 'blk', 'c']);
    expect(shown[1]).toMatchObject({ hasChildren: true, open: false, depth: 0 });
    const opened = visibleRows(rows, new Set(['blk']), { key: 'order', descending: false }, 'paper');
    expect(opened.map((r) => [r.row.path, r.depth])).toEqual([
      ['a', 0],
      ['blk', 0],
      ['blk.q', 1],
      ['blk.k', 1],
      ['c', 0],
    ]);
  });

  it('sorts siblings by energy under the chosen convention, insides under their composite', () => {
    const shown = visibleRows(rows, new Set(['blk']), { key: 'energy', descending: true }, 'syops');
    expect(shown.map((r) => r.row.path)).toEqual(['blk', 'blk.k', 'blk.q', 'a', 'c']);
  });

  it('puts rows without a firing rate last in both directions', () => {
    const up = visibleRows(rows, new Set(), { key: 'frIn', descending: false }, 'paper').map((r) => r.row.path);
    const down = visibleRows(rows, new Set(), { key: 'frIn', descending: true }, 'paper').map((r) => r.row.path);
    expect(up[0]).toBe('a');
    expect(up.slice(1).sort()).toEqual(['blk', 'c']);
    expect(down[0]).toBe('a');
  });

  it('a click flips the same column, and starts another high to low (names A–Z)', () => {
    expect(nextSort({ key: 'energy', descending: true }, 'energy')).toEqual({ key: 'energy', descending: false });
    expect(nextSort({ key: 'energy', descending: true }, 'time')).toEqual({ key: 'time', descending: true });
    expect(nextSort({ key: 'energy', descending: true }, 'node')).toEqual({ key: 'node', descending: false });
  });
});
