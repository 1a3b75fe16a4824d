/**
 * What the canvas paints from a profile, for the body on screen (the document's, or a composite's
 * inside): per block its firing rate, energy share and time share, and per wire the density of the
 * spikes it carries. Shares are of the whole model's totals, so a composite's blocks read as parts
 * of the model, not of the composite.
 */
import type { ProfileResult, ProfileRowJson } from '../../../engine/api/studio-api.js';
import type { Convention } from '../../../engine/core/profile/conventions.js';
import { meanRate } from '../../../engine/core/profile/export.js';

export type PaintMetric = 'firingRate' | 'energyShare' | 'timeShare';

export interface BlockFigures {
  /** Mean firing rate of the spikes the block writes (spike counts: spikes per element); absent without spikes. */
  readonly firingRate?: number;
  readonly energyShare: number;
  /** Absent when the profile has no times. */
  readonly timeShare?: number;
}

/** Figures by node id for the body at `scope` ('' for the document, `block1.attn` for an inside). */
export function blockFigures(result: ProfileResult, scope: string, convention: Convention): Map<string, BlockFigures> {
  const totalPj = result.profile.totals.energy[convention].pj;
  const totalMs = result.profile.totals.timeMs;
  const out = new Map<string, BlockFigures>();
  for (const row of rowsAt(result.profile.rows, scope)) {
    const rate = meanRate(row.writes);
    out.set(row.id, {
      ...(rate === undefined ? {} : { firingRate: rate }),
      energyShare: totalPj > 0 ? row.energy[convention].pj / totalPj : 0,
      ...(row.timeMs === undefined || totalMs === undefined || totalMs <= 0 ? {} : { timeShare: row.timeMs / totalMs }),
    });
  }
  return out;
}

/**
 * Spike density of the wire leaving `source` by `port` in the body at `scope`: the rate of the
 * tensor it carries (a composite's output port carries its inner producer's tensor).
 */
export function wireDensity(result: ProfileResult, scope: string, source: string, port: string): number | undefined {
  const row = rowsAt(result.profile.rows, scope).find((r) => r.id === source);
  return row?.writes.find((w) => w.port === port)?.rate;
}

/** The rows of the body at `scope`: the top level for '', else the children of the row at that path. */
export function rowsAt(rows: readonly ProfileRowJson[], scope: string): readonly ProfileRowJson[] {
  if (scope === '') return rows;
  let level = rows;
  let path = '';
  for (const id of scope.split('.')) {
    path = path === '' ? id : `${path}.${id}`;
    const row = level.find((r) => r.path === path);
    if (!row?.children) return [];
    level = row.children;
  }
  return level;
}

/** A colour scale for a figure in [0, 1] (a share, or a rate clipped at 1): light to deep. */
export function paintColour(value: number): string {
  const v = Math.max(0, Math.min(1, value));
  // the lightness falls with the value; hue from blue (little) to red (most)
  const hue = 220 - 220 * v;
  return `hsl(${hue.toFixed(0)} 75% ${(92 - 45 * v).toFixed(0)}%)`;
}
