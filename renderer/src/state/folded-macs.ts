/**
 * The deployed MACs of a node on screen: its MACs once the linear chains on spikes fold into one
 * conv each (the model `compile --fold all` emits), read off the analysis's folded chains by the
 * node's path through the composites open on the canvas.
 */
import { useMemo } from 'react';
import type { NodeInfo } from '../../../engine/core/graph/infer.js';
import { foldedMacsChange } from '../../../engine/core/graph/linear-chains.js';
import { useAnalysis } from './analysis.js';
import type { ScopeFrame } from './view-store.js';

/** What the label next to a folded figure says it is. */
export const FOLDED_MACS_HINT = 'MACs once each linear chain on spikes (conv, BN, pool, RepConv) folds into one conv, as the deployed model runs it';

/** Per dotted node path, the change folding makes to its MACs (absent: none). */
export function useFoldedChange(): ReadonlyMap<string, number> {
  const analysis = useAnalysis();
  return useMemo(() => foldedMacsChange(analysis.foldedChains), [analysis]);
}

/** `node`'s deployed MACs where a fold changes them, undefined where it does not. */
export function deployedMacs(change: ReadonlyMap<string, number>, frames: readonly ScopeFrame[], node: Pick<NodeInfo, 'id' | 'macs'>): number | undefined {
  const d = change.get([...frames.map((f) => f.nodeId), node.id].join('.'));
  return d === undefined || d === 0 ? undefined : node.macs + d;
}
