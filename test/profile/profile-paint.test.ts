import { describe, expect, it } from 'vitest';
import type { ProfileResult, ProfileRowJson } from '../../engine/api/studio-api.js';
import { blockFigures, paintColour, rowsAt, wireDensity } from '../../renderer/src/profile/profile-paint.js';

function row(path: string, pj: number, timeMs: number, rate?: number, children?: ProfileRowJson[]): ProfileRowJson {
  const charge = { macs: 0, acs: 0, pj };
  return {
    path,
    id: path.split('.').at(-1)!,
    block: 'b',
    depth: path.split('.').length - 1,
    params: 0,
    macs: 0,
    reads: [],
    writes: rate === undefined ? [{ port: 'out', tensor: `${path}:out`, kind: 'analog' }] : [{ port: 'out', tensor: `${path}:out`, kind: 'spikes', rate }],
    synaptic: { dense: 0, effMacs: 0, effAcs: 0 },
    membraneUpdates: 0,
    energy: { paper: charge, syops: { ...charge, pj: pj * 2 }, neurobench: charge },
    activationBytes: 0,
    timeMs,
    ...(children ? { children } : {}),
  };
}

const rows = [row('conv', 30, 1), row('blk', 70, 3, 0.2, [row('blk.lif', 0, 2, 0.2), row('blk.fc', 70, 1)])];
const result = {
  profile: { rows, totals: { energy: { paper: { pj: 100 }, syops: { pj: 200 }, neurobench: { pj: 100 } }, timeMs: 5 } },
} as unknown as ProfileResult;

describe('profile paint', () => {
  it('gives each block of the body on screen its firing rate and its share of the model', () => {
    const top = blockFigures(result, '', 'paper');
    expect(top.get('conv')).toEqual({ energyShare: 0.3, timeShare: 0.2 });
    expect(top.get('blk')).toEqual({ firingRate: 0.2, energyShare: 0.7, timeShare: 0.6 });
    const inside = blockFigures(result, 'blk', 'syops');
    expect(inside.get('lif')).toEqual({ firingRate: 0.2, energyShare: 0, timeShare: 0.4 });
    expect(inside.get('fc')!.energyShare).toBe(0.7);
  });

  it('finds wires by their source port, and bodies by path', () => {
    expect(wireDensity(result, 'blk', 'lif', 'out')).toBe(0.2);
    expect(wireDensity(result, '', 'conv', 'out')).toBeUndefined();
    expect(rowsAt(rows, 'nope')).toEqual([]);
  });

  it('colours from light blue (0) to deep red (1), clipping outside', () => {
    expect(paintColour(0)).toBe('hsl(220 75% 92%)');
    expect(paintColour(1)).toBe('hsl(0 75% 47%)');
    expect(paintColour(3)).toBe(paintColour(1));
  });
});
