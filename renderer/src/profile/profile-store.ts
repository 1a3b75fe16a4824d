/**
 * The last profile the Profile panel ran, kept for the canvas: which figure the canvas paints
 * (off, firing rate, energy share or time share), under which energy convention, and what each
 * block and wire on screen shows for it. The result belongs to the document session it was run
 * on; another document paints nothing.
 */
import { useMemo } from 'react';
import { create } from 'zustand';
import type { ProfileResult } from '../../../engine/api/studio-api.js';
import type { Convention } from '../../../engine/core/profile/conventions.js';
import { useDocumentStore } from '../state/document-store.js';
import { useViewStore } from '../state/view-store.js';
import { blockFigures, paintColour, rowsAt, wireDensity, type BlockFigures, type PaintMetric } from './profile-paint.js';

export type PaintMode = 'off' | PaintMetric;

export interface ProfileStoreState {
  readonly result: ProfileResult | null;
  /** The document session (document-store's `session`) the result was measured on. */
  readonly session: number | null;
  readonly convention: Convention;
  readonly paint: PaintMode;
}

export const useProfileStore = create<ProfileStoreState>()(() => ({ result: null, session: null, convention: 'paper', paint: 'off' }));

export function keepProfile(result: ProfileResult): void {
  useProfileStore.setState({ result, session: useDocumentStore.getState().session });
}

export function setProfileConvention(convention: Convention): void {
  useProfileStore.setState({ convention });
}

export function setPaint(paint: PaintMode): void {
  useProfileStore.setState({ paint });
}

/** What the canvas paints for the body on screen: per block a figure and a colour, per wire a density; null when nothing is painted. */
export interface ScopePaint {
  readonly metric: PaintMetric;
  readonly figures: ReadonlyMap<string, BlockFigures>;
  /** The largest figure on screen: the top of the legend's scale (the colours run from 0 to it). */
  readonly max: number;
  readonly result: ProfileResult;
  readonly scope: string;
}

/** The figure a block shows for `metric`, if it has one. */
export function figureOf(f: BlockFigures | undefined, metric: PaintMetric): number | undefined {
  return f?.[metric];
}

let cached: { state: ProfileStoreState; session: number; scope: string; paint: ScopePaint | null } | null = null;

/** The paint of the body at `scope`, from the store's state; the last answer is reused, since every block on screen asks for the same one. */
export function scopePaint(state: ProfileStoreState, session: number, scope: string): ScopePaint | null {
  if (cached && cached.state === state && cached.session === session && cached.scope === scope) return cached.paint;
  const paint = computePaint(state, session, scope);
  cached = { state, session, scope, paint };
  return paint;
}

function computePaint(state: ProfileStoreState, session: number, scope: string): ScopePaint | null {
  const { result, paint } = state;
  if (paint === 'off' || result === null || state.session !== session) return null;
  const figures = blockFigures(result, scope, state.convention);
  let max = 0;
  for (const f of figures.values()) max = Math.max(max, figureOf(f, paint) ?? 0);
  if (paint === 'firingRate') {
    for (const row of rowsAt(result.profile.rows, scope)) for (const w of row.writes) if (w.rate !== undefined) max = Math.max(max, w.rate);
  }
  return { metric: paint, figures, max, result, scope };
}

/** The scale colour of a figure against the scale's top (little is blue, the most is red). */
export function scaledColour(value: number, max: number): string {
  return paintColour(max > 0 ? value / max : 0);
}

/** A figure as the badge and legend print it: a percentage. */
export function formatFigure(value: number): string {
  const pct = 100 * value;
  return `${pct.toFixed(pct < 1 ? 2 : 1)}%`;
}

export const METRIC_LABELS: Readonly<Record<PaintMetric, string>> = { firingRate: 'firing rate', energyShare: 'energy share', timeShare: 'time share' };

const scopeKey = (s: { scope: readonly { nodeId: string }[] }) => s.scope.map((f) => f.nodeId).join('.');

/** The paint of the body on screen, for the canvas's legend, blocks and wires. */
export function useScopePaint(): ScopePaint | null {
  const state = useProfileStore();
  const session = useDocumentStore((s) => s.session);
  const scope = useViewStore(scopeKey);
  return useMemo(() => scopePaint(state, session, scope), [state, session, scope]);
}

/** What a block shows: its colour and figure, or undefined when it is not painted. */
export function useBlockPaint(nodeId: string): { colour: string; text: string; title: string } | undefined {
  const paint = useScopePaint();
  return useMemo(() => {
    if (!paint) return undefined;
    const value = figureOf(paint.figures.get(nodeId), paint.metric);
    if (value === undefined) return undefined;
    return { colour: scaledColour(value, paint.max), text: formatFigure(value), title: `${METRIC_LABELS[paint.metric]} ${formatFigure(value)} (last profile)` };
  }, [paint, nodeId]);
}

/** How a wire is drawn by the spike density it carries (firing-rate paint only), or undefined. */
export function useWirePaint(source: string, port: string): { colour: string; width: number; density: number } | undefined {
  const paint = useScopePaint();
  return useMemo(() => {
    if (!paint || paint.metric !== 'firingRate') return undefined;
    const density = wireDensity(paint.result, paint.scope, source, port);
    if (density === undefined) return undefined;
    const v = paint.max > 0 ? density / paint.max : 0;
    return { colour: scaledColour(density, paint.max), width: 1.5 + 4 * v, density };
  }, [paint, source, port]);
}
