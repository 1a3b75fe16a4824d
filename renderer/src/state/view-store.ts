/**
 * View state: what the user looks at and has selected. None of it is part of the document, so
 * none of it is in the undo history.
 */
import { create } from 'zustand';
import type { Severity } from '../../../engine/core/problems.js';
import type { XY } from '../document/ops.js';

/** One level of "open composite": the node that was opened, in the body above it. */
export interface ScopeFrame {
  readonly nodeId: string;
  readonly block: string;
}

export interface Notice {
  readonly kind: 'info' | 'error';
  readonly text: string;
  readonly at: number;
}

export type HelpPage = 'start' | 'blocks' | 'shortcuts' | 'about';

export interface ViewState {
  readonly scope: readonly ScopeFrame[];
  readonly selectedNodes: ReadonlySet<string>;
  readonly selectedEdges: ReadonlySet<string>;
  /** Positions of nodes being dragged; written to the document once, when the drag ends. */
  readonly dragPositions: ReadonlyMap<string, XY> | null;
  readonly galleryOpen: boolean;
  readonly helpOpen: boolean;
  /** The page of the help window, and the block its reference shows. */
  readonly helpPage: HelpPage;
  readonly helpBlock: string | null;
  readonly bottomTab: string;
  readonly notice: Notice | null;
  /** Which severities the Problems panel lists: design facts (info) only on request. */
  readonly problemFilter: Readonly<Record<Severity, boolean>>;
  /** The spike-driven analysis on the canvas: each block shows the design facts about it. */
  readonly showAnalysis: boolean;
  /** The canvas's overlays, each folded to a small button when the user needs the room. */
  readonly showMinimap: boolean;
  readonly showLegend: boolean;
}

const EMPTY: ReadonlySet<string> = new Set();

export const useViewStore = create<ViewState>()(() => ({
  scope: [],
  selectedNodes: EMPTY,
  selectedEdges: EMPTY,
  dragPositions: null,
  galleryOpen: true,
  helpOpen: false,
  helpPage: 'shortcuts',
  helpBlock: null,
  bottomTab: 'problems',
  notice: null,
  problemFilter: { error: true, warning: true, info: false },
  showAnalysis: false,
  showMinimap: true,
  showLegend: true,
}));

export function select(nodes: Iterable<string>, edges: Iterable<string> = []): void {
  useViewStore.setState({ selectedNodes: new Set(nodes), selectedEdges: new Set(edges) });
}

export function clearSelection(): void {
  useViewStore.setState({ selectedNodes: EMPTY, selectedEdges: EMPTY });
}

export function enterComposite(frame: ScopeFrame): void {
  useViewStore.setState((s) => ({ scope: [...s.scope, frame], selectedNodes: EMPTY, selectedEdges: EMPTY, dragPositions: null }));
}

/** Leaves opened composites until `depth` levels remain (0: the document itself), selecting the node left. */
export function leaveToDepth(depth: number): void {
  useViewStore.setState((s) => {
    if (depth >= s.scope.length) return s;
    const left = s.scope[depth];
    return { scope: s.scope.slice(0, depth), selectedNodes: left ? new Set([left.nodeId]) : EMPTY, selectedEdges: EMPTY, dragPositions: null };
  });
}

export function resetView(): void {
  useViewStore.setState({ scope: [], selectedNodes: EMPTY, selectedEdges: EMPTY, dragPositions: null });
}

export function notify(kind: Notice['kind'], text: string): void {
  useViewStore.setState({ notice: { kind, text, at: Date.now() } });
}

export function toggleProblemFilter(severity: Severity): void {
  useViewStore.setState((s) => ({ problemFilter: { ...s.problemFilter, [severity]: !s.problemFilter[severity] } }));
}

export function toggleAnalysis(): void {
  useViewStore.setState((s) => ({ showAnalysis: !s.showAnalysis }));
}

export function toggleMinimap(): void {
  useViewStore.setState((s) => ({ showMinimap: !s.showMinimap }));
}

export function toggleLegend(): void {
  useViewStore.setState((s) => ({ showLegend: !s.showLegend }));
}

/** Opens the help window at a page (the block reference at `block`); the same page again closes it. */
export function toggleHelp(page: HelpPage, block: string | null = null): void {
  useViewStore.setState((s) => (s.helpOpen && s.helpPage === page && block === null ? { helpOpen: false } : { helpOpen: true, helpPage: page, helpBlock: block ?? s.helpBlock }));
}
