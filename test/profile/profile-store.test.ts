import { describe, expect, it } from 'vitest';
import type { ProfileResult, ProfileRowJson } from '../../engine/api/studio-api.js';
import { paintColour } from '../../renderer/src/profile/profile-paint.js';
import { formatFigure, scaledColour, scopePaint, type ProfileStoreState } from '../../renderer/src/profile/profile-store.js';

function row(path: string, pj: number, rate?: number, children?: ProfileRowJson[]): ProfileRowJson {
  const charge = { macs: 0, acs: 0, pj };
  return {
    path,
    id: path.split('.').at(-1)!,
    block: 'b',
    depth: path.split('.').length - 1,
    params: 0,
    macs: 0,
    reads: [],
    writes: rate === undefined ? [{ port: 'out', tensor: `${path}:out`, kind: 'analog' }] : [{ port: 'out', tensor: `${path}:out`, kind: 'spikes', rate }, { port: 'mem', tensor: `${path}:mem`, kind: 'spikes', rate: rate * 2 }],
    synaptic: { dense: 0, effMacs: 0, effAcs: 0 },
    membraneUpdates: 0,
    energy: { paper: charge, syops: charge, neurobench: charge },
    activationBytes: 0,
    ...(children ? { children } : {}),
  };
}

const rows = [row('conv', 40), row('lif', 10, 0.1), row('blk', 50, 0.25, [row('blk.lif', 0, 0.25), row('blk.fc', 50)])];
const result = { profile: { rows, totals: { energy: { paper: { pj: 100 }, syops: { pj: 100 }, neurobench: { pj: 100 } } } } } as unknown as ProfileResult;
const state = (paint: ProfileStoreState['paint'], session = 3): ProfileStoreState => ({ result, session, convention: 'paper', paint });

describe('the canvas paint of the last profile', () => {
  it('paints nothing when off, without a result, or for another document session', () => {
    expect(scopePaint(state('off'), 3, '')).toBeNull();
    expect(scopePaint({ ...state('firingRate'), result: null }, 3, '')).toBeNull();
    expect(scopePaint(state('firingRate', 2), 3, '')).toBeNull();
  });

  it('scales firing rate from 0 to the largest block rate or wire density on screen', () => {
    const top = scopePaint(state('firingRate'), 3, '')!;
    expect(top.metric).toBe('firingRate');
    // blk writes 0.25 on out and 0.5 on mem: its mean is 0.375, its densest wire 0.5
    expect(top.max).toBe(0.5);
    expect(top.figures.get('lif')!.firingRate).toBeCloseTo(0.15);
    expect(top.figures.get('conv')!.firingRate).toBeUndefined();
    const inside = scopePaint(state('firingRate'), 3, 'blk')!;
    expect(inside.max).toBe(0.5);
    expect([...inside.figures.keys()]).toEqual(['lif', 'fc']);
  });

  it('scales energy share to the largest share on screen, and reuses the answer for the same state', () => {
    const s = state('energyShare');
    const top = scopePaint(s, 3, '')!;
    expect(top.max).toBe(0.5);
    expect(scopePaint(s, 3, '')).toBe(top);
    expect(scaledColour(0.5, top.max)).toBe(paintColour(1));
    expect(scaledColour(0.4, 0)).toBe(paintColour(0));
  });

  it('prints figures as percentages', () => {
    expect(formatFigure(0.153)).toBe('15.3%');
    expect(formatFigure(0.0042)).toBe('0.42%');
  });
});
