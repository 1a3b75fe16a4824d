/**
 * The profile table's rows as shown: composites open or closed, siblings sorted by the chosen
 * column (a composite's inside stays under it, sorted among itself).
 */
import type { ProfileRowJson } from '../../../engine/api/studio-api.js';
import type { Convention } from '../../../engine/core/profile/conventions.js';
import { meanRate } from '../../../engine/core/profile/export.js';

export type SortKey = 'order' | 'node' | 'params' | 'macs' | 'frIn' | 'frOut' | 'energy' | 'time';

export interface SortState {
  readonly key: SortKey;
  readonly descending: boolean;
}

export interface VisibleRow {
  readonly row: ProfileRowJson;
  readonly depth: number;
  readonly open: boolean;
  readonly hasChildren: boolean;
}

export function visibleRows(rows: readonly ProfileRowJson[], open: ReadonlySet<string>, sort: SortState, convention: Convention): VisibleRow[] {
  const out: VisibleRow[] = [];
  const walk = (level: readonly ProfileRowJson[], depth: number) => {
    for (const row of sortRows(level, sort, convention)) {
      const hasChildren = (row.children?.length ?? 0) > 0;
      const isOpen = hasChildren && open.has(row.path);
      out.push({ row, depth, open: isOpen, hasChildren });
      if (isOpen) walk(row.children!, depth + 1);
    }
  };
  walk(rows, 0);
  return out;
}

export function sortRows(rows: readonly ProfileRowJson[], sort: SortState, convention: Convention): ProfileRowJson[] {
  if (sort.key === 'order') return sort.descending ? [...rows].reverse() : [...rows];
  const sign = sort.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = columnValue(a, sort.key, convention);
    const y = columnValue(b, sort.key, convention);
    // rows without a value (no spike input, not timed) go last in either direction
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    if (typeof x === 'string' || typeof y === 'string') return sign * String(x).localeCompare(String(y));
    return sign * (x - y);
  });
}

export function columnValue(row: ProfileRowJson, key: SortKey, convention: Convention): number | string | undefined {
  switch (key) {
    case 'order':
      return undefined;
    case 'node':
      return row.id;
    case 'params':
      return row.params;
    case 'macs':
      return row.macs;
    case 'frIn':
      return meanRate(row.reads);
    case 'frOut':
      return meanRate(row.writes);
    case 'energy':
      return row.energy[convention].pj;
    case 'time':
      return row.timeMs;
  }
}

/** A click on a column: the same column flips direction, another starts high to low (numbers) or A–Z (names). */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'node' && key !== 'order' };
}

/** Per-step firing rates of a row's first measured output, for the small multiple. */
export function stepRates(row: ProfileRowJson): readonly number[] | undefined {
  return row.writes.find((w) => w.perStep !== undefined)?.perStep;
}
