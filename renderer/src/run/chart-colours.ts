/** Series colours: a run's n-th series and the overlaid run's n-th share one (the overlay is dashed). */
import type { LegendKey, ViewSeries } from './chart-model.js';

const COLOURS = ['#4c6ef5', '#e8590c', '#2f9e44', '#ae3ec9', '#1098ad', '#e03131', '#f59f00', '#5c7cfa', '#0ca678', '#d6336c', '#74b816', '#7048e8'];

export function seriesColour(s: Pick<ViewSeries, 'index'>): string {
  return COLOURS[s.index % COLOURS.length]!;
}

/** A run key of an overlay's legend: the line style, in a neutral grey. */
export const RUN_KEY_COLOUR = '#868e96';

export function keyColour(k: LegendKey): string {
  return k.index === null ? RUN_KEY_COLOUR : seriesColour({ index: k.index });
}
